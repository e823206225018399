"""The conversions that moved out of the parser (issue 13): normalize/plan.py (the มิติ number,
the plan period and kind, the framework), normalize/quarters.py (which quarter a column
is, which cells are ticked), the year header text of a budget cell (normalize/money.py)
and a table's years (normalize/project.py). Property tests over the ways a plan writes them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.decisions import REJECT, Decider, Overrides
from prongsai.model import SourceRef
from prongsai.normalize.money import budget_of_cells, budget_of_written_cells
from prongsai.normalize.plan import dimension_number, framework_of, period_fields, plan_fields
from prongsai.normalize.project import table_years
from prongsai.normalize.quarters import column_quarter, month_quarter, ticked, ticked_quarters
from prongsai.normalize.registry import months
from prongsai.normalize.years import fiscal_quarter
from prongsai.parse.header import PlanHeader
from prongsai.parse.record import Record

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
YEARS = st.integers(min_value=2545, max_value=2595)  # plausible fiscal years run to 2600
# how a table header writes a fiscal year
YEAR_HEADER = st.sampled_from(["{}", "ปี {}", "พ.ศ. {}", "ปีงบประมาณ {}", "งบประมาณ ปี {} (บาท)", "ปี{}"])


def _written(template: str, year: int, thai: bool) -> str:
    text = template.format(year)
    return text.translate(THAI_DIGITS) if thai else text


# -- the มิติ number ------------------------------------------------------------------------

@PROPERTY
@given(st.integers(min_value=1, max_value=4), st.booleans(), st.sampled_from(["", " ", "  "]))
def test_a_dimension_number_reads_as_written(n: int, thai: bool, pad: str) -> None:
    text = f"{pad}{n}{pad}"
    assert dimension_number(text.translate(THAI_DIGITS) if thai else text) == n


@PROPERTY
@given(st.text(alphabet="กขมิติ.- abc", min_size=0, max_size=6))
def test_a_dimension_number_is_none_without_digits(text: str) -> None:
    assert dimension_number(text) is None


# -- the plan period ------------------------------------------------------------------------

@PROPERTY
@given(YEARS, st.integers(min_value=0, max_value=5), st.booleans())
def test_the_plan_period_and_its_kind(start: int, span: int, thai: bool) -> None:
    end = start + span
    text = f"แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. {start} - {end})" if span else f"ประจำปีงบประมาณ พ.ศ. {start}"
    written = text.translate(THAI_DIGITS) if thai else text
    assert period_fields(written) == (start, end, "annual" if span == 0 else "multi_year")


def test_a_header_without_a_period_or_labels_has_no_values() -> None:
    p = plan_fields(PlanHeader())
    assert (p.fy_start, p.fy_end, p.plan_kind, p.framework, p.org, p.problems) == (None, None, None, None, None, [])


def test_the_framework_follows_the_labels_as_written() -> None:
    assert framework_of(["มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต"], []) == "2561"
    assert framework_of(["มิติที่ 1 การสร้างวัฒนธรรมสุจริต"], []) == "2566"
    assert framework_of(["มิติที่ 3 ไม่มีป้าย"], [("9.9", "ไม่มี")]) is None


# -- the organisation -----------------------------------------------------------------------

def test_the_organisation_is_the_one_the_parser_chose_in_its_line() -> None:
    header = PlanHeader(org_line="ระหว่าง อบต.นาเข และ เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม", org_index=1)
    org = plan_fields(header).org
    assert org is not None and (org.org_name, org.org_code) == ("เทศบาลตำบลบ้านแพง", "5480401")


def test_a_reviewer_can_reject_the_organisation_line() -> None:
    line = "เทศบาลตำบลบ้านแพง อำเภอบ้านแพง จังหวัดนครพนม"
    overrides = Overrides()
    overrides.add("org_name", line, REJECT)
    assert plan_fields(PlanHeader(org_line=line), Decider(overrides)).org is None
    assert plan_fields(PlanHeader(org_line=line)).org is not None


def test_places_written_elsewhere_complete_the_organisation() -> None:
    header = PlanHeader(org_line="อบต.เมืองน้อย", district_texts=["ธวัชบุรี"], province_texts=["ร้อยเอ็ด"])
    f = plan_fields(header)
    assert f.org is not None and (f.org.district, f.org.province, f.org.org_code) == ("ธวัชบุรี", "ร้อยเอ็ด", "6450511")
    assert f.problems == []  # written, not inferred


# -- quarters -------------------------------------------------------------------------------

@PROPERTY
@given(st.integers(min_value=1, max_value=4), st.sampled_from(["ไตรมาส {}", "ไตรมาสที่ {}", "ไตร มาส {}",
                                                              "แผนการดำเนินงาน ไตรมาส {}", "ไตรมาส\n{}"]))
def test_a_numbered_quarter_column(q: int, template: str) -> None:
    assert column_quarter(template.format(q)) == q


def test_every_month_header_names_its_fiscal_quarter() -> None:
    for m in months():
        if m.form != "english":
            assert month_quarter(m.name) == column_quarter(m.name) == fiscal_quarter(m.month), m.name
            assert column_quarter(f"{m.name} 67") == fiscal_quarter(m.month), m.name


@PROPERTY
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=4), st.sampled_from(["✓", "/", "", " ", "ดำเนินการ", "x"])),
                max_size=8))
def test_the_quarters_of_a_row_are_those_of_its_ticked_columns(cols: list[tuple[int, str]]) -> None:
    marks = [(f"ไตรมาส {q}", mark) for q, mark in cols]
    assert ticked_quarters(marks) == {q for q, mark in cols if mark.strip() in ("✓", "/", "x")}


def test_a_long_cell_is_not_a_tick() -> None:
    assert not ticked("✓ ดำเนินการแล้ว") and ticked(" ✓ ")


# -- years of budget cells and tables -------------------------------------------------------

@PROPERTY
@given(st.lists(st.tuples(YEARS, YEAR_HEADER, st.booleans(), st.sampled_from(["10,000", "-", "", "2,500 บาท"])),
                max_size=5))
def test_a_budget_cells_year_header_reads_as_its_year(cells: list[tuple[int, str, bool, str]]) -> None:
    written = [(_written(template, year, thai), text) for year, template, thai, text in cells]
    assert budget_of_written_cells(written) == budget_of_cells([(year, text) for year, _, _, text in cells])


@PROPERTY
@given(st.lists(st.tuples(YEARS, YEAR_HEADER, st.booleans()), max_size=6))
def test_a_tables_years_are_those_its_headers_name(headers: list[tuple[int, str, bool]]) -> None:
    rec = Record("โครงการ", "plan_table", SourceRef(), year_headers=[_written(t, y, thai) for y, t, thai in headers])
    assert table_years(rec) == sorted({y for y, _, _ in headers})
