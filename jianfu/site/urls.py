from django.urls import path

from jianfu.site import views

# The namespace stays "core": pages, templates and tests reverse "core:home" (the home page moved
# here from jianfu.core with the menu, decision 0039).
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
]
