"""From the parsed records of one project to its SPEC row: every field normalised
(labels, kind, texts, budget, fiscal years, responsible unit), warnings attached.

The records come from :func:`prongsai.parse.merge.merge_records` (the places one project
appears); they hold text as written, and this module is where it becomes values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prongsai.decisions import REJECT, Decider
from prongsai.diagnostics import WarningCode
from prongsai.model import Problem
from prongsai.normalize.clean import squash
from prongsai.normalize.labels import dimension_label, match_kind, to_2566
from prongsai.normalize.money import budget_of_written_cells, parse_budget_by_year, parse_money
from prongsai.normalize.plan import PlanFields, dimension_number
from prongsai.normalize.quarters import ticked_quarters
from prongsai.normalize.registry import kinds, unit_phrases, words_pattern
from prongsai.normalize.units import canonical_unit, read_unit
from prongsai.normalize.years import parse_fiscal_years, year_in_header

if TYPE_CHECKING:  # types only: importing prongsai.parse at run time would load this module again through it
    from prongsai.parse.record import Record

LAYOUT_ORDER = ("plan_table", "project_table", "detail")
TEXT_FIELDS = ("objectives", "targets", "area", "method", "indicators", "outcomes", "rationale")

Budget = tuple[float | None, str, dict[int, float]]
_AND = words_pattern(unit_phrases()["and"])  # และ between units (data/unit_phrases.csv)


@dataclass
class ProjectRow:
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def _first(recs: list[Record], get: Callable[[Record], Any]) -> Any:
    """The first non-empty value ``get`` finds in the records, in their order."""
    for r in recs:
        v = get(r)
        if v not in (None, "", set(), {}):
            return v
    return None


def _clean_multiline(text: str | None) -> str | None:
    """Lines with their spaces collapsed, empty lines dropped.

    >>> _clean_multiline(" ก  ข \\n\\n ค ")
    'ก ข\\nค'
    """
    if not text:
        return None
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.split("\n")]
    out = "\n".join(ln for ln in lines if ln)
    return out or None


def _flat(text: str | None) -> str | None:
    """One line, spaces collapsed (None for nothing).

    >>> _flat(" ก \\n ข "), _flat("  ")
    ('ก ข', None)
    """
    if not text:
        return None
    return re.sub(r"\s+", " ", text).strip() or None


def build_project(recs: list[Record], plan: PlanFields, decider: Decider | None = None) -> ProjectRow:
    """Merge the records of one project into one SPEC row (without ids); ``plan`` holds
    the plan's values (:func:`prongsai.normalize.plan.plan_fields`)."""
    decider = decider or Decider()
    in_order = sorted(recs, key=lambda r: LAYOUT_ORDER.index(r.layout) if r.layout in LAYOUT_ORDER else 9)
    detail_first = sorted(recs, key=lambda r: 0 if r.layout == "detail" else 1)
    problems: list[Problem] = [p for r in recs for p in r.problems]
    first = recs[0]
    title = _title(recs)
    v: dict[str, Any] = _labels(recs, plan)
    v["title"] = title
    v["kind"] = _kind(title, recs, decider, problems)
    v.update(_texts(in_order, detail_first))
    # budget: the table's year columns decide; a detail sheet only when no table has figures
    budget_thb, status, budget_by_year = _budget(recs, plan, problems)
    v["budget_thb"] = budget_thb if status != "unspecified" else None
    v["budget_status"] = status
    v["fy_start"], v["fy_end"] = _fiscal_years(v["period_text"], budget_by_year, plan)
    v["responsible_unit"] = _responsible_unit(in_order, decider, problems)
    v["unit"] = _flat(_first_text(in_order, "unit"))
    v["quantity"] = _quantity(_flat(_first_text(in_order, "quantity")))
    quarters = _first(in_order, lambda r: ticked_quarters(r.quarter_marks))
    v["quarters"] = ",".join(str(q) for q in sorted(quarters)) if quarters else None
    v["layout"] = "+".join(lay for lay in LAYOUT_ORDER if any(r.layout == lay for r in recs))
    v["source_ref"] = str(first.ref)
    v["confidence"] = 1.0 if v["kind"] else 0.95
    v["_budget_by_year"] = budget_by_year
    problems.extend(_missing_sections(recs))
    return ProjectRow(v, problems)


def _title(recs: list[Record]) -> str:
    """The first record's title; when it lacks the kind word (a table that omits
    "โครงการ"), a later record's that has it (the detail sheet's)."""
    title = _flat(recs[0].title) or ""
    if match_kind(title) is None:
        title = next((t for r in recs if (t := _flat(r.title)) and match_kind(t)), title)
    return title


