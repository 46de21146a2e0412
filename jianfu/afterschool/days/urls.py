from django.urls import path

from jianfu.afterschool.attendance import views as views_attendance
from jianfu.afterschool.collectors import views as views_collectors
from jianfu.afterschool.figures import views as views_figures
from jianfu.afterschool.leave import views as views_leave
from jianfu.afterschool.pickup import views as views_pickup

app_name = "afterschool_days"
urlpatterns = [
    path("attendance/", views_attendance.attendance_today, name="attendance"),
    path("attendance/session/<int:session_id>/", views_attendance.attendance_session, name="session"),
    path("attendance/session/<int:session_id>/mark/", views_attendance.attendance_mark_view, name="mark"),
    path(
        "attendance/session/<int:session_id>/all-present/",
        views_attendance.attendance_all_present_view,
        name="all-present",
    ),
    path("family/attendance/", views_attendance.family_attendance, name="family-attendance"),
    path("pickup/", views_pickup.pickup_family, name="pickup"),
    path("leave/", views_leave.leave_page, name="leave"),
    path("pickup-persons/", views_collectors.pickup_persons_page, name="pickup-persons"),
    path("arrangements/", views_pickup.arrangements, name="arrangements"),
    path("gate/", views_pickup.gate_page, name="gate"),
    path("gate/export.xlsx", views_pickup.gate_export, name="gate-export"),
    path("gate/depart/", views_pickup.gate_depart, name="depart"),
    path("late/", views_pickup.late_page, name="late"),
    path("figures/", views_figures.school_page, name="figures"),
    path("figures/export.xlsx", views_figures.school_export, name="figures-export"),
    path("figures/district/", views_figures.district_page, name="district"),
    path("figures/district/export.xlsx", views_figures.district_export, name="district-export"),
]
