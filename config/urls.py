from django.urls import include, path

from config.api import api
from jianfu.core import views as core_views

urlpatterns = [
    # First: the public class page is the evening peak's hot path, and URL resolution is in order.
    path("", include("jianfu.homework.urls")),
    path("", core_views.home, name="home-root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("jianfu.accounts.urls")),
    path("core/", include("jianfu.core.urls")),
    path("schools/", include("jianfu.schools.urls")),
    path("policies/", include("jianfu.policies.urls")),
    path("exams/", include("jianfu.exams.urls")),
    path("cases/", include("jianfu.cases.urls")),
    path("afterschool/days/", include("jianfu.afterschool.days.urls")),
    path("afterschool/", include("jianfu.afterschool.urls")),
]

handler404 = "jianfu.core.views.not_found"
handler403 = "jianfu.core.views.forbidden"
handler500 = "jianfu.core.views.server_error"
