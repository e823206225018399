"""Fiscal years (Buddhist Era) from period text and table headers.

The Thai fiscal year B.E. *N* runs from 1 October *N* − 1 to 30 September *N*, so a date in
October–December belongs to the next fiscal year. Gregorian years become B.E. (+ 543) only
after ``ค.ศ.``, or when they are 19xx/20xx and no B.E. year is in the text. Only plausible
fiscal years (2540–2600) are returned.
"""

from __future__ import annotations

import re

from prongsai.normalize.clean import clean_text
from prongsai.normalize.registry import data_yaml, months, words_pattern

__all__ = ["fiscal_quarter", "parse_fiscal_years", "year_in_header"]

MIN_FY, MAX_FY = 2540, 2600
_BE_OFFSET = 543

#: month names (``data/months.csv``) -> month number: Thai (in full, then abbreviated), English
_THAI_MONTHS = {m.name: m.month for form in ("thai", "thai_abbr") for m in months() if m.form == form}
_EN_MONTHS = {m.name: m.month for m in months() if m.form == "english"}


def fiscal_quarter(month: int) -> int:
    """The quarter of the Thai fiscal year (from October) a month falls in.

    >>> [fiscal_quarter(m) for m in (10, 12, 1, 3, 4, 7, 9)]
    [1, 1, 2, 2, 3, 4, 4]
    """
    return (month - 10) % 12 // 3 + 1


_WORDS = data_yaml("date_words.yaml")  # the vocabulary: data/date_words.yaml
#: a space that may follow an inner dot of an abbreviation (``ต. ค.``, ``พ. ศ.``)
_GAP = r"\s?"


def _month_pattern() -> str:
    # "ต.ค." also written "ต.ค" or "ต. ค."
    thai = words_pattern(sorted(_THAI_MONTHS, key=len, reverse=True), gap=_GAP)
    english = sorted(_EN_MONTHS, key=len, reverse=True)
    return thai + "|" + r"\b(?:" + "|".join(english) + r")\b\.?"


_MONTH = _month_pattern()
_ERA = rf"(?:(?P<era>{words_pattern(_WORDS['eras'], gap=_GAP)})\s*)?"
#: eras of the Gregorian calendar, without dots or spaces, upper case (คศ, AD)
_GREGORIAN = frozenset(w.replace(".", "").upper() for w, cal in _WORDS["eras"].items() if cal == "gregorian")
#: the Buddhist era (พ.ศ.) written anywhere
_BE_ERA = re.compile(words_pattern([next(w for w, cal in _WORDS["eras"].items() if cal == "buddhist")], gap=_GAP))
_RANGE_SEP = "|".join(["-", "–", "—", words_pattern(_WORDS["range_words"])])
# a named month with optional day before and optional year after
_DATE = re.compile(
    rf"(?:(?<!\d)\d{{1,2}}\s*)?(?P<month>{_MONTH})\s*{_ERA}(?P<year>\d{{4}}|\d{{2}})?(?!\d)",
    re.IGNORECASE,
)
# numeric dates d/m/yyyy, d/m/yy, d.m.yyyy
_NUM_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/])")
# a 4-digit year (not part of an amount), optionally followed by a short range end "2562-64"
_YEAR = re.compile(
    rf"{_ERA}(?<!\d)(?<!\d\.)(?P<year>\d{{4}})(?!\d|,\d{{3}}(?!\d)|\.\d)"
    rf"(?:\s*(?:{_RANGE_SEP})\s*(?P<short>\d{{2}})(?!\d|,\d{{3}}(?!\d)|\.\d))?"
    rf"(?!\s*(?:{words_pattern(_WORDS['money_words'])}|\.-))"
)
# a 2-digit year after a year keyword: "พ.ศ. 62-64", "ปี 61"
_SHORT_YEAR = re.compile(
    rf"(?:{words_pattern(_WORDS['short_year_keys'], gap=_GAP)})\s*(?P<year>\d{{2}})"
    rf"(?!\d|\s*(?:{words_pattern(_WORDS['count_words'])}))"
    rf"(?:\s*(?:{_RANGE_SEP})\s*(?P<short>\d{{2}})(?!\d))?"
)


def _is_gregorian_era(era: str | None) -> bool:
    return era is not None and era.replace(".", "").replace(" ", "").upper() in _GREGORIAN


def _to_be(year: int, era: str | None, has_be: bool) -> int | None:
    """A written year → B.E., or None when it is not a year we can use."""
    if year < 100:  # short B.E. year "64"
        return 2500 + year
    if _is_gregorian_era(era) or (1900 <= year <= 2100 and not has_be):
        return year + _BE_OFFSET if 1900 <= year <= 2100 else None
    if 2400 <= year <= 2700:
        return year
    return None


