from django.urls import path

from jianfu.exams import views

app_name = "exams"
urlpatterns = [
    path("", views.plans_page, name="plans"),
    path("<int:plan_id>/results/", views.results_page, name="results"),
    path("family/", views.family_page, name="family"),
]
