from django.urls import path

from jianfu.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("new/", views.new_page, name="new"),
    path("receipt/", views.receipt_page, name="receipt"),
    path("<int:complaint_id>/", views.detail_page, name="detail"),
    path("oversight/", views.oversight_page, name="oversight"),
    path("photo/<int:photo_id>/", views.photo_view, name="photo"),
    path("answers/<str:region_code>/", views.answers_page, name="answers"),
]
