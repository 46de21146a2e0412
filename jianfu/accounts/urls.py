from django.urls import path

from jianfu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/step/", views.login_step_view, name="login-step"),
    path("security/", views.security_view, name="security"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
    path("password/", views.password_view, name="password"),
    path("password/forgot/", views.password_reset_request_view, name="password-reset"),
    path("password/forgot/confirm/", views.password_reset_confirm_view, name="password-reset-confirm"),
    path("activate/", views.activate_request_view, name="activate"),
    path("activate/confirm/", views.activate_confirm_view, name="activate-confirm"),
]
