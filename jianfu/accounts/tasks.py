"""Background work for accounts (Django's tasks API): the activation text, queued so that the answer
to the request never waits for the SMS gateway (whose time would tell a roster phone from another)."""

from __future__ import annotations

from django_tasks import task

from jianfu.accounts.sms import get_sms_backend


@task()
def activation_sms(phone: str, code: str) -> int:
    get_sms_backend().send(
        phone=phone, text=f"【减负】您的激活验证码为 {code}，10分钟内有效。如非本人操作请忽略。"
    )
    return 1
