"""Roster import: all-or-nothing, bulk, audited. Called by the web flow, the API and the CLI."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.rules.phones import normalize_phone
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound, PermissionDenied
from jianfu.schools.access import schools_for_actor
from jianfu.schools.models import Grade, Guardian, RosterUpload, School, SchoolClass, Student
from jianfu.schools.permissions import can_import_roster
from jianfu.schools.roster import rules

T = TypeVar("T")
CHUNK = 500
MAX_BYTES = 20 * 1024 * 1024


class RosterError(DomainError):
    INVALID = "roster_invalid"
    UNREADABLE = "roster_unreadable"
    status = 422


@dataclass
class RosterSummary:
    total_rows: int
    new_students: int
    updated_students: int
    unchanged_students: int
    new_guardians: int
    new_classes: int
    dry_run: bool
    unverified_registry_ids: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check(actor: Any, school: School) -> None:
    if not schools_for_actor(actor).filter(pk=school.pk).exists():
        raise NotFound(_("学校"))
    if not can_import_roster(actor, school):
        raise PermissionDenied(_("只有校长、教导处或教育局可以导入学籍名册"))


def _candidate_ids(rows: list[list[Any]]) -> list[str]:
    header = rules.find_header(rows)
    if header is None:
        return []
    index, columns = header
    j = columns["registry_id"]
    ids = []
    for row in rows[index + 1 :]:
        if j < len(row):
            value = rules.check_registry_id(row[j]).value
            if value:
                ids.append(value)
    return ids


def _read(filename: str, content: bytes) -> list[list[Any]]:
    if len(content) > MAX_BYTES:
        raise RosterError(RosterError.UNREADABLE, _("文件超过20MB"), field="file")
    try:
        return rules.read_rows(filename, content)
    except rules.UnreadableFile as exc:
        raise RosterError(RosterError.UNREADABLE, exc.message, field="file") from exc
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise RosterError(
            RosterError.UNREADABLE,
            _("文件无法读取，请确认是 .xlsx 或 .csv 格式"),
            field="file",
        ) from exc


def roster_import(
    *,
    actor: Any,
    school: School,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    create_classes: bool = False,
) -> RosterSummary:
    """Validate the whole file; if any row is bad, raise RosterError listing every bad row and write
    nothing. Otherwise (unless dry_run) write students, guardians and new classes in one transaction.

    Re-import: a student already in this school (same 学籍号) is updated, never duplicated; students
    missing from the file are left alone (docs/decisions/0004-roster-import.md).
    """
    _check(actor, school)
    rows = _read(filename, content)
    grades = {g.number: g for g in Grade.objects.filter(school=school)}
    classes = {
        (c.grade.number, c.number): c
        for c in SchoolClass.objects.filter(school=school).select_related("grade")
    }
    ids = _candidate_ids(rows)
    elsewhere: set[str] = set()
    existing: dict[str, Student] = {}
    for chunk in _chunks(ids):
        for s in Student.objects.filter(registry_id__in=chunk):
            if s.school_id == school.pk:
                existing[s.registry_id] = s
            else:
                elsewhere.add(s.registry_id)
    parsed = rules.parse_roster(
        rows,
        grades=set(grades),
        classes=classes,
        registered_elsewhere=elsewhere,
        create_classes=create_classes,
    )
    if parsed.errors:
        bad_rows = len({e.row for e in parsed.errors})
        raise RosterError(
            RosterError.INVALID,
            ngettext_lazy(
                "名册有%(count)s行存在错误，未导入任何数据。请修改后重新上传。",
                "名册有%(count)s行存在错误，未导入任何数据。请修改后重新上传。",
                bad_rows,
            ),
            params={"count": bad_rows},
            details=parsed.errors,
        )
    with transaction.atomic():
        summary = _write(school, parsed.rows, grades, classes, existing, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit(
                actor=actor,
                action="roster_imported",
                obj=school,
                school_id=school.pk,
                region_code=school.region.code,
                data={k: v for k, v in summary.as_dict().items() if k != "dry_run"},
            )
    return summary


def _write(
    school: School,
    rows: list[rules.RosterRow],
    grades: dict[int, Grade],
    classes: dict[tuple[int, int], SchoolClass],
    existing: dict[str, Student],
    *,
    dry_run: bool,
) -> RosterSummary:
    new_classes = 0
    for key in sorted({(r.grade, r.class_number) for r in rows} - set(classes)):
        new_classes += 1
        if not dry_run:
            classes[key] = SchoolClass.objects.create(school=school, grade=grades[key[0]], number=key[1])
    to_create: list[Student] = []
    to_update: list[Student] = []
    unchanged = 0
    for r in rows:
        # In a dry run, classes the file would create do not exist yet; nothing is saved then.
        klass = classes.get((r.grade, r.class_number))
        s = existing.get(r.registry_id)
        if s is None:
            to_create.append(
                Student(
                    school=school,
                    school_class=klass,
                    registry_id=r.registry_id,
                    registry_id_verified=r.verified,
                    name=r.name,
                    gender=r.gender,
                    birth_date=r.birth_date,
                    seat=r.seat,
                )
            )
            continue
        class_id = klass.pk if klass is not None else None
        # A roster without the 学号 column keeps the numbers an earlier one gave.
        seat = r.seat if r.seat is not None else s.seat
        before = (s.name, s.gender, s.birth_date, s.school_class_id, s.is_active, s.seat)
        if before != (r.name, r.gender, r.birth_date, class_id, True, seat):
            s.name, s.gender, s.birth_date, s.is_active, s.seat = r.name, r.gender, r.birth_date, True, seat
            if klass is not None:
                s.school_class = klass
            s.registry_id_verified = r.verified
            to_update.append(s)
        else:
            unchanged += 1
    new_guardians = 0
    if not dry_run:
        Student.objects.bulk_create(to_create, batch_size=CHUNK)
        Student.objects.bulk_update(
            to_update,
            ["name", "gender", "birth_date", "school_class", "is_active", "registry_id_verified", "seat"],
            batch_size=CHUNK,
        )
        by_registry = {s.registry_id: s for s in to_create} | existing
        if any(s.pk is None for s in to_create):  # backends that do not return ids from bulk_create
            for chunk in _chunks([s.registry_id for s in to_create]):
                by_registry.update({s.registry_id: s for s in Student.objects.filter(registry_id__in=chunk)})
        student_ids = [by_registry[r.registry_id].pk for r in rows]
        have: set[tuple[int, str]] = set()
        for id_chunk in _chunks(student_ids):
            have.update(Guardian.objects.filter(student_id__in=id_chunk).values_list("student_id", "phone"))
        new_rows = []
        for r in rows:
            sid = by_registry[r.registry_id].pk
            for g_name, phone, relation in r.guardians:
                if (sid, phone) not in have:
                    have.add((sid, phone))
                    new_rows.append(Guardian(student_id=sid, name=g_name, phone=phone, relation=relation))
        Guardian.objects.bulk_create(new_rows, batch_size=CHUNK)
        new_guardians = len(new_rows)
    else:
        new_guardians = sum(len(r.guardians) for r in rows if r.registry_id not in existing)
    return RosterSummary(
        total_rows=len(rows),
        new_students=len(to_create),
        updated_students=len(to_update),
        unchanged_students=unchanged,
        new_guardians=new_guardians,
        new_classes=new_classes,
        dry_run=dry_run,
        unverified_registry_ids=sum(1 for r in rows if not r.verified),
    )


def roster_upload_create(
    *, actor: Any, school: School, filename: str, content: bytes, create_classes: bool = False
) -> tuple[RosterUpload, RosterSummary | None, RosterError | None]:
    """Store an upload and preview it (a dry run). Returns the upload with its summary or its errors."""
    _check(actor, school)
    upload = RosterUpload.objects.create(
        school=school,
        uploaded_by=actor,
        filename=filename[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        create_classes=create_classes,
    )
    try:
        summary = roster_import(
            actor=actor,
            school=school,
            filename=filename,
            content=content,
            dry_run=True,
            create_classes=create_classes,
        )
    except RosterError as exc:
        return upload, None, exc
    return upload, summary, None


# A previewed roster that nobody confirmed is deleted after a day: it holds 学籍号, names and guardians'
# phones, which the school keeps in its own registry, not here (PIPL: minimum and no longer than needed;
# security.md L8). Run nightly by `jianfu worker` (settings.JIANFU_PERIODIC_JOBS).
UNCONFIRMED_UPLOAD_HOURS = 24


def roster_uploads_purge(*, now: Any = None) -> int:
    """Delete uploads previewed more than a day ago and never confirmed; the number deleted."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(hours=UNCONFIRMED_UPLOAD_HOURS)
    deleted, _ = RosterUpload.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def roster_upload_confirm(*, actor: Any, upload_id: int) -> RosterSummary:
    """Import a previewed upload. Confirming twice writes once (the second call returns the result)."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().filter(pk=upload_id, uploaded_by=actor).first()
        if upload is None:
            raise NotFound(_("上传记录"))
        if upload.confirmed_at is not None:
            return RosterSummary(**upload.result)
        summary = roster_import(
            actor=actor,
            school=upload.school,
            filename=upload.filename,
            content=bytes(upload.content),
            create_classes=upload.create_classes,
        )
        upload.confirmed_at = timezone.now()
        upload.result = summary.as_dict()
        upload.content = b""  # the file is no longer needed once imported: keep no copy of minors' data
        upload.save(update_fields=["confirmed_at", "result", "content"])
    return summary


def preview_rows(filename: str, content: bytes, limit: int = 20) -> list[dict[str, Any]]:
    """The first rows for the preview table, with 学籍号 and phones masked."""
    from jianfu.core.masking import mask_phone, mask_registry_id

    rows = rules.read_rows(filename, content)
    header = rules.find_header(rows)
    if header is None:
        return []
    index, columns = header
    out = []
    for n, row in enumerate(rows[index + 1 : index + 1 + limit], start=index + 2):

        def cell(key: str, row: list[Any] = row) -> str:
            j = columns.get(key)
            return rules.clean(row[j]) if j is not None and j < len(row) else ""

        phone = normalize_phone(cell("guardian_phone")) if cell("guardian_phone") else None
        out.append(
            {
                "row": n,
                "registry_id": mask_registry_id(rules.check_registry_id(cell("registry_id")).value),
                "name": cell("name"),
                "gender": cell("gender"),
                "grade": cell("grade"),
                "class": cell("class"),
                "guardian": cell("guardian_name"),
                "phone": mask_phone(phone)
                if phone
                else (gettext("（有误）") if cell("guardian_phone") else ""),
            }
        )
    return out
