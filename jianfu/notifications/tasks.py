"""Background work for notifications (Django's tasks API; the database backend by default, run by
`jianfu worker`): each message's SMS and WeChat copies, sent after the transaction that decided them
has committed."""

from __future__ import annotations

from django_tasks import task

from jianfu.notifications.services.sending import deliveries_send_now


@task()
def deliveries_send(ids: list[int]) -> int:
    """Send the due deliveries among `ids`; running it again sends nothing twice. Returns sent."""
    return deliveries_send_now([int(i) for i in ids])
