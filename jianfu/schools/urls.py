from django.urls import include, path

app_name = "schools"
urlpatterns = [
    path("roster/", include("jianfu.schools.roster.urls")),
    path("calendar/", include("jianfu.schools.calendar.urls")),
]
