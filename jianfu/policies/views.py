from django.http import HttpRequest, HttpResponse


def profile_view(request: HttpRequest) -> HttpResponse:  # placeholder until the policy engine lands
    return HttpResponse("profile")
