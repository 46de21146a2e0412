"""Schema validation errors in the project's error shape.

django-ninja (422 for a request body) and pydantic (the CLI reading a JSON file) report a list of
errors, each with a location, a type and an English message. Both are turned into one
`ValidationFailed` here, so a client sees `{code: "invalid", message, message_en, field, details}`
wherever the input came from (docs/api.md "Conventions").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from jianfu.core.errors import ErrorDetail, ValidationFailed

# pydantic error type → Chinese wording (the English is pydantic's own message).
_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "greater_than_equal": "数值过小（应不小于{ge}）",
    "greater_than": "数值过小（应大于{gt}）",
    "less_than_equal": "数值过大（应不大于{le}）",
    "less_than": "数值过大（应小于{lt}）",
    "finite_number": "数值须为有限数（不能是 NaN 或 Infinity）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "literal_error": "取值不在允许范围内（{expected}）",
    "enum": "取值不在允许范围内（{expected}）",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "time_parsing": "时间格式应为 HH:MM",
    "time_type": "时间格式应为 HH:MM",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "list_type": "应为列表",
    "too_short": "至少需要{min_length}项",
    "too_long": "最多{max_length}项",
    "json_invalid": "JSON 格式有误",
}

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


def _zh(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if "zh" in ctx:  # our own validators carry their Chinese wording
        return str(ctx["zh"])
    template = _ZH.get(str(error.get("type")), "格式或取值不正确")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("（")[0]


def validation_failed(errors: Iterable[dict[str, Any]], prefix: str = "") -> ValidationFailed:
    """One 422 error for a list of pydantic/ninja errors; `field` is the first error's dotted path."""
    details = [
        ErrorDetail(
            _zh(e),
            str(e.get("msg", "invalid")),
            field=field_of(e.get("loc") or (), prefix) or None,
            code=str(e.get("type", "invalid")),
        )
        for e in errors
    ]
    if not details:
        return ValidationFailed("invalid", "请求数据有误", "Invalid request", status=422)
    first = details[0]
    where, where_en = (f"{first.field}：", f"{first.field}: ") if first.field else ("", "")
    more, more_en = (
        (f"（共{len(details)}处）", f" ({len(details)} problems)") if len(details) > 1 else ("", "")
    )
    return ValidationFailed(
        "invalid",
        f"请求数据有误：{where}{first.message_zh}{more}",
        f"Invalid request: {where_en}{first.message_en}{more_en}",
        details=details,
        field=first.field,
        status=422,
    )
