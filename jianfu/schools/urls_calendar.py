from django.urls import path

from jianfu.schools import views_calendar

urlpatterns = [
    path("", views_calendar.calendar_overview, name="calendar"),
]
