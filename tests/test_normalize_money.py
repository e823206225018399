"""Budget parsing: forms seen in the seeds and research notes, and round-trip properties."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.normalize.money import budget_of_cells, parse_budget_by_year, parse_money

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# (text, expected (budget_thb, budget_status)) — research/taxonomy-notes.md §5a and the seeds
MONEY_CASES = [
    # amounts
    ("๘,๕๐๐", (8500.0, "amount")),
    ("๕,๐๐๐ บาท", (5000.0, "amount")),
    ("8,500 บาท", (8500.0, "amount")),
    ("8,500.-", (8500.0, "amount")),
    ("8,500.- บาท", (8500.0, "amount")),
    ("8,500.-บาท", (8500.0, "amount")),
    ("20,000.- บาท", (20000.0, "amount")),
    ("100,000", (100000.0, "amount")),
    ("5,000", (5000.0, "amount")),
    ("5000", (5000.0, "amount")),
    ("20,000 บาท (สองหมื่นบาทถ้วน)", (20000.0, "amount")),
    ("๒๐,๐๐๐ บาท (สองหมื่นบาทถ้วน)", (20000.0, "amount")),
    ("53,000 บาท (ห้าหมื่นสามพันบาทถ้วน)", (53000.0, "amount")),
    ("1.5 ล้านบาท", (1500000.0, "amount")),
    ("2 ล้าน", (2000000.0, "amount")),
    ("1,250,000.50 บาท", (1250000.5, "amount")),
    ("งบประมาณตามแผนปฏิบัติการป้องกันการทุจริต จำนวน 30,000 บาท", (30000.0, "amount")),
    ("จำนวน 3 ครั้ง ๆ ละ 5,000 บาท รวม 15,000 บาท", (15000.0, "amount")),
    ("ค่าอาหาร 5,000 บาท\nค่าวัสดุ 3,000 บาท", (8000.0, "amount")),
    ("1. ค่าอาหาร 5,000 บาท\n2. ค่าวัสดุ 3,000 บาท", (8000.0, "amount")),
    ("ไม่เกิน 20,000 บาท", (20000.0, "amount")),
    # extraction damage
    ("5 ,296,500 บาท", (5296500.0, "amount")),  # pdfplumber on the real budget bill PDFs
    ("100\n,00\n0", (100000.0, "amount")),  # wrapped table cell
    ("1, 000 บาท", (1000.0, "amount")),
    # years are never amounts
    ("ปีงบประมาณ 2562 จำนวน 78,000 บาท", (78000.0, "amount")),
    ("ปี 2562 = 20,000 บาท ปี 2563 = 20,000 บาท", (40000.0, "amount")),
    ("ปีงบประมาณ 2562 จำนวน 78,000 บาท\n" * 3, (234000.0, "amount")),
    (
        "ปีงบประมาณ 2562 จำนวน 78,000 บาท\nปีงบประมาณ 2563 จำนวน 78,000 บาท\nปีงบประมาณ 2564 จำนวน 78,000 บาท",
        (234000.0, "amount"),
    ),
    ("ปี ๒๕๖๒ = ๒๐,๐๐๐ บาท ปี ๒๕๖๓ = ๒๐,๐๐๐ บาท", (40000.0, "amount")),
    ("ปี 2562 = 20,000 บาท ปี 2563 = 20,000 บาท รวม 40,000 บาท", (40000.0, "amount")),
    ("ปีงบประมาณ พ.ศ. 2562 - 2564 ปีละ 20,000 บาท", (60000.0, "amount")),
    ("งบประมาณ 10,000 บาท (งบประมาณปี 2565)", (10000.0, "amount")),
    ("ปีงบประมาณ 2565", (None, "unspecified")),
    ("1 ตุลาคม 2564 - 30 กันยายน 2565", (None, "unspecified")),
    # baht text only
    ("ห้าหมื่นบาทถ้วน", (50000.0, "amount")),
    ("(ห้าหมื่นสามพันบาทถ้วน)", (53000.0, "amount")),
    # no budget
    ("ไม่ใช้งบประมาณ", (0.0, "none")),
    ("ไม่ได้ใช้ งบประมาณ ดำเนินการ", (0.0, "none")),
    ("ไม่ได้ใช้งบประมาณดำเนินการ", (0.0, "none")),
    ("ไม่ได้ใช้ งบประมาณ\nดำเนินการ", (0.0, "none")),
    ("ดำเนินการโดยไม่ใช้งบประมาณ", (0.0, "none")),
    ("ไม่ใช้งบ ประมา ณ", (0.0, "none")),
    ("ไม่ใช้งบ", (0.0, "none")),
    ("ไม่มีค่าใช้จ่าย", (0.0, "none")),
    ("ไม่ใช้งบประ\u0645าณ", (0.0, "none")),  # Arabic MEEM for ม
    ("ไมใช้งบประมาณ", (0.0, "none")),  # tone mark missing
    ("ไม่ไช้งบประมาณ", (0.0, "none")),  # misspelt
    ("ไม\u0e48ใช\u0e49 งบประมาณ", (0.0, "none")),
    ("ไม่ใช้งบประมาณ (ดำเนินการไตรมาส 1-4)", (0.0, "none")),
    ("-", (0.0, "none")),
    ("–", (0.0, "none")),
    (" - ", (0.0, "none")),
    ("- บาท", (0.0, "none")),
    ("0 บาท", (0.0, "none")),
    # nothing usable
    ("", (None, "unspecified")),
    ("   ", (None, "unspecified")),
    (None, (None, "unspecified")),
    ("ระบุงบประมาณที่ใช้ดำเนินการ", (None, "unspecified")),
    ("ดำเนินการโดยใช้งบประมาณ", (None, "unspecified")),
    ("ตามงบประมาณปกติ", (None, "unspecified")),
    ("ไม่ได้ระบุงบประมาณ", (None, "unspecified")),
    ("บูรณาการกับโครงการอื่น", (None, "unspecified")),
]


@pytest.mark.parametrize(("text", "expected"), MONEY_CASES)
def test_parse_money(text: str | None, expected: tuple[float | None, str]) -> None:
    assert parse_money(text) == expected


BY_YEAR_CASES = [
    ("ปีงบประมาณ 2562 จำนวน 78,000 บาท", {2562: 78000.0}),
    (
        "ปีงบประมาณ 2562 จำนวน 78,000 บาท\nปีงบประมาณ 2563 จำนวน 78,000 บาท\nปีงบประมาณ 2564 จำนวน 78,000 บาท",
        {2562: 78000.0, 2563: 78000.0, 2564: 78000.0},
    ),
    ("ปี 2562 = 20,000 บาท ปี 2563 = 20,000 บาท", {2562: 20000.0, 2563: 20000.0}),
    ("ปี ๒๕๖๒ = ๒๐,๐๐๐ บาท ปี ๒๕๖๓ = ๓๐,๐๐๐ บาท", {2562: 20000.0, 2563: 30000.0}),
    ("ปี 2562 = 20,000 บาท ปี 2563 = 20,000 บาท รวม 40,000 บาท", {2562: 20000.0, 2563: 20000.0}),
    ("ปีงบประมาณ พ.ศ. 2562 - 2564 ปีละ 20,000 บาท", {2562: 20000.0, 2563: 20000.0, 2564: 20000.0}),
    ("ค.ศ. 2022 จำนวน 5,000 บาท", {2565: 5000.0}),
    ("20,000 บาท", {}),
    ("ไม่ใช้งบประมาณ", {}),
    ("ปีงบประมาณ 2562 - 2564 จำนวน 60,000 บาท", {}),  # a span, not per year
    ("", {}),
    (None, {}),
]


@pytest.mark.parametrize(("text", "expected"), BY_YEAR_CASES)
def test_parse_budget_by_year(text: str | None, expected: dict[int, float]) -> None:
    assert parse_budget_by_year(text) == expected


# --------------------------------------------------------------------------- properties

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _format(value: int, commas: bool, thai: bool, suffix: str) -> str:
    text = f"{value:,}" if commas else str(value)
    text += suffix
    return text.translate(THAI_DIGITS) if thai else text


@PROPERTY
@given(
    value=st.integers(min_value=1, max_value=999_999_999),
    commas=st.booleans(),
    thai=st.booleans(),
    suffix=st.sampled_from(["", " บาท", "บาท", ".-", ".- บาท", ".-บาท", " บ.", ".00 บาท"]),
)
def test_money_round_trip(value: int, commas: bool, thai: bool, suffix: str) -> None:
    assert parse_money(_format(value, commas, thai, suffix)) == (float(value), "amount")


@PROPERTY
@given(
    satang=st.integers(min_value=1, max_value=99_999_999_999),
    thai=st.booleans(),
)
def test_money_round_trip_decimals(satang: int, thai: bool) -> None:
    text = f"{satang // 100:,}.{satang % 100:02d} บาท"
    value, status = parse_money(text.translate(THAI_DIGITS) if thai else text)
    assert status == "amount"
    assert value == pytest.approx(satang / 100)


@PROPERTY
@given(
    millions=st.integers(min_value=1, max_value=99_999),
    thai=st.booleans(),
    unit=st.sampled_from([" ล้านบาท", "ล้านบาท", " ล้าน"]),
)
def test_money_round_trip_millions(millions: int, thai: bool, unit: str) -> None:
    text = f"{millions / 100:g}{unit}"
    value, status = parse_money(text.translate(THAI_DIGITS) if thai else text)
    assert status == "amount"
    assert value == pytest.approx(millions / 100 * 1_000_000)


@PROPERTY
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=9_999_999), min_size=1, max_size=4),
    start=st.integers(min_value=2550, max_value=2590),
    thai=st.booleans(),
    style=st.sampled_from(["ปี {y} = {a:,} บาท", "ปีงบประมาณ {y} จำนวน {a:,} บาท", "พ.ศ. {y} งบประมาณ {a:,}.- บาท"]),
    sep=st.sampled_from([" ", "\n", " / "]),
)
def test_per_year_amounts_sum(amounts: list[int], start: int, thai: bool, style: str, sep: str) -> None:
    text = sep.join(style.format(y=start + i, a=a) for i, a in enumerate(amounts))
    if thai:
        text = text.translate(THAI_DIGITS)
    assert parse_money(text) == (float(sum(amounts)), "amount")
    assert parse_budget_by_year(text) == {start + i: float(a) for i, a in enumerate(amounts)}


NO_BUDGET = ["ไม่ใช้งบประมาณ", "ไม่ได้ใช้งบประมาณดำเนินการ", "ดำเนินการโดยไม่ใช้งบประมาณ", "ไม่มีค่าใช้จ่าย"]


@PROPERTY
@given(phrase=st.sampled_from(NO_BUDGET), data=st.data())
def test_no_budget_with_broken_spacing(phrase: str, data: st.DataObject) -> None:
    cuts = data.draw(st.sets(st.integers(min_value=1, max_value=len(phrase) - 1), max_size=4))
    spaces = data.draw(st.sampled_from([" ", "  ", "\n", " \n"]))
    text = "".join(spaces + c if i in cuts else c for i, c in enumerate(phrase))
    assert parse_money(text) == (0.0, "none")


@PROPERTY
@given(st.text())
def test_parse_money_total(text: str) -> None:
    value, status = parse_money(text)
    assert status in {"amount", "none", "unspecified"}
    assert (value is None) == (status == "unspecified")
    assert status != "none" or value == 0.0
    assert isinstance(parse_budget_by_year(text), dict)


def test_per_year_lines_without_baht_word() -> None:
    text = "ปี 2562 20,000\nปีงบประมาณ 2563 30,000"
    assert parse_money(text) == (50000.0, "amount")
    assert parse_budget_by_year(text) == {2562: 20000.0, 2563: 30000.0}


# -- budget_of_cells: a table row's budget cells as written -> (budget, status, per year)

@given(st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=99_999_999)), min_size=1, max_size=6))
def test_budget_of_cells_adds_the_years_figures(amounts: list[int | None]) -> None:
    """One cell per fiscal year, a figure (comma-grouped) or '-': the figures add up, each
    to its year; only dashes is no budget."""
    cells = [(2561 + i, f"{a:,}" if a else "-") for i, a in enumerate(amounts)]
    figures = {2561 + i: float(a) for i, a in enumerate(amounts) if a}
    if figures:
        assert budget_of_cells(cells) == (sum(figures.values()), "amount", figures)
    else:
        assert budget_of_cells(cells) == (0.0, "none", {})


def test_budget_of_cells_without_years_and_with_nothing_written() -> None:
    assert budget_of_cells([(None, "20,000 บาท"), (None, "5,000")]) == (25000.0, "amount", {})
    assert budget_of_cells([]) == (None, "unspecified", {})
    assert budget_of_cells([(2561, ""), (2562, "ระบุงบประมาณที่ใช้")]) == (None, "unspecified", {})
