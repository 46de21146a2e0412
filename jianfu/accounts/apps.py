from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jianfu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Session bookkeeping, not business logic: like Django's own update_last_login on the same
        # signal, it stamps when the session signed in, whichever way it did (form, second step,
        # activation, the test client's force_login), so the timeout check costs no write later.
        user_logged_in.connect(_stamp, dispatch_uid="jianfu.accounts.session_started")


def _stamp(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from jianfu.accounts.middleware import session_started

    if request is not None and hasattr(request, "session"):
        session_started(request.session)
