"""`jianfu policy check FILE.json`: the what-if evaluator from the command line.

The file has the same shape as the body of POST /api/v1/policy/evaluate (docs/api.md), with
`school_code` accepted beside `school_id`; the same checks and derivations apply (jianfu.policies.whatif.services).

Exit status (decision 0028): 0 no violation (warnings allowed), 1 a violation was found, 2 the
check could not be made (unreadable file, invalid facts or overlay, unknown school, database not
set up). A script can thus tell "the facts break a rule" from "nothing was checked".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from jianfu.core.errors import DomainError
from jianfu.core.validation import validation_failed
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import resolve
from jianfu.policies.selectors import (
    _load,
    _overrides,
    profile_resolve_for_region,
    profile_resolve_for_school,
)
from jianfu.policies.whatif.services import whatif_evaluate
from jianfu.schools.models import Region, School

EXIT_VIOLATION = 1
EXIT_ERROR = 2

NOT_MIGRATED = _(
    "数据库尚未初始化：请先运行 jianfu migrate（或 jianfu demo），或设置 DATABASE_URL 指向已初始化的数据库"
)


def both(message: Any, **params: Any) -> str:
    """The command speaks to whoever runs it, in Chinese and English on one line ("中文 / English")."""
    texts = []
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            texts.append(str(message) % params if params else str(message))
    return " / ".join(texts)


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_ERROR)


def _domain(exc: DomainError) -> CommandError:
    field = f"（{exc.field}）" if exc.field else ""
    return _fail(f"{exc.message_zh}{field}\n{exc.message_en} [{exc.code}]")


def _sqlite_file_missing() -> Path | None:
    """The SQLite file the command would open, if it does not exist or is empty: connecting would
    create (or write the header of) a database with no tables, and every read would fail with "no
    such table"."""
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if (
        "sqlite" not in str(db.get("ENGINE", ""))
        or not name
        or name == ":memory:"
        or name.startswith("file:")
    ):
        return None
    path = Path(name)
    return None if path.exists() and path.stat().st_size > 0 else path


class Command(BaseCommand):
    help = "Evaluate facts against a policy profile (policy check FILE.json)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="evaluate a JSON file of facts")
        check.add_argument("file")
        check.add_argument(
            "--json", action="store_true", help="print the same JSON as POST /api/v1/policy/evaluate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _fail(both(_("无法读取 %(path)s"), path=path) + f": {exc}") from exc
        if not isinstance(payload, dict):
            raise _fail(both(_("文件内容应为 JSON 对象")))
        try:
            facts = Facts.model_validate(payload.get("facts"))
        except ValidationError as exc:
            raise _domain(
                validation_failed([dict(e) for e in exc.errors(include_url=False)], prefix="facts")
            ) from exc
        on = timezone.localdate()
        if payload.get("on") is not None:
            try:
                on = date.fromisoformat(str(payload["on"]))
            except ValueError as exc:
                raise _fail(both(_("on 日期格式应为 YYYY-MM-DD")) + f": {payload['on']!r}") from exc
        missing = _sqlite_file_missing()
        if missing is not None:
            raise _fail(f"{both(NOT_MIGRATED)}\n({missing})")
        try:
            answer = self._evaluate(payload, facts, on)
        except DomainError as exc:
            raise _domain(exc) from exc
        except DatabaseError as exc:
            raise _fail(f"{both(NOT_MIGRATED)}\n({exc})") from exc
        findings = answer["findings"]
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2, default=str))
        elif not findings:
            self.stdout.write(both(_("没有发现问题")))
        else:
            for f in findings:
                mark = gettext("违规") if f["severity"] == "violation" else gettext("提示")
                basis = gettext("依据：%(source)s") % {"source": f["source"]}
                self.stdout.write(
                    f"[{mark}] {f['rule_id']}: {f['message']}\n        {f['message_en']}\n        {basis}"
                )
        if any(f["severity"] == "violation" for f in findings):
            raise SystemExit(EXIT_VIOLATION)

    def _evaluate(self, payload: dict[str, Any], facts: Facts, on: date) -> dict[str, Any]:
        school = region = None
        if payload.get("school_code") or payload.get("school_id"):
            school = (
                School.objects.select_related("region")
                .filter(code=str(payload.get("school_code") or ""))
                .first()
                if payload.get("school_code")
                else None
            )
            if school is None and payload.get("school_id") is not None:
                try:
                    school = (
                        School.objects.select_related("region").filter(pk=int(payload["school_id"])).first()
                    )
                except (TypeError, ValueError):
                    school = None
            if school is None:
                raise _fail(both(_("学校不存在")))
            profile = profile_resolve_for_school(school, on)
        elif payload.get("region_code"):
            region = Region.objects.filter(code=str(payload["region_code"])).first()
            if region is None:
                raise _fail(both(_("地区不存在")))
            profile = profile_resolve_for_region(region, on)
        else:
            profile = resolve([], on, national=_overrides(_load([], None))[0])
        return whatif_evaluate(
            profile=profile, facts=facts, on=on, overlay=payload.get("profile"), school=school, region=region
        )
