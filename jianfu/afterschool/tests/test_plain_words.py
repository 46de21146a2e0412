"""Rule ids stay behind the 依据 disclosure on the after-school pages too (issue 15; product review H4)."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from jianfu.policies.tests.test_plain_words import internal_terms, visible_words


def test_a_programme_finding_reads_as_words_with_its_rule_id_behind_the_disclosure():
    finding = SimpleNamespace(
        severity="violation",
        message_zh="课后服务每周至少5天，每天不少于2小时",
        message_en="",
        rule_id="after_school_five_days_two_hours",
        source="教育部办公厅关于做好中小学生课后服务工作的指导意见",
        profile_on=None,
    )
    html = render_to_string("afterschool/_programme_findings.html", {"findings": [finding], "compact": False})
    assert "after_school_five_days_two_hours" in html  # still there for who opens 依据
    assert internal_terms(visible_words(html)) == []


@pytest.mark.django_db
def test_the_school_figures_page_names_no_rule(client, world, autumn_term, monday):
    from jianfu.afterschool.tests.factories_days import programme_for

    programme_for(world, autumn_term)
    client.force_login(world.users["academic"])
    r = client.get("/afterschool/days/figures/", {"school": world.school.pk, "term": autumn_term.pk})
    assert r.status_code == 200
    assert "减免按学校已核实的困难家庭" in r.content.decode()
    assert internal_terms(visible_words(r.content.decode())) == []
