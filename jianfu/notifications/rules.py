"""What each kind of message says, who gets it on which channel by default, and when a channel
may be used (quiet hours, the per-person rate). Pure: no database (decision 0050)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jianfu.core.masking import mask_name

INBOX, SMS, WECHAT = "inbox", "sms", "wechat"
CHANNELS = (INBOX, SMS, WECHAT)
FAMILY, STAFF = "family", "staff"

# Quiet hours, Beijing time (settings.TIME_ZONE): no SMS or WeChat message unless it is about safety.
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)
# Non-safety messages per person per rolling hour that go out on SMS/WeChat; the rest stay in the
# inbox only (their channel deliveries are recorded as skipped, "rate_limited").
RATE_PER_HOUR = 5
# Parameters holding a child's name: in full in the inbox (behind the sign-in), masked (周*明) in
# anything that leaves the site (SMS, WeChat).
MASKED_PARAMS = frozenset({"child"})
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Kind:
    key: str
    audience: str
    label: Promise
    title: Promise
    body: Promise
    sms: Promise
    safety: bool = False
    # Channels on when the person has not chosen (the inbox is always on unless `opt_in`).
    default_on: frozenset[str] = frozenset()
    # Off everywhere, inbox included, until the person turns it on.
    opt_in: bool = False


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            "afterschool_absent",
            FAMILY,
            _("孩子课后服务缺席（安全）"),
            _("课后服务缺席：%(child)s"),
            _("%(child)s在%(day)s的课后服务“%(what)s”点名时缺席。如孩子未按约定离校，请立即与学校联系。"),
            _("【减负】%(child)s在%(day)s的课后服务“%(what)s”点名缺席，如非家长安排请立即联系学校。"),
            safety=True,
            default_on=frozenset({SMS, WECHAT}),
        ),
        Kind(
            "afterschool_uncollected",
            FAMILY,
            _("孩子到预约时间仍未接走（安全）"),
            _("尚未接走：%(child)s"),
            _("%(child)s预约%(time)s离校，现在仍在学校，尚未登记接走。请尽快来接，或与学校联系。"),
            _("【减负】%(child)s预约%(time)s离校，现仍未登记接走，请尽快来接或联系学校。"),
            safety=True,
            default_on=frozenset({SMS, WECHAT}),
        ),
        Kind(
            "complaint_answered",
            FAMILY,
            _("我的反映有了答复"),
            _("您的反映已答复"),
            _("您%(day)s提交的反映已有答复，请在“我的反映”中查看。"),
            _("【减负】您%(day)s提交的反映已有答复，请登录“我的反映”或用回执码查看。"),
            default_on=frozenset({SMS, WECHAT}),
        ),
        Kind(
            "complaint_escalated",
            FAMILY,
            _("我的反映转区教育局办理"),
            _("您的反映已转区教育局办理"),
            _("您%(day)s提交的反映因学校未在期限内答复，已转区教育局办理。"),
            _("【减负】您%(day)s提交的反映已转区教育局办理，请登录“我的反映”查看进度。"),
            default_on=frozenset({SMS, WECHAT}),
        ),
        Kind(
            "exam_released",
            FAMILY,
            _("考试等级发布"),
            _("考试等级已发布：%(exam)s"),
            _("“%(exam)s”的等级已发布，请在“考试等级”中查看孩子的等级。"),
            _("【减负】“%(exam)s”的等级已发布，请登录查看。"),
            default_on=frozenset({WECHAT}),
        ),
        Kind(
            "homework_published",
            FAMILY,
            _("班级公布当天作业（可选）"),
            _("%(school_class)s已公布%(day)s的作业"),
            _("%(school_class)s已公布%(day)s的作业，请在“孩子的作业”中查看。"),
            _("【减负】%(school_class)s已公布%(day)s的作业，请登录查看。"),
            opt_in=True,
        ),
        Kind(
            "exception_waiting",
            STAFF,
            _("作业特批待我审批"),
            _("有作业特批等待您审批"),
            _("%(school_class)s %(day)s %(subject)s的作业超出时长上限，申请特批，等待您审批。"),
            _("【减负】%(school_class)s有一项作业特批等待您审批，请登录查看。"),
            default_on=frozenset({WECHAT}),
        ),
        Kind(
            "complaint_deadline",
            STAFF,
            _("反映临近答复期限"),
            _("反映临近答复期限"),
            _("有%(count)s条反映将在%(day)s到期，请及时答复。"),
            _("【减负】有%(count)s条反映将在%(day)s到期，请登录办理。"),
            default_on=frozenset({WECHAT}),
        ),
        Kind(
            "substitute_arranged",
            STAFF,
            _("代课安排"),
            _("代课安排：%(day)s"),
            _("您被安排于%(day)s代课：%(what)s。请当天在“课后点名”中点名。"),
            _("【减负】您被安排于%(day)s代课，请登录查看。"),
            default_on=frozenset(),
        ),
    )
}


def default_enabled(kind: Kind, channel: str) -> bool:
    if kind.opt_in:
        return False
    return channel == INBOX or channel in kind.default_on


def render(message: Any, params: dict[str, Any], language: str, *, masked: bool = False) -> str:
    """A catalogue text with its parameters, in `language`; the child's name masked if asked."""
    values = {k: (mask_name(str(v)) if masked and k in MASKED_PARAMS else str(v)) for k, v in params.items()}
    with translation.override(language):
        return str(message) % values


def quiet_until(now: datetime) -> datetime | None:
    """The end of the quiet hours `now` falls in (07:00 Beijing time), or None outside them."""
    local = timezone.localtime(now)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return datetime.combine(day, QUIET_UNTIL, tzinfo=local.tzinfo)
