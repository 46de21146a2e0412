import json
from datetime import date

import pytest
from django.core.management import call_command

from conftest import PERSONAS
from jianfu.policies.services import profile_override_set

pytestmark = pytest.mark.django_db


def evaluate(client, body):
    return client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")


def hw_body(grade, minutes, **kw):
    return {
        "on": "2026-11-23",
        "facts": {
            "homework_day": {
                "grade": grade,
                "items": [{"subject": "math", "kind": "written", "where": "home", "minutes": minutes}],
                **kw,
            }
        },
    }


@pytest.mark.parametrize(
    ("grade", "minutes", "extra", "expected"),
    [
        (5, 60, {}, []),
        (5, 61, {}, ["hw_written_daily_avg_max_g3_6"]),
        (6, 90, {"system": "five_four"}, []),
        (6, 91, {"system": "five_four"}, ["hw_written_daily_avg_max_g7_9"]),
        (2, 10, {}, ["hw_written_at_home_g1_2"]),
    ],
)
def test_evaluate_returns_the_right_rule_ids(client, world, grade, minutes, extra, expected):
    client.force_login(world.users["teacher"])
    response = evaluate(client, hw_body(grade, minutes, **extra))
    assert response.status_code == 200, response.content
    assert [f["rule_id"] for f in response.json()["findings"]] == expected


def test_evaluate_with_a_school_profile_and_an_inline_what_if(client, world):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=date(2026, 9, 1),
        reason="区文件",
    )
    client.force_login(world.users["principal"])
    body = {**hw_body(3, 41), "school_id": world.school.pk}
    data = evaluate(client, body).json()
    assert [f["rule_id"] for f in data["findings"]] == ["hw_written_daily_avg_max_g3_6"]
    assert data["findings"][0]["evidence"]["cap_minutes"] == 40
    what_if = {**hw_body(5, 50), "profile": {"hw_written_daily_avg_max_g3_6.max_minutes": 45}}
    assert [f["rule_id"] for f in evaluate(client, what_if).json()["findings"]] == [
        "hw_written_daily_avg_max_g3_6"
    ]


def test_evaluate_refuses_bad_input_with_a_named_field(client, world):
    client.force_login(world.users["teacher"])
    response = evaluate(
        client, {"facts": {"homework_day": {"grade": 5, "items": [{"subject": "x", "minutes": -1}]}}}
    )
    assert response.status_code == 422
    unknown = evaluate(client, {**hw_body(5, 10), "profile": {"no.such": 1}})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "policy_unknown_parameter"


@pytest.mark.parametrize("persona", PERSONAS)
def test_school_scoped_evaluation_is_404_outside_scope(client, world, persona):
    client.force_login(world.users[persona])
    response = evaluate(client, {**hw_body(5, 10), "school_id": world.school.pk})
    sees_school = persona in ("bureau", "inspector", "principal", "academic")
    assert response.status_code == (200 if sees_school else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_rules_and_profile_endpoints(client, world, persona):
    client.force_login(world.users[persona])
    rules = client.get("/api/v1/policy/rules")
    assert rules.status_code == 200
    assert any(r["id"] == "exam_paper_none_g1_2" for r in rules.json())
    profile = client.get(f"/api/v1/policy/profile?school_id={world.school.pk}")
    assert profile.status_code == (
        200 if persona in ("bureau", "inspector", "principal", "academic") else 404
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_profile_page_per_persona(client, world, persona):
    client.force_login(world.users[persona])
    response = client.get("/policies/")
    if persona in ("bureau", "inspector", "principal", "academic", "outsider"):
        assert response.status_code == 200
        html = response.content.decode()
        assert "hw_written_daily_avg_max_g3_6" in html and "中办发〔2021〕40号" in html
        assert ("设置本地规定" in html) == (persona in ("bureau", "principal", "academic", "outsider"))
    else:
        assert response.status_code == 404


def test_profile_page_shows_who_changed_what_and_refuses_relaxation(client, world):
    client.force_login(world.users["bureau"])
    ok = client.post(
        f"/policies/?region={world.district.code}",
        {
            "key": "settings.homework_bands",
            "value": '[{"grades":[3,4],"max_minutes":40}]',
            "effective_from": "2026-09-01",
            "reason": "天河区减负文件",
        },
    )
    assert ok.status_code == 302
    html = client.get(f"/policies/?school={world.school.pk}").content.decode()
    assert "天河区减负文件" in html and "区教育局王科长" in html
    refused = client.post(
        f"/policies/?region={world.district.code}",
        {
            "key": "hw_written_daily_avg_max_g7_9.max_minutes",
            "value": "100",
            "effective_from": "2026-09-01",
            "reason": "x",
        },
    )
    assert refused.status_code == 422
    assert "地方规定只能比上级更严格" in refused.content.decode()


def test_outsider_cannot_open_another_districts_school(client, world):
    client.force_login(world.users["outsider"])
    assert client.get(f"/policies/?school={world.school.pk}").status_code == 404
    assert client.post(f"/policies/?school={world.school.pk}", {"key": "x"}).status_code == 404


def test_cli_policy_check(tmp_path, capsys, world):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(hw_body(5, 61)), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("policy", "check", str(path))
    assert exc.value.code == 1
    assert "hw_written_daily_avg_max_g3_6" in capsys.readouterr().out
    path.write_text(json.dumps(hw_body(5, 60)), encoding="utf-8")
    call_command("policy", "check", str(path))
    assert "没有发现问题" in capsys.readouterr().out
