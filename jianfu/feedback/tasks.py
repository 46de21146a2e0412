"""Background work for families' feedback (Django's tasks API; the database backend by default,
run by `jianfu worker`)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from jianfu.accounts.models import Role
from jianfu.accounts.tasks import get_sms_backend
from jianfu.schools.access import holders


@task()
def alert_notify(alert_id: int) -> int:
    """Tell the class's head teacher(s) by SMS that an alert was raised. Returns messages sent.

    The text names the class and the kind of alert only: no child, no family, no figures that could
    identify anyone; the details are in the app behind the head teacher's sign-in.
    """
    from jianfu.feedback.models import FeedbackAlert

    alert = FeedbackAlert.objects.select_related("school_class__grade").filter(pk=alert_id).first()
    if alert is None:
        return 0
    heads = list(holders(Role.HEAD_TEACHER, over=alert.school_class))
    sms = get_sms_backend()
    for m in heads:
        # In the head teacher's own language, as their pages are.
        with translation.override(m.user.preferred_language or None):
            text = gettext("【减负】%(school_class)s有新的家长反馈提醒（%(kind)s），请登录查看。") % {
                "school_class": alert.school_class,
                "kind": alert.get_kind_display(),
            }
        sms.send(phone=m.user.phone, text=text)
    return len(heads)
