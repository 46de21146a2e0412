from django.urls import path

from jianfu.schools.roster import views as views_roster

urlpatterns = [
    path("import/", views_roster.roster_upload_page, name="roster-import"),
    path("import/<int:upload_id>/", views_roster.roster_preview, name="roster-preview"),
    path("import/<int:upload_id>/confirm/", views_roster.roster_confirm, name="roster-confirm"),
]
