from django.http import HttpRequest, HttpResponse


def roster_import(request: HttpRequest) -> HttpResponse:  # placeholder until the roster import lands
    return HttpResponse("roster import")
