"""Budget cells and sentences → baht amounts.

:func:`parse_money` returns ``(budget_thb, budget_status)`` with ``budget_status`` one of
``amount`` (a figure is given), ``none`` (no budget is used: ``ไม่ใช้งบประมาณ``, ``-``) and
``unspecified`` (nothing usable is stated). :func:`parse_budget_by_year` returns the amounts
that the text ties to a fiscal year.

Years are never amounts: a 4-digit number after ``ปี``/``พ.ศ.``/``ปีงบประมาณ``/``ค.ศ.``, in a
year range or next to a month is skipped. Several amounts are summed (per-year lists), unless
one of them is marked as the total (``รวม``). Baht text in parentheses is ignored when digits
are present.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from prongsai.normalize.clean import clean_text
from prongsai.normalize.registry import data_yaml, months, words_pattern
from prongsai.normalize.thai_chars import TONES_THANTHAKHAT
from prongsai.normalize.years import year_in_header

__all__ = ["NO_BUDGET_PHRASES", "parse_budget_by_year", "parse_money"]

AMOUNT, NONE, UNSPECIFIED = "amount", "none", "unspecified"

_WORDS = data_yaml("money_words.yaml")  # the vocabulary: data/money_words.yaml
#: Phrases that say no budget is used (Thai, repaired). Matched on whitespace-free text,
#: fuzzily, and only where the matched span starts with a negation (``ไม่`` / ``มิ``).
NO_BUDGET_PHRASES: tuple[str, ...] = tuple(_WORDS["no_budget_phrases"])
#: Negations that do *not* mean "no budget" (checked first, exactly, tone marks ignored).
_NOT_NONE: tuple[str, ...] = tuple(_WORDS["not_no_budget"])
#: Whole-cell values that mean "no budget".
_NONE_CELLS: frozenset[str] = frozenset(_WORDS["no_budget_cells"])

#: negations, tone marks dropped: a no-budget phrase holds one; a fuzzy match starts with a short one
_NEGATIONS: tuple[str, ...] = tuple(_WORDS["negations"])
_NEGATION_START = re.compile(words_pattern(_WORDS["negation_starts"]))

_FUZZY_CUTOFF = 85.0
_TONES = re.compile(f"[{TONES_THANTHAKHAT}]")

# ---------------------------------------------------------------------------- number tokens

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULTIPLIERS: dict[str, float] = {w: float(v) for w, v in _WORDS["multipliers"].items()}
_BAHT = re.escape(_WORDS["baht"])
_TOKEN = re.compile(
    rf"(?<![\d.])(?P<num>{_NUM})(?!\d)"
    rf"(?P<post>\s*(?:(?P<mult>{words_pattern(_MULTIPLIERS)})\s*)?"
    rf"(?P<baht>{_BAHT}|{re.escape(_WORDS['baht_abbr'])}|\.-|-\.-|\.00\s*{_BAHT})?)"
)
_DATE_WORDS = data_yaml("date_words.yaml")
_YEAR_KEYS = words_pattern(_WORDS["year_keys"], gap=r"\s*")
_YEAR_KEY = re.compile(rf"(?:{_YEAR_KEYS})\s*[:=]?\s*$")
#: a dash or a range word (ถึง) between the two years of a range
_RANGE_SEP = "|".join(["-", "–", "—", words_pattern(_DATE_WORDS["range_words"])])
#: the Buddhist era (พ.ศ.) written before a year
_BE_ERA = words_pattern([next(w for w, c in _DATE_WORDS["eras"].items() if c == "buddhist")], gap=r"\s*")
_RANGE_BEFORE = re.compile(rf"(?:^|\D)(\d{{4}})\s*(?:{_RANGE_SEP})\s*$")
_RANGE_AFTER = re.compile(rf"^\s*(?:{_RANGE_SEP})\s*(?:{_BE_ERA}\s*)?(\d{{4}})(?!\d)")
_RANGE_BETWEEN = re.compile(rf"\s*(?:{_RANGE_SEP})\s*(?:{_BE_ERA}\s*)?")
_MONTHS = "|".join([*(m.name for m in months() if m.form == "thai"),
                    *(re.escape(m.name) for m in months() if m.form == "thai_abbr")])
_MONTH_BEFORE = re.compile(rf"(?:{_MONTHS})\s*$")
_MONTH_AFTER = re.compile(rf"^\s*(?:{_MONTHS})")
#: a word right before the number that makes it an index, not money
_INDEX_BEFORE = re.compile(rf"(?:{'|'.join(map(re.escape, _WORDS['index_words']))})\s*$")
#: a unit right after the number that is not baht (ปี too, unless a fiscal year follows it)
_OTHER_UNIT = re.compile(
    rf"^\s*(?:{re.escape(_WORDS['year_unit'])}"
    rf"(?!\s*(?:{words_pattern(_WORDS['fiscal_year_suffixes'])})?\s*(?:{_BE_ERA})?\s*\d{{2,4}})|"
    + words_pattern(_WORDS["other_units"]) + ")"
)
_LIST_MARKER = re.compile(r"(?m)^\s*\(?\d{1,2}[.)](?![\d\-])")


def _before_amount(words: list[str], fillers: list[str]) -> re.Pattern[str]:
    """Words right before an amount, each filler word after them optional, then a colon."""
    optional = "".join(rf"\s*(?:{re.escape(f)})?" for f in fillers)
    return re.compile(rf"(?:{words_pattern(words)}){optional}\s*[:=]?\s*$")


_TOTAL_BEFORE = _before_amount(_WORDS["total_words"], _WORDS["total_fillers"])
_PER_YEAR_BEFORE = _before_amount(_WORDS["per_year_words"], _WORDS["per_year_fillers"])

_PARENS = re.compile(r"\(([^()]*)\)")
# "5 ,296,500" (pdfplumber), "100\n,00\n0" (wrapped cell), "1, 000"
_SPLIT_COMMA = re.compile(r"(\d)\s+,\s*(?=\d)|(\d),\s+(?=\d{3}(?!\d))")
_SPLIT_GROUP = re.compile(r"(\d,\d{1,2})\s+(\d{1,2})(?![\d,])")

# ---------------------------------------------------------------------------- baht text

_THAI_NUMWORD = words_pattern(_WORDS["number_words"])
_BAHT_TEXT = re.compile(
    rf"((?:{_THAI_NUMWORD})+){_BAHT}(?:((?:{_THAI_NUMWORD})+){re.escape(_WORDS['satang'])}|{re.escape(_WORDS['exact'])})?"
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    value: float
    strong: bool  # comma groups, decimals, or a baht marker: surely money
    is_year: bool
    bare: bool  # a year only by its value (no ปี/พ.ศ./range/month around it)
    years: tuple[int, ...]  # years attached by the text before it
    total: bool
    per_year: bool


def _prepare(text: str) -> str:
    """Clean the text and glue thousands separators broken by wrapping or extraction."""
    t = clean_text(text)
    t = _SPLIT_COMMA.sub(lambda m: (m.group(1) or m.group(2)) + ",", t)
    t = _SPLIT_GROUP.sub(lambda m: m.group(1) + m.group(2) if len(m.group(1)) + len(m.group(2)) == 5 else m.group(), t)
    if re.search(r"\d", t):
        # baht text or notes without digits in parentheses: "(สองหมื่นบาทถ้วน)"
        t = _PARENS.sub(lambda m: m.group() if re.search(r"\d", m.group(1)) else " ", t)
    return t


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _plausible_year(value: float, num: str) -> bool:
    return num.isdigit() and len(num) == 4 and (2400 <= value <= 2700 or 1900 <= value <= 2100)


def _tokens(t: str) -> list[_Token]:
    """Number tokens in *t* that may be money, with year context attached."""
    list_spans = {m.end() for m in _LIST_MARKER.finditer(t)}
    raw: list[_Token] = []
    for m in _TOKEN.finditer(t):
        num, mult, baht = m.group("num"), m.group("mult"), m.group("baht")
        before, after = t[max(0, m.start() - 30) : m.start()], t[m.end("num") : m.end("num") + 30]
        if not baht and (m.end("num") + 1 in list_spans or m.end("num") in list_spans):
            continue  # "1." / "2)" list markers
        value = _to_float(num)
        if mult:
            value *= _MULTIPLIERS[mult]
        strong = bool(baht or mult or "," in num or "." in num)
        year_ctx = bool(
            _YEAR_KEY.search(before)
            or _RANGE_BEFORE.search(before)
            or _RANGE_AFTER.search(after)
            or _MONTH_BEFORE.search(before)
        )
        is_year = _plausible_year(value, num) and not mult and not baht and (year_ctx or not strong)
        if not is_year and not baht and not mult:
            if _INDEX_BEFORE.search(before) or _OTHER_UNIT.search(after) or _MONTH_AFTER.search(after):
                continue
            if year_ctx and not strong:  # "ปี 62", "พ.ศ. 64": short years
                continue
        raw.append(
            _Token(
                m.start(),
                m.end("num") if not (baht or mult) else m.end(),
                value,
                strong,
                is_year,
                is_year and not year_ctx,
                (),
                bool(_TOTAL_BEFORE.search(before)),
                bool(_PER_YEAR_BEFORE.search(before)),
            )
        )
    return _attach_years(t, raw)


def _attach_years(t: str, toks: list[_Token]) -> list[_Token]:
    """Give each money token the year(s) written since the previous money token.

    Year tokens are dropped, except a bare 4-digit number that is the only number in the
    text (``2500`` alone in a budget cell): that is money.
    """
    if len(toks) == 1 and toks[0].bare:
        k = toks[0]
        return [_Token(k.start, k.end, k.value, False, False, False, (), k.total, k.per_year)]
    out: list[_Token] = []
    pending: list[int] = []
    prev_year_end = -1
    for tok in toks:
        if tok.is_year:
            year = int(tok.value)
            if year < 2400:
                year += 543
            # a year right after another year with a dash/ถึง between: a range
            if (
                pending
                and prev_year_end >= 0
                and _RANGE_BETWEEN.fullmatch(t[prev_year_end : tok.start])
            ):
                pending = list(range(pending[-1], year + 1)) if 0 < year - pending[-1] <= 10 else [pending[-1], year]
            else:
                pending = [year]
            prev_year_end = tok.end
            continue
        out.append(
            _Token(tok.start, tok.end, tok.value, tok.strong, False, False, tuple(pending), tok.total, tok.per_year)
        )
        pending = []
        prev_year_end = -1
    return out


@cache
def _phrase_skeletons() -> tuple[str, ...]:
    return tuple(_TONES.sub("", p) for p in NO_BUDGET_PHRASES)


@cache
def _not_none_skeletons() -> tuple[str, ...]:
    return tuple(_TONES.sub("", p) for p in _NOT_NONE)


def _says_no_budget(squashed: str) -> bool:
    """Whether whitespace-free *squashed* text says that no budget is used."""
    if squashed in _NONE_CELLS or re.fullmatch(rf"[-–—−.]+(?:{_BAHT})?", squashed):
        return True
    skel = _TONES.sub("", squashed)
    if not any(n in skel for n in _NEGATIONS) or any(p in skel for p in _not_none_skeletons()):
        return False
    for phrase in _phrase_skeletons():
        if phrase in skel:
            return True
        res = fuzz.partial_ratio_alignment(phrase, skel, score_cutoff=_FUZZY_CUTOFF)
        if res is not None and _NEGATION_START.search(skel[max(0, res.dest_start - 1) : res.dest_start + 3]):
            return True
    return False


def _baht_text_amount(t: str) -> float | None:
    """Amount written in words (``ห้าหมื่นบาทถ้วน``), via pythainlp; None if there is none."""
    squashed = re.sub(r"\s+", "", t)
    m = _BAHT_TEXT.search(squashed)
    if not m:
        return None
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    try:
        from pythainlp.util import thaiword_to_num

        value = float(thaiword_to_num(m.group(1)))
        if m.group(2):
            value += thaiword_to_num(m.group(2)) / 100
    except Exception:  # noqa: BLE001 - any failure means "not a number"
        return None
    return value


def parse_money(text: str | None) -> tuple[float | None, str]:
    """Parse a budget cell or sentence into ``(budget_thb, budget_status)``.

    >>> parse_money("๘,๕๐๐")
    (8500.0, 'amount')
    >>> parse_money("20,000 บาท (สองหมื่นบาทถ้วน)")
    (20000.0, 'amount')
    >>> parse_money("1.5 ล้านบาท")
    (1500000.0, 'amount')
    >>> parse_money("ไม่ได้ใช้ งบประมาณ ดำเนินการ")
    (0.0, 'none')
    >>> parse_money("-")
    (0.0, 'none')
    >>> parse_money("ปี 2562 = 20,000 บาท ปี 2563 = 20,000 บาท")
    (40000.0, 'amount')
    >>> parse_money("ระบุงบประมาณที่ใช้ดำเนินการ")
    (None, 'unspecified')
    >>> parse_money(None)
    (None, 'unspecified')
    """
    if text is None or not text.strip():
        return None, UNSPECIFIED
    t = _prepare(text)
    if not t:
        return None, UNSPECIFIED
    toks = _tokens(t)
    strong = [tok for tok in toks if tok.strong]
    says_none = _says_no_budget(re.sub(r"\s+", "", t))
    if says_none and not strong:
        return 0.0, NONE
    chosen = strong or toks
    if chosen:
        totals = [tok for tok in chosen if tok.total]
        if totals:
            value = totals[-1].value
        else:
            value = sum(tok.value * (len(tok.years) if tok.per_year and len(tok.years) > 1 else 1) for tok in chosen)
        if value == 0:
            return 0.0, NONE
        return float(value), AMOUNT
    words = _baht_text_amount(t)
    if words is not None:
        return (words, AMOUNT) if words else (0.0, NONE)
    return None, UNSPECIFIED


def parse_budget_by_year(text: str | None) -> dict[int, float]:
    """Amounts that the text ties to a fiscal year (B.E.), summed per year.

    A year (or a range with ``ปีละ``) written before an amount is tied to it; an amount with
    no year before it is left out. ``{}`` when no amount has a year.

    >>> parse_budget_by_year("ปีงบประมาณ 2562 จำนวน 78,000 บาท\\nปีงบประมาณ 2563 จำนวน 78,000 บาท")
    {2562: 78000.0, 2563: 78000.0}
    >>> parse_budget_by_year("ปี ๒๕๖๒-๒๕๖๓ ปีละ 10,000 บาท")
    {2562: 10000.0, 2563: 10000.0}
    >>> parse_budget_by_year("20,000 บาท")
    {}
    """
    if text is None or not text.strip():
        return {}
    out: dict[int, float] = {}
    for tok in _tokens(_prepare(text)):
        if tok.total or not tok.years:
            continue
        if len(tok.years) == 1:
            out[tok.years[0]] = out.get(tok.years[0], 0.0) + tok.value
        elif tok.per_year:
            for year in tok.years:
                out[year] = out.get(year, 0.0) + tok.value
    return dict(sorted(out.items()))


def budget_of_cells(cells: Iterable[tuple[int | None, str]]) -> tuple[float | None, str, dict[int, float]]:
    """The budget a table row states in its budget cells, each ``(fiscal year of its
    column or None, text as written)``: ``(budget_thb, budget_status, amount per year)``.

    The amounts add up; a row whose cells say only "none" ("-", ไม่ใช้งบประมาณ) has no
    budget (0.0); empty or unreadable cells say nothing.

    >>> budget_of_cells([(2561, "50,000"), (2562, "-"), (2563, "70,000")])
    (120000.0, 'amount', {2561: 50000.0, 2563: 70000.0})
    >>> budget_of_cells([(None, "ไม่ใช้งบประมาณ"), (None, "")])
    (0.0, 'none', {})
    >>> budget_of_cells([(2561, "")])
    (None, 'unspecified', {})
    """
    amounts: list[float] = []
    statuses: list[str] = []
    by_year: dict[int, float] = {}
    for year, text in cells:
        amount, status = parse_money(text)
        statuses.append(status)
        if amount is not None and status == AMOUNT:
            amounts.append(amount)
            if year is not None:
                by_year[year] = by_year.get(year, 0.0) + amount
    if amounts:
        return float(sum(amounts)), AMOUNT, by_year
    if NONE in statuses:
        return 0.0, NONE, {}
    return None, UNSPECIFIED, {}


def budget_of_written_cells(cells: Iterable[tuple[str | None, str]]) -> tuple[float | None, str, dict[int, float]]:
    """:func:`budget_of_cells` of cells as the parser hands them over: each ``(the header
    text naming its column's fiscal year or None, the cell's text)``.

    >>> budget_of_written_cells([("ปี 2561", "50,000"), ("พ.ศ. ๒๕๖๒", "20,000"), (None, "-")])
    (70000.0, 'amount', {2561: 50000.0, 2562: 20000.0})
    """
    return budget_of_cells((year_in_header(year), text) for year, text in cells)
