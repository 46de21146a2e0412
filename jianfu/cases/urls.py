from django.urls import path

from jianfu.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("new/", views.new_page, name="new"),
    path("mine/", views.mine_page, name="mine"),
    path("receipt/", views.receipt_page, name="receipt"),
    path("oversight/", views.oversight_page, name="oversight"),
    path("photo/<str:key>/<int:n>/", views.photo_view, name="photo"),
    path("answers/<str:region_code>/", views.answers_page, name="answers"),
    # A complaint's ref (random); an id only for district roles (security.md M2).
    path("<str:key>/", views.detail_page, name="detail"),
]
