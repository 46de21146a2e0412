"""The site's part of the API: who the signed-in user is and which roles they hold where."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from jianfu.core.masking import mask_phone
from jianfu.schools.access import memberships_of

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    role_label: str
    region_code: str | None = None
    school_id: int | None = None
    class_id: int | None = None


class MeOut(Schema):
    name: str
    phone_masked: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        name=user.name,  # type: ignore[union-attr]
        phone_masked=mask_phone(user.phone),  # type: ignore[union-attr]
        memberships=[
            MembershipOut(
                role=m.role,
                role_label=m.get_role_display(),
                region_code=m.region.code if m.region else None,
                school_id=m.school_id,
                class_id=m.school_class_id,
            )
            for m in memberships_of(user)
        ],
    )
