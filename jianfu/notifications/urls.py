from django.urls import path

from jianfu.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("choices/", views.choices_page, name="choices"),
    path("<int:message_id>/read/", views.read_view, name="read"),
]
