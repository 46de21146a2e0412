from django.http import HttpRequest, HttpResponse


def calendar_overview(request: HttpRequest) -> HttpResponse:  # placeholder until the calendar lands
    return HttpResponse("calendar")
