"""`jianfu policy check FILE.json`: the what-if evaluator from the command line.

The file has the same shape as the body of POST /api/v1/policy/evaluate (docs/api.md). Exit status
1 when any finding is a violation, so the command can gate a script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from pydantic import ValidationError

from jianfu.policies.catalogue import national_defaults
from jianfu.policies.facts import Facts
from jianfu.policies.profiles import resolve
from jianfu.policies.rules import evaluate
from jianfu.policies.selectors import (
    _load,
    _overrides,
    profile_resolve_for_region,
    profile_resolve_for_school,
)
from jianfu.schools.models import Region, School


class Command(BaseCommand):
    help = "Evaluate facts against a policy profile (policy check FILE.json)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="evaluate a JSON file of facts")
        check.add_argument("file")
        check.add_argument("--json", action="store_true", help="print findings as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        try:
            facts = Facts.model_validate(payload.get("facts", {}))
        except ValidationError as exc:
            raise CommandError(f"事实数据格式错误 / invalid facts:\n{exc}") from exc
        on = timezone.localdate()
        if payload.get("on"):
            from datetime import date

            on = date.fromisoformat(payload["on"])
        if payload.get("school_code") or payload.get("school_id"):
            school = (
                School.objects.filter(code=payload.get("school_code")).first()
                or School.objects.filter(pk=payload.get("school_id")).first()
            )
            if school is None:
                raise CommandError("学校不存在 / school not found")
            profile = profile_resolve_for_school(school, on)
        elif payload.get("region_code"):
            region = Region.objects.filter(code=payload["region_code"]).first()
            if region is None:
                raise CommandError("地区不存在 / region not found")
            profile = profile_resolve_for_region(region, on)
        else:
            profile = resolve([], on, national=_overrides(_load([], None))[0])
        if payload.get("profile"):
            unknown = set(payload["profile"]) - set(national_defaults())
            if unknown:
                raise CommandError(f"未知的配置项 / unknown parameters: {', '.join(sorted(unknown))}")
            profile = type(profile)(
                values={**profile.values, **payload["profile"]}, provenance=profile.provenance, on=on
            )
        findings = evaluate(facts, profile)
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        elif not findings:
            self.stdout.write("没有发现问题 / no findings")
        else:
            for f in findings:
                mark = "违规" if f.severity == "violation" else "提示"
                self.stdout.write(
                    f"[{mark}] {f.rule_id}: {f.message_zh}\n        {f.message_en}\n        依据：{f.source}"
                )
        if any(f.severity == "violation" for f in findings):
            raise SystemExit(1)
