"""Local profiles: stricter only, effective dates, resolution national → school."""

from datetime import date

import pytest

from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.policies.models import PolicyProfile, ProfileValue
from jianfu.policies.selectors import homework_cap_minutes, profile_resolve_for_school
from jianfu.policies.services import PolicyError, profile_override_set

pytestmark = pytest.mark.django_db
D = date(2026, 9, 1)


def test_national_profile_is_seeded_with_every_default():
    national = PolicyProfile.objects.get(level="national")
    assert (
        ProfileValue.objects.get(profile=national, key="hw_written_daily_avg_max_g3_6.max_minutes").value
        == 60
    )


def test_district_band_of_40_applies_to_its_schools_from_its_date(world):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=D,
        reason="区教育局文件",
    )
    assert homework_cap_minutes(world.class_3_1, date(2026, 9, 1)) == 40
    assert homework_cap_minutes(world.class_3_1, date(2026, 8, 31)) == 60  # before it took effect
    assert homework_cap_minutes(world.class_5_1, date(2026, 9, 1)) == 60
    assert homework_cap_minutes(world.other_class, date(2026, 9, 1)) == 60  # another district


def test_relaxing_a_cap_is_refused_with_the_values_named(world):
    with pytest.raises(PolicyError) as exc:
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="hw_written_daily_avg_max_g3_6.max_minutes",
            value=70,
            effective_from=D,
            reason="x",
        )
    assert exc.value.code == "policy_relaxation_refused"
    assert "60" in exc.value.message_zh and "70" in exc.value.message_zh
    assert not ProfileValue.objects.filter(profile__region=world.district).exists()


def test_a_school_cannot_relax_its_district(world):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="hw_written_daily_avg_max_g3_6.max_minutes",
        value=50,
        effective_from=D,
        reason="区规定",
    )
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["principal"],
            school=world.school,
            key="hw_written_daily_avg_max_g3_6.max_minutes",
            value=55,
            effective_from=D,
            reason="x",
        )
    profile_override_set(
        actor=world.users["principal"],
        school=world.school,
        key="hw_written_daily_avg_max_g3_6.max_minutes",
        value=45,
        effective_from=D,
        reason="校规",
    )
    profile = profile_resolve_for_school(world.school, D)
    assert profile.get("hw_written_daily_avg_max_g3_6.max_minutes") == 45
    assert profile.provenance["hw_written_daily_avg_max_g3_6.max_minutes"].level == "school"


def test_band_above_the_stage_cap_is_refused(world):
    with pytest.raises(PolicyError) as exc:
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="settings.homework_bands",
            value=[{"grades": [5, 6], "max_minutes": 70}],
            effective_from=D,
            reason="x",
        )
    assert exc.value.code == "policy_relaxation_refused"


@pytest.mark.parametrize(
    ("key", "stricter", "looser"),
    [
        ("sleep_min_primary.min_hours", 10.5, 9),
        ("bedtime_latest_primary.latest", "21:00", "21:30"),
        ("morning_class_start_earliest_primary.earliest", "08:30", "08:00"),
        ("exam_mock_max_graduating.max_count", 1, 3),
    ],
)
def test_direction_of_strictness(world, key, stricter, looser):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key=key,
        value=stricter,
        effective_from=D,
        reason="x",
    )
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key=key,
            value=looser,
            effective_from=date(2026, 10, 1),
            reason="x",
        )


def test_local_by_nature_values_may_go_either_way(world):
    for value in ("18:00", "17:00"):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="after_school_end_not_before_off_work.off_work_time",
            value=value,
            effective_from=D,
            reason="本市作息",
        )
    assert (
        profile_resolve_for_school(world.school, D).get("after_school_end_not_before_off_work.off_work_time")
        == "17:00"
    )


@pytest.mark.parametrize(
    ("persona", "scope", "outcome"),
    [
        ("bureau", "district", "ok"),
        ("bureau", "school", "ok"),
        ("inspector", "district", "denied"),
        ("principal", "school", "ok"),
        ("academic", "school", "ok"),
        ("principal", "district", "hidden"),
        ("head_teacher", "school", "hidden"),
        ("teacher", "school", "hidden"),
        ("parent", "school", "hidden"),
        ("outsider", "school", "hidden"),
        ("nobody", "district", "hidden"),
    ],
)
def test_who_may_set_values(world, persona, scope, outcome):
    kwargs = {"region": world.district} if scope == "district" else {"school": world.school}
    call = lambda: profile_override_set(  # noqa: E731
        actor=world.users[persona],
        key="exam_mock_max_graduating.max_count",
        value=1,
        effective_from=D,
        reason="x",
        **kwargs,
    )
    if outcome == "ok":
        call()
    else:
        with pytest.raises(PermissionDenied if outcome == "denied" else NotFound):
            call()


def test_a_change_is_seen_at_once_by_a_process_that_had_the_old_profile_cached(
    world, django_capture_on_commit_callbacks
):
    """The resolved profile is cached for a minute; a change bumps the cache generation on commit."""
    assert homework_cap_minutes(world.class_3_1, date(2026, 9, 1)) == 60  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="settings.homework_bands",
            value=[{"grades": [3, 4], "max_minutes": 40}],
            effective_from=D,
            reason="区教育局文件",
        )
    assert homework_cap_minutes(world.class_3_1, date(2026, 9, 1)) == 40
