from django.urls import path

from jianfu.afterschool.allocation import views as views_allocation
from jianfu.afterschool.family import views as views_family
from jianfu.afterschool.latejoin import views as views_latejoin
from jianfu.afterschool.programme import views

app_name = "afterschool"
urlpatterns = [
    path("", views.home_page, name="home"),
    path("providers/", views.providers_page, name="providers"),
    path("<int:programme_id>/", views.detail_page, name="detail"),
    path("<int:programme_id>/courses/new/", views.course_page, name="course-new"),
    path("<int:programme_id>/courses/<int:course_id>/", views.course_page, name="course-edit"),
    path("<int:programme_id>/applications/", views_allocation.applications_page, name="applications"),
    path(
        "<int:programme_id>/applications/export.xlsx",
        views_allocation.applications_export,
        name="applications-export",
    ),
    path("<int:programme_id>/allocation/", views_allocation.allocation_page, name="allocation"),
    path("<int:programme_id>/late-joins/", views_latejoin.late_joins_office, name="late-joins"),
    path("family/", views_family.family_page, name="family"),
    path("family/late/", views_latejoin.late_join_page, name="late-join"),
    path("family/<int:programme_id>/<int:student_id>/", views_family.choose_page, name="choose"),
]
