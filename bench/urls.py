import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urlpatterns

# A page of about the public page's size, built once: the cost of Django + the server, nothing else.
CONSTANT = "<!doctype html><html><body>" + "作业公示 " * 300 + "</body></html>"


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT)


@require_POST
def bare_signed_in_post(request: HttpRequest) -> HttpResponse:
    """The floor under any signed-in write: session, user, CSRF check, a JSON body parsed and a JSON
    answer — and no database write. The report endpoint is this plus its own work."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    body = json.loads(request.body)
    return JsonResponse({"id": int(body["student_id"]), "revision": 1, "changed": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-post/", bare_signed_in_post),
    *project_urlpatterns,
]