def _labels(recs: list[Record], plan: PlanFields) -> dict[str, Any]:
    """มิติ and ภารกิจ: as found, their label, and their place in the 2566 taxonomy."""
    dimension = _first(recs, lambda r: dimension_number(r.dimension))
    mission = _first(recs, lambda r: r.mission_code)
    framework = plan.framework
    d66, m66 = to_2566(framework, dimension, mission) if framework else (None, None)
    return {
        "dimension": dimension,
        "dimension_label": dimension_label(dimension, framework) if dimension and framework else None,
        "mission_code": mission,
        "dimension_2566": d66,
        "mission_code_2566": m66,
    }


def _kind(title: str, recs: list[Record], decider: Decider, problems: list[Problem]) -> str | None:
    """project / activity / measure: the title's first word, else a record's label hint,
    else a reviewer's decision on the first word."""
    km = match_kind(title)
    first_word = title.split(" ")[0][:20] if title else ""
    hint = _first(recs, lambda r: kinds().get(r.kind_word) if r.kind_word else None)
    if km is None and hint:
        km = (hint, 100.0)
    if km is None:
        override = decider.overrides.get("kind", first_word)
        return None if override in (None, REJECT) else override
    return decider.decide("kind", first_word, km[0], km[1], problems, recs[0].ref)


def _texts(in_order: list[Record], detail_first: list[Record]) -> dict[str, str | None]:
    """The text fields: a detail sheet's sections first; indicators fall back to a
    table's ผลผลิต column."""
    v: dict[str, str | None] = {f: _clean_multiline(_first_text(detail_first, f)) for f in TEXT_FIELDS}
    if v["indicators"] is None:
        v["indicators"] = _clean_multiline(_first_text(in_order, "outputs"))
    v["period_text"] = _flat(_first_text(detail_first, "period_text"))
    return v


def _first_text(recs: list[Record], key: str) -> str | None:
    """The first non-empty text of ``key`` in the records, in their order."""
    return next((t for r in recs if (t := r.texts.get(key))), None)


def _fiscal_years(period_text: str | None, budget_by_year: dict[int, float],
                  plan: PlanFields) -> tuple[int | None, int | None]:
    """The project's fiscal years: the period text, else the budget years, else an
    annual plan's year."""
    fy: tuple[int, int | None] | None = parse_fiscal_years(period_text) if period_text else None
    if fy is None and budget_by_year:
        fy = (min(budget_by_year), max(budget_by_year))
    if fy is None and plan.plan_kind == "annual" and plan.fy_start:
        fy = (plan.fy_start, plan.fy_end)
    return fy if fy else (None, None)


def _responsible_unit(in_order: list[Record], decider: Decider, problems: list[Problem]) -> str | None:
    """The responsible unit: the table's first (the NACC table writes it in its หมายเหตุ
    column); a later place only when the table's cannot be read as a unit."""
    raws = [t for r in in_order
            if (t := _flat(r.texts.get("responsible")
                           or (r.texts.get("remark") if _unit_like(r.texts.get("remark")) else None)))]
    if not raws:
        return None
    resp_raw = raws[0]
    unit_name, unit_score = read_unit(resp_raw)  # an unknown unit: as written, score 0
    for raw in raws:
        name, score = read_unit(raw)
        if score > 0:
            resp_raw, unit_name, unit_score = raw, name, score
            break
    code = WarningCode.FUZZY_LABEL if unit_score > 0 else WarningCode.UNKNOWN_UNIT
    return decider.decide("responsible_unit", resp_raw, unit_name, unit_score, problems, in_order[0].ref, code=code,
                          what="responsible unit" if unit_score > 0 else "responsible unit (not in units.csv)")


def _missing_sections(recs: list[Record]) -> list[Problem]:
    """``MISSING_SECTION`` when a project found first as a detail sheet lacks a budget,
    responsible-unit or period section in every place."""
    first = recs[0]
    if first.layout != "detail":
        return []
    missing = [s for s in ("budget", "responsible", "period_text") if not any(r.texts.get(s) for r in recs)]
    if not missing:
        return []
    return [Problem.of(WarningCode.MISSING_SECTION, f"detail record has no {', '.join(missing)} section", first.ref)]


def place_budget(r: Record) -> Budget:
    """The budget one record states: a detail sheet's text, or a table row's cells.

    >>> from prongsai.model import SourceRef
    >>> from prongsai.parse.record import Record
    >>> place_budget(Record("ก", "plan_table", SourceRef(), budget_cells=[("ปี 2561", "30,000"), ("ปี 2562", "-")]))
    (30000.0, 'amount', {2561: 30000.0})
    """
    if r.layout == "detail":
        if not r.texts.get("budget"):
            return None, "unspecified", {}
        amount, status = parse_money(r.texts["budget"])
        return amount, status, parse_budget_by_year(r.texts["budget"])
    return budget_of_written_cells(r.budget_cells)


