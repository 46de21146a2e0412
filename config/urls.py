from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from config.api import api
from jianfu.core import views as core_views
from jianfu.site import views as site_views


def _answers_401_itself(patterns: list[Any]) -> list[Any]:
    """The JSON API refuses an anonymous request with its own 401 (config.api), not with the login
    page's redirect: its views are exempt from LoginRequiredMiddleware."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _answers_401_itself(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns


api_patterns, api_app_name, api_namespace = api.urls
urlpatterns = [
    # First: the public class page is the evening peak's hot path, and URL resolution is in order.
    path("", include("jianfu.homework.urls")),
    path("", site_views.home, name="home-root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", (_answers_401_itself(api_patterns), api_app_name, api_namespace)),
    path("accounts/", include("jianfu.accounts.urls")),
    path("core/", include("jianfu.site.urls")),
    # The bureau's two-step resets live with the schools they cover (decision 0039); the address stays.
    path("accounts/two-step-resets/", include("jianfu.schools.two_step.urls")),
    path("schools/", include("jianfu.schools.urls")),
    path("policies/", include("jianfu.policies.urls")),
    path("exams/", include("jianfu.exams.urls")),
    path("cases/", include("jianfu.cases.urls")),
    path("afterschool/days/", include("jianfu.afterschool.days.urls")),
    path("afterschool/", include("jianfu.afterschool.urls")),
    path("notifications/", include("jianfu.notifications.urls")),
]

handler404 = "jianfu.core.views.not_found"
handler403 = "jianfu.core.views.forbidden"
handler500 = "jianfu.core.views.server_error"
