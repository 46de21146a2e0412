from django.urls import path

from jianfu.exams import views

app_name = "exams"
urlpatterns = [
    path("", views.plans_page, name="plans"),
    path("<int:plan_id>/edit/", views.plan_edit_page, name="edit"),
    path("<int:plan_id>/withdraw/", views.plan_withdraw, name="withdraw"),
    path("<int:plan_id>/release/", views.plan_release, name="release"),
    path("levels/", views.levels_page, name="levels"),
    path("<int:plan_id>/results/", views.results_page, name="results"),
    path("family/", views.family_page, name="family"),
]