def table_years(r: Record) -> list[int]:
    """The fiscal years a record's table header names, in order.

    >>> from prongsai.model import SourceRef
    >>> from prongsai.parse.record import Record
    >>> table_years(Record("ก", "plan_table", SourceRef(), year_headers=["2562", "ปี 2561", "พ.ศ. ๒๕๖๒"]))
    [2561, 2562]
    """
    return sorted({y for t in r.year_headers if (y := year_in_header(t))})


def _budget(recs: list[Record], plan: PlanFields, problems: list[Problem]) -> Budget:
    """The budget of a project, its status and its figure per year.

    A table with a column per fiscal year decides: a multi-year budget is the sum of
    its years, and a detail sheet printing one year's figure does not replace it.
    Otherwise the detail sheet, which states the budget in full, comes first.
    """
    year_table = any(r.layout != "detail" and len(table_years(r)) >= 2 for r in recs)
    order = sorted(recs, key=lambda r: (r.layout == "detail") == year_table)
    budget_by_year: dict[int, float] = {}
    budget_thb: float | None = None
    status, source = "unspecified", None
    for r in order:
        amount, st, by_year = place_budget(r)
        if st == "unspecified":
            continue
        if source is None:
            budget_thb, status, budget_by_year, source = amount, st, by_year, r
            continue
        if st != "amount" or amount is None or budget_thb is None or abs(amount - budget_thb) <= 0.5:
            continue
        problems.append(_mismatch(amount, budget_thb, budget_by_year, r, source, year_table))
    if status == "amount" and not budget_by_year and budget_thb is not None:
        years = _first(recs, table_years)
        if years and len(years) == 1:
            budget_by_year = {years[0]: budget_thb}
    if source is not None and budget_thb is not None:
        problems.extend(_sheet_budget(budget_thb, status, budget_by_year, source, plan))
    return budget_thb, status, budget_by_year


def _mismatch(amount: float, kept: float, by_year: dict[int, float], r: Record, source: Record,
              year_table: bool) -> Problem:
    """``BUDGET_MISMATCH``: a second place states another budget than the one kept."""
    if year_table and r.layout == "detail" and source.layout != "detail":
        years = f" over {len(by_year)} years" if len(by_year) > 1 else ""
        # one year's figure of a multi-year project is what such sheets print: a note only
        one_year = any(abs(amount - y) <= 0.5 for y in by_year.values())
        return Problem(WarningCode.BUDGET_MISMATCH, "info" if one_year else "warning",
                       f"the detail sheet prints {amount:,.0f}, the plan table {kept:,.0f}{years}; "
                       "kept the table's", r.ref)
    return Problem.of(WarningCode.BUDGET_MISMATCH,
                   f"budget {kept:,.0f} in one place, {amount:,.0f} in another; kept the first", r.ref)


def _sheet_budget(budget_thb: float, status: str, by_year: dict[int, float], source: Record,
                  plan: PlanFields) -> list[Problem]:
    """``BUDGET_FROM_SHEET``: a multi-year plan's project whose budget only a detail sheet gives."""
    n_years = (plan.fy_end - plan.fy_start + 1) if plan.fy_start is not None and plan.fy_end is not None else 1
    if source.layout != "detail" or status != "amount" or n_years <= 1 or len(by_year) >= n_years:
        return []
    return [Problem.of(WarningCode.BUDGET_FROM_SHEET,
                    f"no plan-table row gives this project's budget per year; the detail sheet's "
                    f"{budget_thb:,.0f} is used, which may be one year's figure of the "
                    f"{plan.fy_start}-{plan.fy_end} plan", source.ref)]


def _unit_like(text: str | None) -> bool:
    """A หมายเหตุ cell that names a unit (short, no sentence), not a note.

    >>> _unit_like("กอง.สธ."), _unit_like("สธ./สค."), _unit_like("กองคลัง"), _unit_like("ไม่ใช้งบประมาณ")
    (True, True, True, False)
    """
    if not text:
        return False
    s = squash(text)
    if not 0 < len(s) <= 40 or re.search(r"\d", s):
        return False
    if canonical_unit(text)[0]:
        return True
    # abbreviations: every part is short words each ending in a dot ("กอง.สธ.", "สธ./สค.")
    parts = [p for p in re.split(rf"[/,\s]+|{_AND}", text) if p]
    return bool(parts) and all(re.fullmatch(r"(?:[ก-๙]{1,5}\.)+", p) for p in parts)


def _quantity(text: str | None) -> float | None:
    """The number in a quantity cell.

    >>> _quantity("1,200 ครั้ง")
    1200.0
    """
    if not text:
        return None
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", ""))
    except ValueError:
        return None
