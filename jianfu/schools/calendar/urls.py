from django.urls import path

from jianfu.schools.calendar import views as views_calendar

urlpatterns = [
    path("", views_calendar.calendar_overview, name="calendar"),
]
