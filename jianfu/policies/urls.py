from django.urls import path

from jianfu.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.profile_view, name="profile"),
]
