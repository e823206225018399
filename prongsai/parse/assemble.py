"""From parsed records to SPEC rows: merge the places a project appears, normalise
every field, attach warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from prongsai.decisions import REJECT, Decider
from prongsai.model import Problem
from prongsai.normalize.labels import dimension_label, match_kind, to_2566
from prongsai.normalize.money import parse_budget_by_year, parse_money
from prongsai.normalize.thai import squash
from prongsai.normalize.units import read_unit
from prongsai.normalize.years import parse_fiscal_years
from prongsai.parse.header import PlanHeader
from prongsai.parse.record import Record

MERGE_SCORE = 90.0
LAYOUT_ORDER = ("plan_table", "project_table", "detail")
TEXT_FIELDS = ("objectives", "targets", "area", "method", "indicators", "outcomes", "rationale")


@dataclass
class ProjectRow:
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def _title_key(title: str) -> str:
    return re.sub(r"[“”\"'‘’]", "", squash(title))


def merge_records(records: list[Record]) -> list[list[Record]]:
    """Group the records of one project, in order of first appearance.

    A record joins a group when its title matches fuzzily (whitespace and quotes
    ignored) and the group has no record of the same layout yet: two rows of one
    plan table are two projects, a plan-table row and a detail record of the same
    title are one.
    """
    groups: list[list[Record]] = []
    keys: list[str] = []
    layouts: list[set[str]] = []
    for rec in records:
        k = _title_key(rec.title)
        if not k:
            continue
        # every group's key scored at once (rapidfuzz, in C); the best eligible one wins,
        # the first group on a tie
        close = process.extract(k, keys, scorer=fuzz.ratio, processor=None, score_cutoff=MERGE_SCORE, limit=None)
        best_i = next((i for _, _, i in sorted(close, key=lambda c: (-c[1], c[2]))
                       if keys[i] == k or rec.layout not in layouts[i]), -1)
        if best_i >= 0:
            groups[best_i].append(rec)
            layouts[best_i].add(rec.layout)
        else:
            groups.append([rec])
            keys.append(k)
            layouts.append({rec.layout})
    return groups


def _first(recs: list[Record], get) -> Any:
    for r in recs:
        v = get(r)
        if v not in (None, "", set(), {}):
            return v
    return None


def _clean_multiline(text: str | None) -> str | None:
    if not text:
        return None
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.split("\n")]
    out = "\n".join(ln for ln in lines if ln)
    return out or None


def _flat(text: str | None) -> str | None:
    if not text:
        return None
    return re.sub(r"\s+", " ", text).strip() or None


def build_project(recs: list[Record], header: PlanHeader, decider: Decider | None = None) -> ProjectRow:
    """Merge the records of one project into one SPEC row (without ids)."""
    decider = decider or Decider()
    recs_sorted = sorted(recs, key=lambda r: LAYOUT_ORDER.index(r.layout) if r.layout in LAYOUT_ORDER else 9)
    detail_first = sorted(recs, key=lambda r: 0 if r.layout == "detail" else 1)
    problems: list[Problem] = [p for r in recs for p in r.problems]
    first = recs[0]
    title = _flat(first.title) or ""
    layouts = [lay for lay in LAYOUT_ORDER if any(r.layout == lay for r in recs)]

    dimension = _first(recs, lambda r: r.dimension)
    mission = _first(recs, lambda r: r.mission_code)
    framework = header.framework

    v: dict[str, Any] = {
        "dimension": dimension,
        "dimension_label": dimension_label(dimension, framework) if dimension and framework else None,
        "mission_code": mission,
    }
    d66, m66 = to_2566(framework, dimension, mission) if framework else (None, None)
    v["dimension_2566"], v["mission_code_2566"] = d66, m66
    v["title"] = title
    km = match_kind(title)
    first_word = title.split(" ")[0][:20] if title else ""
    if km is None:
        override = decider.overrides.get("kind", first_word)
        v["kind"] = None if override in (None, REJECT) else override
    else:
        v["kind"] = decider.decide("kind", first_word, km[0], km[1], problems, first.ref)

    for f in TEXT_FIELDS:
        v[f] = _clean_multiline(_first(detail_first, lambda r, f=f: r.texts.get(f)))
    if v["indicators"] is None:
        v["indicators"] = _clean_multiline(_first(recs_sorted, lambda r: r.texts.get("outputs")))

    period_text = _flat(_first(detail_first, lambda r: r.texts.get("period_text")))
    v["period_text"] = period_text

    # budget
    budget_by_year: dict[int, float] = {}
    budget_thb, status = None, "unspecified"
    for r in detail_first:
        if r.layout == "detail" and r.texts.get("budget"):
            amount, st = parse_money(r.texts["budget"])
            by_year = parse_budget_by_year(r.texts["budget"])
        else:
            amount, st, by_year = r.budget_thb, r.budget_status, dict(r.budget_by_year)
        if st == "unspecified":
            continue
        if status == "unspecified":
            budget_thb, status, budget_by_year = amount, st, by_year
        elif st == "amount" and amount is not None and budget_thb is not None and abs(amount - budget_thb) > 0.5:
            problems.append(Problem("BUDGET_MISMATCH", "warning",
                                    f"budget {budget_thb:,.0f} in one place, {amount:,.0f} in another; kept the first",
                                    r.ref))
    if status == "amount" and not budget_by_year and budget_thb is not None:
        years = _first(recs, lambda r: r.table_years)
        if years and len(years) == 1:
            budget_by_year = {years[0]: budget_thb}
    v["budget_thb"] = budget_thb if status != "unspecified" else None
    v["budget_status"] = status

    # fiscal years: the period text, else the budget years, else an annual plan's year
    fy = parse_fiscal_years(period_text) if period_text else None
    if fy is None and budget_by_year:
        fy = (min(budget_by_year), max(budget_by_year))
    if fy is None and header.plan_kind == "annual" and header.fy_start:
        fy = (header.fy_start, header.fy_end)
    v["fy_start"], v["fy_end"] = fy if fy else (None, None)

    resp_raw = _flat(_first(recs_sorted, lambda r: r.texts.get("responsible")))
    unit_name, unit_score = read_unit(resp_raw)  # an unknown unit: as written, score 0
    if resp_raw:
        code = "FUZZY_LABEL" if unit_score > 0 else "UNKNOWN_UNIT"
        unit_name = decider.decide("responsible_unit", resp_raw, unit_name, unit_score, problems, first.ref, code=code,
                                   what="responsible unit" if unit_score > 0 else "responsible unit (not in units.csv)")
    v["responsible_unit"] = unit_name

    v["unit"] = _flat(_first(recs_sorted, lambda r: r.texts.get("unit")))
    qty = _flat(_first(recs_sorted, lambda r: r.texts.get("quantity")))
    v["quantity"] = _quantity(qty)
    quarters = _first(recs_sorted, lambda r: r.quarters)
    v["quarters"] = ",".join(str(q) for q in sorted(quarters)) if quarters else None
    v["layout"] = "+".join(layouts)
    v["source_ref"] = str(first.ref)
    v["confidence"] = round(min(r.confidence for r in recs) * (1.0 if v["kind"] else 0.95), 2)
    v["_budget_by_year"] = budget_by_year
    if first.layout == "detail":
        missing = [s for s in ("budget", "responsible", "period_text") if not any(r.texts.get(s) for r in recs)]
        if missing:
            problems.append(Problem("MISSING_SECTION", "info",
                                    f"detail record has no {', '.join(missing)} section", first.ref))
    return ProjectRow(v, problems)


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
