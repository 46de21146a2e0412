from django.urls import path

from jianfu.schools import views_roster

urlpatterns = [
    path("import/", views_roster.roster_import, name="roster-import"),
]
