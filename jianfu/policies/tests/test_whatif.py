"""The what-if interfaces (POST /api/v1/policy/evaluate, `jianfu policy check`) accept, derive and refuse
as ../shared/findings/policy-interface.md P1–P11 require. Expected values come from the policy text
(policy-defaults.md §2) or the hand calculation written beside each case."""

import json
import math
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import make_user
from jianfu.policies.services import PolicyError, profile_override_set

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "message_en", "field", "details"}
REPO = Path(__file__).resolve().parents[3]


def evaluate(client, body, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post("/api/v1/policy/evaluate", data, content_type="application/json")


def hw_facts(grade, minutes, **kw):
    return {
        "homework_day": {
            "grade": grade,
            "items": [{"subject": "math", "kind": "written", "where": "home", "minutes": minutes}],
            **kw,
        }
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [f["rule_id"] for f in response.json()["findings"]]


# 2026-11-23 is a Monday, an ordinary school day in the 2026 national calendar.
MONDAY = "2026-11-23"


# --- P4: one error shape for the whole API -------------------------------------------------------


def test_schema_validation_errors_have_the_documented_shape(client, world):
    client.force_login(world.users["bureau"])
    response = evaluate(client, {"on": MONDAY, "facts": {"homework_day": {"grade": 0}}})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid"
    assert body["field"] == "facts.homework_day.grade"
    assert "facts.homework_day.grade" in body["message"] and "不小于1" in body["message"]
    assert body["message_en"].startswith("Invalid request")
    assert body["details"][0]["field"] == "facts.homework_day.grade"
    assert body["details"][0]["code"] == "greater_than_equal"


def test_validation_errors_of_another_endpoint_have_the_same_shape(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(
        "/api/v1/homework/preview",
        json.dumps(
            {"class_id": world.class_5_1.pk, "date_set": "2026-12-07", "subject": "math", "minutes": "lots"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid" and body["field"] == "minutes"


def test_unparseable_json_gets_the_documented_shape(client, world):
    client.force_login(world.users["bureau"])
    response = evaluate(client, None, raw="{not json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "bad_request"


# --- P1: the overlay is only stricter ------------------------------------------------------------

# (key, looser value, the value above). The values above are the national defaults of
# policy-defaults.md §2: g3_6 60 min, g7_9 90 min, primary sleep 10 h, prepay 3 months, 1 final a term.
LOOSER = [
    ("hw_written_daily_avg_max_g3_6.max_minutes", 120, "60"),
    ("hw_written_daily_avg_max_g7_9.max_minutes", 150, "90"),
    ("sleep_min_primary.min_hours", 8, "10"),
    ("training_prepay_max_span.max_months", 12, "3"),
    ("exam_final_per_term_max.max_count", 3, "1"),
    # §4.15: counting only the required tier drops the heaviest layer a student carries.
    ("settings.tier_counting", "required_only", "required_plus_max_layer"),
]


@pytest.mark.parametrize(("key", "value", "above"), LOOSER)
def test_a_looser_overlay_is_refused_naming_rule_and_values(client, world, key, value, above):
    client.force_login(world.users["bureau"])
    response = evaluate(client, {"on": MONDAY, "profile": {key: value}, "facts": hw_facts(5, 10)})
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "policy_relaxation_refused"
    assert body["field"] == f"profile.{key}"
    assert above in body["message"] and str(value) in body["message"]
    assert key in body["message_en"]


@pytest.mark.parametrize("key", [k for k, _, _ in LOOSER if not k.startswith("settings.")])
def test_null_for_a_cap_is_refused(client, world, key):
    client.force_login(world.users["bureau"])
    response = evaluate(client, {"on": MONDAY, "profile": {key: None}, "facts": hw_facts(5, 10)})
    assert response.status_code == 422
    assert response.json()["code"] == "policy_relaxation_refused"
    assert response.json()["field"] == f"profile.{key}"


def test_stage_mapping_that_moves_grade_5_into_junior_is_refused_in_the_overlay(client, world):
    client.force_login(world.users["bureau"])
    body = {"on": MONDAY, "profile": {"settings.stage_mapping": {"5": "junior"}}, "facts": hw_facts(5, 85)}
    response = evaluate(client, body)
    assert response.status_code == 422
    assert response.json()["code"] == "policy_relaxation_refused"


def test_a_stricter_overlay_is_accepted_and_applied(client, world):
    client.force_login(world.users["bureau"])
    body = {
        "on": MONDAY,
        "profile": {"hw_written_daily_avg_max_g3_6.max_minutes": 50},
        "facts": hw_facts(5, 55),  # 55 > 50 (the what-if cap), though under the national 60
    }
    response = evaluate(client, body)
    assert ids(response) == ["hw_written_daily_avg_max_g3_6"]
    assert response.json()["findings"][0]["evidence"]["cap_minutes"] == 50
    assert response.json()["profile"]["changed"] == {"hw_written_daily_avg_max_g3_6.max_minutes": 50}


def test_a_band_overlay_may_not_drop_a_stricter_band_above(client, world):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=date(2026, 9, 1),
        reason="区文件",
    )
    client.force_login(world.users["bureau"])
    body = {
        "on": MONDAY,
        "region_code": world.district.code,
        # Replacing the list with a grades 5–6 band alone would drop the district's 40 for grades 3–4.
        "profile": {"settings.homework_bands": [{"grades": [5, 6], "max_minutes": 50}]},
        "facts": hw_facts(3, 55),
    }
    response = evaluate(client, body)
    assert response.status_code == 422
    assert response.json()["code"] == "policy_relaxation_refused"


def test_the_cli_refuses_a_looser_overlay_with_the_error_status(tmp_path, world):
    path = tmp_path / "facts.json"
    body = {
        "on": MONDAY,
        "profile": {"hw_written_daily_avg_max_g3_6.max_minutes": 120},
        "facts": hw_facts(5, 100),
    }
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("policy", "check", str(path))
    assert caught.value.returncode == 2
    assert "地方规定只能比上级更严格" in str(caught.value) and "policy_relaxation_refused" in str(
        caught.value
    )


# --- P3: wrong-typed overlays are 422, never 500 --------------------------------------------------

WRONG_TYPED = [
    ("hw_written_daily_avg_max_g3_6.max_minutes", "lots", hw_facts(5, 80)),
    ("settings.homework_bands", "x", hw_facts(5, 10)),
    ("settings.homework_bands", [{"grades": "a", "max_minutes": 40}], hw_facts(5, 10)),
    ("settings.homework_bands", [{"grades": [3, 4]}], hw_facts(3, 10)),
    (
        "bedtime_latest_primary.latest",
        "late",
        {"night": {"stage": "primary", "bedtime": "21:00", "wake_time": "07:00"}},
    ),
    (
        "sleep_min_primary.min_hours",
        "ten",
        {"night": {"stage": "primary", "bedtime": "21:00", "wake_time": "07:00"}},
    ),
]


@pytest.mark.parametrize(("key", "value", "facts"), WRONG_TYPED)
def test_wrong_typed_overlay_values_are_422(client, world, key, value, facts):
    client.force_login(world.users["bureau"])
    response = evaluate(client, {"on": MONDAY, "profile": {key: value}, "facts": facts})
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "policy_invalid_value"
    assert body["field"] == f"profile.{key}"


@pytest.mark.parametrize(("key", "value", "facts"), WRONG_TYPED)
def test_wrong_typed_overlay_values_stop_the_cli_without_a_traceback(tmp_path, world, key, value, facts):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({"on": MONDAY, "profile": {key: value}, "facts": facts}), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("policy", "check", str(path))
    assert caught.value.returncode == 2
    assert f"profile.{key}" in str(caught.value)


# --- P2: stage_mapping follows the 学制; the what-if and the live check agree ----------------------


def test_stage_mapping_is_checked_against_the_schools_system(world):
    common = {"actor": world.users["bureau"], "effective_from": date(2026, 9, 1), "reason": "测试"}
    with pytest.raises(PolicyError) as caught:  # 六三制: grade 5 is primary (cap 60), not junior (90)
        profile_override_set(
            school=world.school, key="settings.stage_mapping", value={"5": "junior"}, **common
        )
    assert caught.value.code == "policy_relaxation_refused" and caught.value.status == 422
    with pytest.raises(PolicyError):  # 六三制 grade 6 is primary too
        profile_override_set(
            school=world.school, key="settings.stage_mapping", value={"6": "junior"}, **common
        )
    # 五四制: grade 6 is junior, so restating it is accepted …
    profile_override_set(
        school=world.five_four_school, key="settings.stage_mapping", value={"6": "junior"}, **common
    )
    # … but a district holds schools of both 学制: grade 6 cannot be mapped there.
    with pytest.raises(PolicyError):
        profile_override_set(
            region=world.district, key="settings.stage_mapping", value={"6": "junior"}, **common
        )
    with pytest.raises(PolicyError) as caught:
        profile_override_set(
            region=world.district, key="settings.stage_mapping", value={"x": "junior"}, **common
        )
    assert caught.value.code == "policy_invalid_value"


def _teacher_of(school, grade_number, phone):
    from jianfu.accounts.models import Membership, Role
    from jianfu.schools.models import SchoolClass, Subject, Teacher, TeachingAssignment

    user = make_user(phone, "测试老师")
    Membership.objects.create(user=user, role=Role.SUBJECT_TEACHER, school=school)
    klass = SchoolClass.objects.filter(school=school, grade__number=grade_number).first()
    if klass is None:
        klass = SchoolClass.objects.create(
            school=school, grade=school.grades.get(number=grade_number), number=9
        )
    teacher = Teacher.objects.create(school=school, user=user, name="测试老师")
    TeachingAssignment.objects.create(teacher=teacher, school_class=klass, subject=Subject.MATH)
    return user, klass


# 六三制 grade 5 → primary, cap 60; 五四制 grade 6 → junior, cap 90 (dr_opinion_2021 §5).
@pytest.mark.parametrize(("school_attr", "grade", "cap"), [("school", 5, 60), ("five_four_school", 6, 90)])
def test_evaluate_and_the_live_preview_report_the_same_cap(client, world, school_attr, grade, cap):
    school = getattr(world, school_attr)
    user, klass = _teacher_of(school, grade, f"1390000{grade}{len(school_attr):03d}")
    client.force_login(user)
    preview = client.post(
        "/api/v1/homework/preview",
        json.dumps({"class_id": klass.pk, "date_set": "2026-12-07", "subject": "math", "minutes": 85}),
        content_type="application/json",
    )
    assert preview.status_code == 200, preview.content
    client.force_login(world.users["bureau"])
    what_if = evaluate(client, {"school_id": school.pk, "on": "2026-12-07", "facts": hw_facts(grade, 85)})
    assert what_if.status_code == 200, what_if.content
    assert preview.json()["cap"] == cap
    assert what_if.json()["derived"]["homework_day"]["cap_minutes"] == cap


# --- P6: school_id brings the school's 学制 --------------------------------------------------------


def test_school_id_brings_the_schools_system(client, world):
    client.force_login(world.users["bureau"])
    five_four = evaluate(
        client, {"school_id": world.five_four_school.pk, "on": MONDAY, "facts": hw_facts(6, 85)}
    )
    assert ids(five_four) == []  # grade 6 is junior in 五四制: 85 ≤ 90
    assert five_four.json()["derived"]["homework_day"]["system"] == "five_four"
    six_three = evaluate(client, {"school_id": world.school.pk, "on": MONDAY, "facts": hw_facts(6, 85)})
    assert ids(six_three) == ["hw_written_daily_avg_max_g3_6"]  # 六三制 grade 6 is primary: 85 > 60


def test_an_explicit_system_contradicting_the_school_is_refused(client, world):
    client.force_login(world.users["bureau"])
    body = {"school_id": world.school.pk, "on": MONDAY, "facts": hw_facts(6, 85, system="five_four")}
    response = evaluate(client, body)
    assert response.status_code == 422
    assert response.json()["field"] == "facts.homework_day.system"


# --- P7 / issue 20: the day type comes from the calendar ------------------------------------------


def test_subject_training_on_a_saturday_is_found_without_day_type(client, world):
    client.force_login(world.users["bureau"])
    # 2026-12-05 is a Saturday (no make-up workday in the 2026 national arrangement).
    response = evaluate(client, {"on": "2026-12-05", "facts": {"training": {"subject_type": "subject"}}})
    assert ids(response) == ["training_subject_no_weekend_holiday_vacation"]
    assert response.json()["derived"]["training"] == {
        "date": "2026-12-05",
        "day_type": "weekend",
        "day_type_source": "national_calendar",
    }


def test_a_make_up_saturday_is_a_school_day(client, world):
    client.force_login(world.users["bureau"])
    # 2026-10-10 (Saturday) is a 调休上班日 of the 2026 National Day arrangement.
    response = evaluate(client, {"on": "2026-10-10", "facts": {"training": {"subject_type": "subject"}}})
    assert ids(response) == []
    assert response.json()["derived"]["training"]["day_type"] == "school_day"


def test_an_explicit_day_type_wins(client, world):
    client.force_login(world.users["bureau"])
    body = {"on": "2026-12-05", "facts": {"training": {"subject_type": "subject", "day_type": "school_day"}}}
    response = evaluate(client, body)
    assert ids(response) == []
    assert response.json()["derived"]["training"]["day_type_source"] == "given"


def test_homework_on_a_national_holiday_is_not_held_to_the_school_day_cap(client, world):
    client.force_login(world.users["bureau"])
    # 2026-10-01 is National Day: the 60-minute school-day cap does not apply (no national rest-day number).
    response = evaluate(client, {"on": "2026-10-01", "facts": hw_facts(5, 100)})
    assert ids(response) == []
    assert response.json()["derived"]["homework_day"]["day_type"] == "holiday"


def test_the_schools_calendar_is_used_with_school_id(client, world, autumn_term):
    client.force_login(world.users["bureau"])
    # The autumn term runs 1 Sep – 31 Dec 2026; 2027-01-15 lies outside every term: vacation.
    body = {
        "school_id": world.school.pk,
        "on": "2027-01-15",
        "facts": {"training": {"subject_type": "subject"}},
    }
    response = evaluate(client, body)
    assert ids(response) == ["training_subject_no_weekend_holiday_vacation"]
    assert response.json()["derived"]["training"] == {
        "date": "2027-01-15",
        "day_type": "vacation",
        "day_type_source": "school_calendar",
    }
    # Inside the term, a Saturday is a weekend in the school's calendar.
    body["on"] = "2026-12-05"
    assert evaluate(client, body).json()["derived"]["training"]["day_type"] == "weekend"


# --- P9: nonsense values are refused --------------------------------------------------------------

NONSENSE = [
    (
        {"on": MONDAY, "facts": {"training": {"subject_type": "subject", "prepaid_months": -3}}},
        "facts.training.prepaid_months",
    ),
    (
        {"on": MONDAY, "facts": {"training": {"subject_type": "subject", "prepaid_amount": -1}}},
        "facts.training.prepaid_amount",
    ),
    (
        {
            "on": MONDAY,
            "profile": {"hw_written_daily_avg_max_g3_6.max_minutes": -10},
            "facts": hw_facts(5, 10),
        },
        "profile.hw_written_daily_avg_max_g3_6.max_minutes",
    ),
    (
        {"on": MONDAY, "facts": {"night": {"stage": "primary", "bedtime": "07:00", "wake_time": "07:00"}}},
        "facts.night",
    ),
    ({"on": MONDAY, "facts": hw_facts(12, 10, stage="junior")}, "facts.homework_day"),
    ({"on": MONDAY, "facts": hw_facts(5, 10, stage="junior")}, "facts.homework_day"),
    ({"on": "1900-01-01", "facts": hw_facts(5, 10)}, "on"),
    ({"on": "2099-01-01", "facts": hw_facts(5, 10)}, "on"),
    ({"on": MONDAY, "facts": {}}, "facts"),
]


@pytest.mark.parametrize(("body", "field"), NONSENSE)
def test_nonsense_values_are_422_naming_the_field(client, world, body, field):
    client.force_login(world.users["bureau"])
    response = evaluate(client, body)
    assert response.status_code == 422, response.content
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    ("literal", "field"),
    [("NaN", "facts.training.prepaid_months"), ("Infinity", "facts.training.prepaid_amount")],
)
def test_non_finite_numbers_are_422(client, world, literal, field):
    # Python's JSON reader accepts the non-standard NaN and Infinity literals.
    name = field.rsplit(".", 1)[1]
    raw = (
        '{"on": "'
        + MONDAY
        + '", "facts": {"training": {"subject_type": "subject", "'
        + name
        + '": '
        + literal
        + "}}}"
    )
    assert not math.isfinite(json.loads(raw)["facts"]["training"][name])
    client.force_login(world.users["bureau"])
    response = evaluate(client, None, raw=raw)
    assert response.status_code == 422
    assert response.json()["field"] == field


# --- P10: the CLI on a database that is not set up -------------------------------------------------


def _cli(args, tmp_path, database_file):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database_file}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "jianfu.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("exists", [False, True])
def test_cli_on_a_database_not_set_up_says_so_and_exits_2(tmp_path, exists):
    database = tmp_path / "none.sqlite3"
    if exists:
        database.write_bytes(b"")  # an empty file: no tables
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"on": MONDAY, "facts": hw_facts(5, 10)}), encoding="utf-8")
    result = _cli(["policy", "check", str(facts)], tmp_path, database)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "数据库尚未初始化" in result.stderr and "jianfu migrate" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.exists() == exists  # no empty database file left behind
    if exists:
        assert database.stat().st_size == 0


# --- P5: unique schema names; the published schema is the response --------------------------------


def test_openapi_has_one_schema_per_finding_and_it_matches_the_response(client, world):
    client.force_login(world.users["bureau"])
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert {"PolicyFindingOut", "HomeworkFindingOut", "ProgrammeFindingOut"} <= set(components)
    assert "FindingOut" not in components
    evaluate_out = components["EvaluateOut"]
    ref = evaluate_out["properties"]["findings"]["items"]["$ref"]
    published = components[ref.rsplit("/", 1)[1]]
    response = evaluate(client, {"on": MONDAY, "facts": hw_facts(5, 61)}).json()
    assert set(published["properties"]) == set(response["findings"][0])
    assert set(published["required"]) == set(response["findings"][0])
    assert set(evaluate_out["properties"]) == set(response)


def test_cli_json_and_api_use_the_same_keys(tmp_path, capsys, client, world):
    body = {"on": MONDAY, "facts": hw_facts(5, 61)}
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("policy", "check", str(path), "--json")
    assert caught.value.code == 1  # a violation
    cli = json.loads(capsys.readouterr().out)
    client.force_login(world.users["bureau"])
    api = evaluate(client, body).json()
    assert set(cli) == set(api)
    assert cli["findings"][0]["message"] == api["findings"][0]["message"]
    assert set(cli["findings"][0]) == set(api["findings"][0])


# --- P11: the 21:00 end of online training under both rule ids ------------------------------------


def test_a_late_online_lesson_is_reported_under_both_ids(client, world):
    client.force_login(world.users["bureau"])
    # dr_opinion_2021: 线上培训…培训结束时间不晚于21点 (§2.11 training_online_lesson_max; §2.4
    # training_end_online_live_latest). 25-min lesson, 15-min break: only the end is late.
    training = {
        "subject_type": "non_subject",
        "online": True,
        "lesson_minutes": 25,
        "break_minutes": 15,
        "end_time": "21:15",
    }
    response = evaluate(client, {"on": "2026-11-25", "facts": {"training": training}})
    assert sorted(ids(response)) == ["training_end_online_live_latest", "training_online_lesson_max"]
    on_time = evaluate(client, {"on": "2026-11-25", "facts": {"training": {**training, "end_time": "21:00"}}})
    assert ids(on_time) == []


# --- P8: is-school-day and docs/api.md agree -------------------------------------------------------


def test_is_school_day_answers_as_documented(client, world):
    from jianfu.schools.models import Term

    # 2028: a year whose national holidays neither the package nor a bureau has entered.
    Term.objects.create(
        school=world.school,
        school_year="2027-2028",
        kind="spring",
        start_date=date(2028, 2, 20),
        end_date=date(2028, 7, 10),
    )
    client.force_login(world.users["principal"])
    url = f"/api/v1/schools/calendar/is-school-day?school_id={world.school.pk}&date="
    assert client.get(url + "2028-03-08").json()["school_day"] is None  # in a term, year unknown
    assert client.get(url + "2028-08-08").json()["school_day"] is False  # outside every term
    docs = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    line = docs[docs.index("calendar/is-school-day") :][:400]
    assert "`false` for a date outside every term" in line
    assert "`null` for a date inside a term whose year's holidays have not" in line