def _expand_short(start: int, short: str) -> int:
    end = start // 100 * 100 + int(short)
    return end + 100 if end < start else end


def _plain_years(t: str, has_be: bool) -> list[int]:
    years: list[int] = []
    for m in _YEAR.finditer(t):
        y = _to_be(int(m.group("year")), m.group("era"), has_be)
        if y is None:
            continue
        years.append(y)
        if m.group("short"):
            years.append(_expand_short(y, m.group("short")))
    for m in _SHORT_YEAR.finditer(t):
        y = 2500 + int(m.group("year"))
        years.append(y)
        if m.group("short"):
            years.append(_expand_short(y, m.group("short")))
    return years


def _month_number(name: str) -> int:
    key = re.sub(r"\s", "", name).lower()
    if key in _EN_MONTHS or key.rstrip(".") in _EN_MONTHS:
        return _EN_MONTHS[key.rstrip(".")]
    if not key.endswith(".") and key + "." in _THAI_MONTHS:
        key += "."
    return _THAI_MONTHS[key]


def _date_fiscal_years(t: str, has_be: bool) -> tuple[list[int], str]:
    """Fiscal years of the dates in *t*, and *t* with those dates blanked out."""
    found: list[tuple[int, int | None, str | None, tuple[int, int]]] = []  # month, year, era, span
    for m in _DATE.finditer(t):
        year = int(m.group("year")) if m.group("year") else None
        found.append((_month_number(m.group("month")), year, m.group("era"), m.span()))
    for m in _NUM_DATE.finditer(t):
        month = int(m.group(2))
        if 1 <= month <= 12 and 1 <= int(m.group(1)) <= 31:
            found.append((month, int(m.group(3)), None, m.span()))
    found.sort(key=lambda f: f[3])
    fys: list[int] = []
    next_year: tuple[int, int] | None = None  # (month, B.E. year) of the next dated month
    for month, year, era, _span in reversed(found):
        if year is not None:
            be = _to_be(year, era, has_be)
            if be is None:
                continue
        elif next_year is not None:  # "ตุลาคม - ธันวาคม 2564": take the year of the next date
            be = next_year[1] if month <= next_year[0] else next_year[1] - 1
        else:
            continue
        next_year = (month, be)
        fys.append(be + 1 if month >= 10 else be)
    for *_, (start, end) in found:
        t = t[:start] + " " * (end - start) + t[end:]
    return fys, t


def _has_be_year(t: str) -> bool:
    return bool(re.search(r"(?<!\d)(?:24|25|26)\d\d(?!\d)", t)) or bool(_BE_ERA.search(t))


def _all_years(text: str) -> list[int]:
    t = clean_text(text)
    has_be = _has_be_year(t)
    fys, rest = _date_fiscal_years(t, has_be)
    return [y for y in fys + _plain_years(rest, has_be) if MIN_FY <= y <= MAX_FY]


def parse_fiscal_years(text: str | None) -> tuple[int, int] | None:
    """First and last fiscal year (B.E.) named in period text, or None.

    >>> parse_fiscal_years("ปีงบประมาณ พ.ศ.๒๕๖๗ ถึง พ.ศ.๒๕๖๘")
    (2567, 2568)
    >>> parse_fiscal_years("3 ปี (ปีงบประมาณ พ.ศ. 2562 – 2564)")
    (2562, 2564)
    >>> parse_fiscal_years("พ.ศ. 2562-64")
    (2562, 2564)
    >>> parse_fiscal_years("ค.ศ. 2022")
    (2565, 2565)
    >>> parse_fiscal_years("1 ตุลาคม 2564 - 30 กันยายน 2565")
    (2565, 2565)
    >>> parse_fiscal_years("ไตรมาส 1-4") is None
    True
    """
    if not text or not text.strip():
        return None
    years = _all_years(text)
    if not years:
        return None
    return min(years), max(years)


def year_in_header(text: str | None) -> int | None:
    """The one fiscal year (B.E.) a table column header names, or None.

    Headers naming several years (a range) or a month are not year columns.

    >>> year_in_header("ปี 2561")
    2561
    >>> year_in_header("ปีงบประมาณ ๒๕๖๘ งบประมาณ (บาท)")
    2568
    >>> year_in_header("งบประมาณ (บาท)") is None
    True
    >>> year_in_header("พ.ศ. 2561 - 2564") is None
    True
    """
    if not text or not text.strip():
        return None
    t = clean_text(text)
    if _DATE.search(t):
        return None
    years = {y for y in _plain_years(t, _has_be_year(t)) if MIN_FY <= y <= MAX_FY}
    return years.pop() if len(years) == 1 else None
