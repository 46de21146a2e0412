from django.urls import path

from jianfu.schools.two_step import views

app_name = "two-step"
urlpatterns = [
    path("", views.two_step_resets_view, name="resets"),
]
