from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from jianfu.core.errors import NotFound
from jianfu.schools.roster.services import roster_import
from jianfu.schools.selectors import schools_for_actor

router = Router(tags=["roster"])


class RosterSummaryOut(Schema):
    total_rows: int
    new_students: int
    updated_students: int
    unchanged_students: int
    new_guardians: int
    new_classes: int
    dry_run: bool
    unverified_registry_ids: int


@router.post(
    "/import",
    response=RosterSummaryOut,
    summary="Import a roster file (all-or-nothing; 422 lists every bad row)",
)
def import_endpoint(
    request: HttpRequest,
    school_id: int,
    file: UploadedFile = File(...),  # type: ignore[type-arg]
    dry_run: bool = True,
    create_classes: bool = False,
) -> dict[str, Any]:
    school = schools_for_actor(request.user).filter(pk=school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    summary = roster_import(
        actor=request.user,
        school=school,
        filename=file.name or "roster.csv",
        content=file.read(),
        dry_run=dry_run,
        create_classes=create_classes,
    )
    return summary.as_dict()
