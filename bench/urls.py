import json
import os

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urlpatterns

# A page of about the public page's size, built once: the cost of Django + the server, nothing else.
CONSTANT = "<!doctype html><html><body>" + "作业公示 " * 300 + "</body></html>"


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    # The serving process, so the bench can wait until every worker has started (bench_public_page.serve).
    return HttpResponse(CONSTANT, headers={"X-Bench-Pid": str(os.getpid())})


@require_POST
def bare_signed_in_post(request: HttpRequest) -> HttpResponse:
    """The floor under any signed-in write: session, user, CSRF check, a JSON body parsed and a JSON
    answer — and no database write. The report endpoint is this plus its own work."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    body = json.loads(request.body)
    return JsonResponse({"id": int(body["student_id"]), "revision": 1, "changed": True})


@require_POST
def signed_in_commit(request: HttpRequest) -> HttpResponse:
    """The least any signed-in write could do: the bare signed-in POST plus one single-row commit,
    exactly the unit the bench's ORM commit rate counts (`atomic(): AuditEvent.objects.create()`).
    Its rate against that commit rate is the most a report endpoint could reach on this server."""
    from jianfu.core.models import AuditEvent

    if not request.user.is_authenticated:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    body = json.loads(request.body)
    with transaction.atomic():
        AuditEvent.objects.create(action="bench")
    return JsonResponse({"id": int(body["student_id"]), "revision": 1, "changed": True})


@login_not_required
@csrf_exempt
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Reads the whole body, as a photo or roster upload does (bench/bench_slow_upload.py)."""
    return JsonResponse({"bytes": len(request.body)})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-post/", bare_signed_in_post),
    path("bench/commit-post/", signed_in_commit),
    path("bench/upload/", upload),
    *project_urlpatterns,
]
