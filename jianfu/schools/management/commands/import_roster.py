"""`jianfu import-roster FILE --school CODE [--dry-run] [--create-classes]`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianfu.core.actors import CLI
from jianfu.schools.models import School
from jianfu.schools.roster.services import RosterError, roster_import


class Command(BaseCommand):
    help = (
        "Import a school roster (.xlsx or .csv) exported from the national student registry. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="school code (学校标识码)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--create-classes", action="store_true", help="create classes the roster names")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(code=options["school"]).select_related("region").first()
        if school is None:
            raise CommandError(f"学校不存在：{options['school']} / no school with that code")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
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
                self.stderr.write(d.message_zh)
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from exc
        mode = "检查通过（未写入）" if options["dry_run"] else "导入完成"
        self.stdout.write(
            f"{mode}：共{summary.total_rows}行，新增学生{summary.new_students}，更新{summary.updated_students}，"
            f"未变{summary.unchanged_students}，新增监护人{summary.new_guardians}，新建班级{summary.new_classes}"
        )
