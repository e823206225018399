"""Fiscal years from period text and table headers (research/taxonomy-notes.md §5b)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.normalize.years import parse_fiscal_years, year_in_header

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

PERIOD_CASES = [
    # single years
    ("2565", (2565, 2565)),
    ("พ.ศ. 2565", (2565, 2565)),
    ("พ.ศ.2565", (2565, 2565)),
    ("ประจำปีงบประมาณ พ.ศ. 2565", (2565, 2565)),
    ("ปีงบประมาณ ๒๕๖๘", (2568, 2568)),
    # ranges as written in the seeds
    ("ปีงบประมาณ พ.ศ.๒๕๖๗ ถึง พ.ศ.๒๕๖๘", (2567, 2568)),
    ("ปีงบประมาณ พ.ศ.๒๕๖๗ ถึง ๒๕๖๘", (2567, 2568)),
    ("ปีงบประมาณ\nพ.ศ.๒๕๖๗ ถึง พ.ศ.๒๕๖๘", (2567, 2568)),
    ("ปีงบประมาณ พ.ศ. 2562 - 2564", (2562, 2564)),
    ("ปีงบประมาณ พ.ศ. 2562 – 2564", (2562, 2564)),
    ("ปีงบประมาณ 2562 - 2564", (2562, 2564)),
    ("ปีงบประมาณ 2562 – 2564", (2562, 2564)),
    ("ปีงบประมาณ พ.ศ. 2562 -2564", (2562, 2564)),
    ("2562 - 2564", (2562, 2564)),
    ("2562 – 2564", (2562, 2564)),
    ("2562 -2564", (2562, 2564)),
    ("3 ปี (ปีงบประมาณ พ.ศ. 2562 – 2564)", (2562, 2564)),
    ("ปีงบประมาณ 2562 - 2565", (2562, 2565)),
    ("(พ.ศ.๒๕๖๑ - ๒๕๖๔)", (2561, 2564)),
    ("๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐)", (2566, 2570)),
    ("(พ.ศ. 2566 – 2570)", (2566, 2570)),
    ("ปี ๒๕๖๖ ปี ๒๕๖๗ ปี ๒๕๖๘ ปี ๒๕๖๙ ปี ๒๕๗๐", (2566, 2570)),
    ("2562, 2563, 2564", (2562, 2564)),
    ("2562,2563,2564", (2562, 2564)),
    # short forms
    ("พ.ศ. 2562-64", (2562, 2564)),
    ("พ.ศ. 2562 - 64", (2562, 2564)),
    ("ปี 61-64", (2561, 2564)),
    # Gregorian
    ("ค.ศ. 2022", (2565, 2565)),
    ("ค.ศ.๒๐๒๒", (2565, 2565)),
    ("2022", (2565, 2565)),
    ("2022 - 2024", (2565, 2567)),
    ("พ.ศ. 2565 (ค.ศ. 2022)", (2565, 2565)),
    # dates: October–December belong to the next fiscal year
    ("1 ตุลาคม 2564 - 30 กันยายน 2565", (2565, 2565)),
    ("ตุลาคม 2564 – กันยายน 2565", (2565, 2565)),
    ("๑ ตุลาคม ๒๕๖๔ ถึง ๓๐ กันยายน ๒๕๖๕", (2565, 2565)),
    ("ต.ค. 64 - ก.ย. 65", (2565, 2565)),
    ("ต.ค. 2564 - ก.ย. 2567", (2565, 2567)),
    ("ตุลาคม - ธันวาคม 2564", (2565, 2565)),
    ("มกราคม - มีนาคม 2565", (2565, 2565)),
    ("1/10/2564 - 30/9/2565", (2565, 2565)),
    ("October 2021 - September 2022", (2565, 2565)),
    ("ปีงบประมาณ 2565 (1 ตุลาคม 2564 - 30 กันยายน 2565)", (2565, 2565)),
    # amounts are not years
    ("ปีงบประมาณ 2562 จำนวน 78,000 บาท", (2562, 2562)),
    # nothing
    ("ไตรมาส 1-4", None),
    ("ไตรมาส 1 - ไตรมาส 4", None),
    ("ตลอดปี", None),
    ("12 เดือน", None),
    ("2,562", None),
    ("พ.ศ. 2480", None),  # not a plausible fiscal year of these plans
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), PERIOD_CASES)
def test_parse_fiscal_years(text: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_fiscal_years(text) == expected


HEADER_CASES = [
    ("ปี 2561", 2561),
    ("๒๕๖๘", 2568),
    ("พ.ศ. 2562", 2562),
    ("ปีงบประมาณ 2563 งบประมาณ (บาท)", 2563),
    ("ปีงบประมาณ ๒๕๖๘\nงบประมาณ (บาท)", 2568),
    ("งบประมาณ ปี 2566 (บาท)", 2566),
    ("ปี 61", 2561),
    ("งบประมาณ (บาท)", None),
    ("ไตรมาส 1 (ต.ค.-ธ.ค. 64)", None),
    ("พ.ศ. 2561 - 2564", None),
    ("2,561", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_CASES)
def test_year_in_header(text: str | None, expected: int | None) -> None:
    assert year_in_header(text) == expected


# --------------------------------------------------------------------------- properties

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
be_years = st.integers(min_value=2540, max_value=2600)
# Gregorian years whose B.E. is plausible, and that read as Gregorian (19xx/20xx)
ce_years = st.integers(min_value=1997, max_value=2057)


def _digits(text: str, thai: bool) -> str:
    return text.translate(THAI_DIGITS) if thai else text


@PROPERTY
@given(
    year=be_years,
    thai=st.booleans(),
    form=st.sampled_from(["{y}", "พ.ศ. {y}", "พ.ศ.{y}", "ปีงบประมาณ {y}", "ปีงบประมาณ พ.ศ. {y}", "ประจำปี พ.ศ.{y}"]),
)
def test_single_be_year(year: int, thai: bool, form: str) -> None:
    assert parse_fiscal_years(_digits(form.format(y=year), thai)) == (year, year)


@PROPERTY
@given(year=ce_years, thai=st.booleans(), form=st.sampled_from(["ค.ศ. {y}", "ค.ศ.{y}", "{y}"]))
def test_single_ce_year(year: int, thai: bool, form: str) -> None:
    assert parse_fiscal_years(_digits(form.format(y=year), thai)) == (year + 543, year + 543)


@PROPERTY
@given(
    start=be_years,
    span=st.integers(min_value=0, max_value=8),
    thai=st.booleans(),
    sep=st.sampled_from([" - ", " – ", "-", " -", " ถึง ", " ถึง พ.ศ. "]),
    prefix=st.sampled_from(["", "พ.ศ. ", "ปีงบประมาณ ", "ปีงบประมาณ พ.ศ.", "3 ปี (ปีงบประมาณ พ.ศ. "]),
)
def test_be_range(start: int, span: int, thai: bool, sep: str, prefix: str) -> None:
    end = min(start + span, 2600)
    text = f"{prefix}{start}{sep}{end}" + (")" if prefix.endswith("(ปีงบประมาณ พ.ศ. ") else "")
    assert parse_fiscal_years(_digits(text, thai)) == (start, end)


@PROPERTY
@given(
    start=st.integers(min_value=2540, max_value=2590), span=st.integers(min_value=0, max_value=9), thai=st.booleans()
)
def test_short_range(start: int, span: int, thai: bool) -> None:
    end = start + span
    assert parse_fiscal_years(_digits(f"พ.ศ. {start}-{end % 100:02d}", thai)) == (start, end)


@PROPERTY
@given(start=ce_years, span=st.integers(min_value=0, max_value=3), thai=st.booleans())
def test_ce_range(start: int, span: int, thai: bool) -> None:
    end = min(start + span, 2057)
    assert parse_fiscal_years(_digits(f"ค.ศ. {start} - {end}", thai)) == (start + 543, end + 543)


@PROPERTY
@given(
    year=st.integers(min_value=2540, max_value=2598), month=st.integers(min_value=1, max_value=12), thai=st.booleans()
)
def test_date_fiscal_year(year: int, month: int, thai: bool) -> None:
    months = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
              "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]  # fmt: skip
    fy = year + 1 if month >= 10 else year
    assert parse_fiscal_years(_digits(f"15 {months[month - 1]} {year}", thai)) == (fy, fy)


@PROPERTY
@given(
    year=be_years,
    thai=st.booleans(),
    form=st.sampled_from(["ปี {y}", "พ.ศ. {y}", "{y}", "ปีงบประมาณ {y} งบประมาณ (บาท)"]),
)
def test_year_in_header_forms(year: int, thai: bool, form: str) -> None:
    assert year_in_header(_digits(form.format(y=year), thai)) == year


@PROPERTY
@given(st.text())
def test_total(text: str) -> None:
    years = parse_fiscal_years(text)
    assert years is None or (2540 <= years[0] <= years[1] <= 2600)
    header = year_in_header(text)
    assert header is None or 2540 <= header <= 2600
