"""The inbox (消息) and the choice of channels per kind: every signed-in person, their own only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianfu.core.errors import NotFound
from jianfu.notifications import selectors, services
from jianfu.notifications.forms import ChoicesForm


@require_http_methods(["GET", "POST"])
def inbox_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.messages_mark_all_read(actor=request.user)
        return redirect("notifications:inbox")
    items = list(selectors.inbox_for(request.user)[: selectors.INBOX_PAGE])
    unread = selectors.unread_count(request.user)  # the menu's count, not only the page's
    response = render(request, "notifications/inbox.html", {"items": items, "unread": unread})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def read_view(request: HttpRequest, message_id: int) -> HttpResponse:
    """Mark a message read; "open" then follows its link (a path on this site only)."""
    try:
        message = services.message_mark_read(actor=request.user, message_id=message_id)
    except NotFound:
        return render(request, "errors/404.html", status=404)
    link = message.link_url
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def choices_page(request: HttpRequest) -> HttpResponse:
    kinds = selectors.kinds_for(request.user)
    channels = selectors.channels_shown()
    current = selectors.choices_for(request.user, kinds)
    status = 200
    if request.method == "POST":
        form = ChoicesForm(request.POST, kinds=kinds, channels=channels, current=current)
        if form.is_valid():
            chosen = form.choices()
            # A channel not offered here (WeChat where none is configured) keeps its setting.
            for key, on in chosen.items():
                on |= {c for c in current.get(key, set()) if c not in channels}
            services.preferences_set(actor=request.user, choices=chosen)
            messages.success(request, _("已保存您的通知设置"))
            return redirect("notifications:choices")
        status = 422
    else:
        form = ChoicesForm(kinds=kinds, channels=channels, current=current)
    return render(
        request,
        "notifications/choices.html",
        {
            "form": form,
            "wechat_shown": "wechat" in channels,
            "wechat_bound": selectors.wechat_bound(request.user),
        },
        status=status,
    )
