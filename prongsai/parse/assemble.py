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
from prongsai.normalize.units import canonical_unit, read_unit
from prongsai.normalize.years import parse_fiscal_years
from prongsai.parse.header import PlanHeader
from prongsai.parse.record import Record
from prongsai.parse.vocab import vocab

MERGE_SCORE = 90.0
LAYOUT_ORDER = ("plan_table", "project_table", "detail")
TEXT_FIELDS = ("objectives", "targets", "area", "method", "indicators", "outcomes", "rationale")


@dataclass
class ProjectRow:
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


_KIND_WORD = re.compile(r"^(?:โครงการ|กิจกรรม|มาตรการ)")


def _title_key(title: str) -> str:
    """The key titles are compared by: no spaces or quotes, no leading kind word,
    abbreviated organisation names written out.

    >>> _title_key("ปลูกต้นไม้ของ ทต.บ้านแพง") == _title_key("โครงการปลูกต้นไม้ของเทศบาลตำบลบ้านแพง")
    True
    """
    s = re.sub(r"[“”\"'‘’]", "", squash(title))
    for short, full in vocab()["title_org_abbreviations"].items():
        s = s.replace(squash(short), squash(full))
    return _KIND_WORD.sub("", s)


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
    if match_kind(title) is None:  # the table omitted the first word: the detail sheet's title says it
        title = next((t for r in recs if (t := _flat(r.title)) and match_kind(t)), title)
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
    hint = _first(recs, lambda r: r.kind_hint)
    if km is None and hint:
        km = (hint, 100.0)
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

    # budget: the table's year columns decide; a detail sheet only when no table has figures
    budget_thb, status, budget_by_year = _budget(recs, header, problems)
    v["budget_thb"] = budget_thb if status != "unspecified" else None
    v["budget_status"] = status

    # fiscal years: the period text, else the budget years, else an annual plan's year
    fy: tuple[int, int | None] | None = parse_fiscal_years(period_text) if period_text else None
    if fy is None and budget_by_year:
        fy = (min(budget_by_year), max(budget_by_year))
    if fy is None and header.plan_kind == "annual" and header.fy_start:
        fy = (header.fy_start, header.fy_end)
    v["fy_start"], v["fy_end"] = fy if fy else (None, None)

    # the table's unit first (the NACC table writes it in its หมายเหตุ column); a later
    # place only when the table's cannot be read as a unit
    raws = [t for r in recs_sorted
            if (t := _flat(r.texts.get("responsible")
                           or (r.texts.get("remark") if _unit_like(r.texts.get("remark")) else None)))]
    resp_raw = raws[0] if raws else None
    unit_name, unit_score = read_unit(resp_raw)  # an unknown unit: as written, score 0
    for raw in raws:
        name, score = read_unit(raw)
        if score > 0:
            resp_raw, unit_name, unit_score = raw, name, score
            break
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


def _place_budget(r: Record) -> tuple[float | None, str, dict[int, float]]:
    """The budget one record states: a detail sheet's text, or a table row's figures."""
    if r.layout == "detail":
        if not r.texts.get("budget"):
            return None, "unspecified", {}
        amount, status = parse_money(r.texts["budget"])
        return amount, status, parse_budget_by_year(r.texts["budget"])
    return r.budget_thb, r.budget_status, dict(r.budget_by_year)


def _budget(recs: list[Record], header: PlanHeader, problems: list[Problem]) -> tuple[float | None, str, dict[int, float]]:
    """The budget of a project, its status and its figure per year.

    A table with a column per fiscal year decides: a multi-year budget is the sum of
    its years, and a detail sheet printing one year's figure does not replace it.
    Otherwise the detail sheet, which states the budget in full, comes first.
    """
    year_table = any(r.layout != "detail" and len(r.table_years) >= 2 for r in recs)
    order = sorted(recs, key=lambda r: (r.layout == "detail") == year_table)
    budget_by_year: dict[int, float] = {}
    budget_thb, status, source = None, "unspecified", None
    for r in order:
        amount, st, by_year = _place_budget(r)
        if st == "unspecified":
            continue
        if source is None:
            budget_thb, status, budget_by_year, source = amount, st, by_year, r
            continue
        if st != "amount" or amount is None or budget_thb is None or abs(amount - budget_thb) <= 0.5:
            continue
        if year_table and r.layout == "detail" and source.layout != "detail":
            years = f" over {len(budget_by_year)} years" if len(budget_by_year) > 1 else ""
            # one year's figure of a multi-year project is what such sheets print: a note only
            one_year = any(abs(amount - y) <= 0.5 for y in budget_by_year.values())
            problems.append(Problem("BUDGET_MISMATCH", "info" if one_year else "warning",
                                    f"the detail sheet prints {amount:,.0f}, the plan table {budget_thb:,.0f}{years}; "
                                    "kept the table's", r.ref))
        else:
            problems.append(Problem("BUDGET_MISMATCH", "warning",
                                    f"budget {budget_thb:,.0f} in one place, {amount:,.0f} in another; kept the first",
                                    r.ref))
    if status == "amount" and not budget_by_year and budget_thb is not None:
        years = _first(recs, lambda r: r.table_years)
        if years and len(years) == 1:
            budget_by_year = {years[0]: budget_thb}
    n_years = (header.fy_end - header.fy_start + 1) if header.fy_start is not None and header.fy_end is not None else 1
    if source is not None and source.layout == "detail" and status == "amount" and n_years > 1 \
            and len(budget_by_year) < n_years:
        problems.append(Problem("BUDGET_FROM_SHEET", "warning",
                                f"no plan-table row gives this project's budget per year; the detail sheet's "
                                f"{budget_thb:,.0f} is used, which may be one year's figure of the "
                                f"{header.fy_start}-{header.fy_end} plan", source.ref))
    return budget_thb, status, budget_by_year


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
    parts = [p for p in re.split(r"[/,\s]+|และ", text) if p]
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
