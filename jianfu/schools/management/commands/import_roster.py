"""`jianfu import-roster FILE --school CODE [--dry-run] [--create-classes]`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from jianfu.core.actors import CLI
from jianfu.core.i18n import in_both
from jianfu.schools.models import School
from jianfu.schools.roster.services import RosterError, roster_import


class Command(BaseCommand):
    help = (
        "Import a school roster (.xlsx or .csv) exported from the national student registry. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="the school's 10-digit identification code")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--create-classes", action="store_true", help="create classes the roster names")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(code=options["school"]).select_related("region").first()
        if school is None:
            raise CommandError(in_both(_("学校不存在：%(code)s"), {"code": options["school"]}))
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(in_both(_("无法读取文件：%(error)s"), {"error": exc})) from exc
        try:
            summary = roster_import(
                actor=CLI,
                school=school,
                filename=path.name,
                content=content,
                dry_run=options["dry_run"],
                create_classes=options["create_classes"],
            )
        except RosterError as exc:
            for d in exc.details:
                self.stderr.write(f"{d.message_zh} / {d.message_en}")
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from exc
        counts = {
            "total": summary.total_rows,
            "new": summary.new_students,
            "updated": summary.updated_students,
            "unchanged": summary.unchanged_students,
            "guardians": summary.new_guardians,
            "classes": summary.new_classes,
        }
        if options["dry_run"]:
            done = _(
                "检查通过（未写入）：共%(total)s行，新增学生%(new)s，更新%(updated)s，"
                "未变%(unchanged)s，新增监护人%(guardians)s，新建班级%(classes)s"
            )
        else:
            done = _(
                "导入完成：共%(total)s行，新增学生%(new)s，更新%(updated)s，"
                "未变%(unchanged)s，新增监护人%(guardians)s，新建班级%(classes)s"
            )
        self.stdout.write(in_both(done, counts))
