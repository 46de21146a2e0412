from django.urls import include, path

app_name = "schools"
urlpatterns = [
    path("roster/", include("jianfu.schools.urls_roster")),
    path("calendar/", include("jianfu.schools.urls_calendar")),
]
