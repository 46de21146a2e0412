"""Schema validation errors in the project's error shape.

django-ninja (422 for a request body) and pydantic (the CLI reading a JSON file) report a list of
errors, each with a location, a type and an English message. Both are turned into one
`ValidationFailed` here, so a client sees `{code: "invalid", message, message_en, field, details}`
wherever the input came from (docs/api.md "Conventions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import DetailList, ErrorDetail, ValidationFailed

# pydantic error type → message (Chinese msgid, English in the catalogue). A message with
# parameters has a short form for when pydantic's context lacks them.
_MESSAGES: dict[str, tuple[Promise, Promise | None]] = {
    "missing": (_("缺少必填项"), None),
    "extra_forbidden": (_("不允许的字段"), None),
    "greater_than_equal": (_("数值过小（应不小于%(ge)s）"), _("数值过小")),
    "greater_than": (_("数值过小（应大于%(gt)s）"), _("数值过小")),
    "less_than_equal": (_("数值过大（应不大于%(le)s）"), _("数值过大")),
    "less_than": (_("数值过大（应小于%(lt)s）"), _("数值过大")),
    "finite_number": (_("数值须为有限数（不能是 NaN 或 Infinity）"), None),
    "int_parsing": (_("应为整数"), None),
    "int_type": (_("应为整数"), None),
    "int_from_float": (_("应为整数"), None),
    "float_parsing": (_("应为数字"), None),
    "float_type": (_("应为数字"), None),
    "bool_parsing": (_("应为 true 或 false"), None),
    "bool_type": (_("应为 true 或 false"), None),
    "string_type": (_("应为文字"), None),
    "literal_error": (_("取值不在允许范围内（%(expected)s）"), _("取值不在允许范围内")),
    "enum": (_("取值不在允许范围内（%(expected)s）"), _("取值不在允许范围内")),
    "date_from_datetime_parsing": (_("日期格式应为 YYYY-MM-DD"), None),
    "date_from_datetime_inexact": (_("日期格式应为 YYYY-MM-DD"), None),
    "date_parsing": (_("日期格式应为 YYYY-MM-DD"), None),
    "date_type": (_("日期格式应为 YYYY-MM-DD"), None),
    "time_parsing": (_("时间格式应为 HH:MM"), None),
    "time_type": (_("时间格式应为 HH:MM"), None),
    "dict_type": (_("应为对象"), None),
    "model_type": (_("应为对象"), None),
    "model_attributes_type": (_("应为对象"), None),
    "list_type": (_("应为列表"), None),
    "too_short": (_("至少需要%(min_length)s项"), _("项数不足")),
    "too_long": (_("最多%(max_length)s项"), _("项数过多")),
    "json_invalid": (_("JSON 格式有误"), None),
}
_UNKNOWN = _("格式或取值不正确")
_PARAM = re.compile(r"%\((\w+)\)s")

# The location prefix django-ninja adds: where the value came from (and, for a body, the parameter's
# name, which is not part of the request).
_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


def field_of(loc: Sequence[Any], prefix: str = "") -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)
    dotted = ".".join(str(p) for p in parts)
    return f"{prefix}.{dotted}" if prefix and dotted else prefix or dotted


def _detail(error: dict[str, Any], prefix: str) -> ErrorDetail:
    ctx = error.get("ctx") or {}
    field = field_of(error.get("loc") or (), prefix) or None
    code = str(error.get("type", "invalid"))
    if "zh" in ctx:  # our own validators carry their Chinese wording (and pydantic's msg in English)
        return ErrorDetail(str(ctx["zh"]), str(error.get("msg", "invalid")), field=field, code=code)
    template, short = _MESSAGES.get(code, (_UNKNOWN, None))
    wanted = _PARAM.findall(str(template))
    if wanted and not all(k in ctx for k in wanted):
        return ErrorDetail(short or _UNKNOWN, field=field, code=code)
    return ErrorDetail(template, field=field, code=code, params={k: ctx[k] for k in wanted} or None)


def validation_failed(errors: Iterable[dict[str, Any]], prefix: str = "") -> ValidationFailed:
    """One 422 error for a list of pydantic/ninja errors; `field` is the first error's dotted path."""
    details = [_detail(e, prefix) for e in errors]
    if not details:
        return ValidationFailed("invalid", _("请求数据有误"), status=422)
    first = details[0]
    params: dict[str, Any] = {"detail": DetailList([first]), "count": len(details)}
    if first.field:
        params["field"] = first.field
        if len(details) > 1:
            message = _("请求数据有误：%(field)s：%(detail)s（共%(count)s处）")
        else:
            message = _("请求数据有误：%(field)s：%(detail)s")
    elif len(details) > 1:
        message = _("请求数据有误：%(detail)s（共%(count)s处）")
    else:
        message = _("请求数据有误：%(detail)s")
    return ValidationFailed("invalid", message, params=params, details=details, field=first.field, status=422)
