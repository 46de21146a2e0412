from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

# A page of about the public page's size, built once: the cost of Django + the server, nothing else.
CONSTANT = "<!doctype html><html><body>" + "作业公示 " * 300 + "</body></html>"


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT)


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
