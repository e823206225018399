"""The checks that look at one plan alone: pure functions ``Plan -> Result``.

Every function returns ``not_applicable`` when the plan has nothing to check (no
project, no framework, no period…), ``fail`` with a Thai and English detail and the
first offending place, or ``pass``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from prongsai.checks.model import PR, B, P, Plan, Result, W, missing, no_projects, th_en
from prongsai.diagnostics import CheckCode, CheckStatus
from prongsai.normalize.registry import FRAMEWORKS, data_yaml, kinds, taxonomy
from prongsai.schema import PROJECTS

#: a money difference below this (baht) is rounding
TOLERANCE_THB = 0.5
#: how many offending items a detail names before "…"
SHOW = 3


#: an offending place: (text, source_ref, project_id, new evidence: not merely a parser's warning row)
Found = tuple[str, str | None, str | None, bool]


def _failure(check: CheckCode, found: list[Found], th: str, en: str, **fields: Any) -> Result:
    """A fail that names the places ``found`` and points at the first. ``th`` and ``en`` are
    formatted with ``n`` (how many), ``listed`` (the first SHOW of them) and ``fields``.

    >>> r = _failure(CheckCode.TOTAL_MISMATCH, [("a", "p.1", None, False), ("b", None, "x", True)],
    ...             "{n} แห่ง: {listed}", "{n} in {where}: {listed}", where="tables")
    >>> (r.status, r.detail, r.source_ref, r.new_evidence)
    ('fail', '2 แห่ง: a; b / 2 in tables: a; b', 'p.1', True)
    """
    _, ref, project, _ = found[0]
    values = {"n": len(found), "listed": _more([f[0] for f in found]), **fields}
    return Result(check, CheckStatus.fail, th_en(th.format(**values), en.format(**values)),
                  ref, project, any(f[3] for f in found))


def _more(items: list[str]) -> str:
    """Up to SHOW items joined, with the count of the rest.

    >>> _more(["a", "b", "c", "d", "e"])
    'a; b; c; … (+2)'
    """
    head = "; ".join(items[:SHOW])
    return head + (f"; … (+{len(items) - SHOW})" if len(items) > SHOW else "")


def _money(x: float) -> str:
    return f"{x:,.2f}".removesuffix(".00")


def _title(p: dict[str, Any]) -> str:
    return str(p.get(PR.title) or p.get(PR.project_id) or "?")


@cache
def required_codes(framework: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dimensions and missions every plan of ``framework`` must cover: the taxonomy's
    dimensions, and its missions except those recorded with low confidence (inferred,
    never seen in a plan: see ``data/taxonomy-*.yaml``).

    >>> required_codes("2566")[1]
    ('1.1', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2')
    >>> len(required_codes("2561")[1])
    15
    """
    entries = data_yaml(f"taxonomy-{framework}.yaml")["entries"]
    low = {str(e["code"]) for e in entries if str(e.get("confidence") or "").lower() == "low"}
    tax = taxonomy(framework)
    dims = tuple(c for c, e in tax.items() if e.level == "dimension")
    missions = tuple(c for c, e in tax.items() if e.level == "mission" and c not in low)
    return dims, missions


def mission_not_covered(pl: Plan) -> Result:
    """A dimension or (required) mission of the plan's framework without any project.
    Missions are checked only when the plan gives its projects' missions."""
    check = CheckCode.MISSION_NOT_COVERED
    if not pl.projects:
        return no_projects(check)
    fw = str(pl.get(P.framework) or "")
    if fw not in FRAMEWORKS:
        return Result(check, CheckStatus.not_applicable, th_en("ไม่ทราบกรอบมิติของแผน (2561/2566)",
                                                     "the plan's NACC framework (2561/2566) is unknown"))
    dims, missions = required_codes(fw)
    have_dims = {str(int(p[PR.dimension])) for p in pl.projects if not missing(p.get(PR.dimension))}
    codes = [str(p[PR.mission_code]) for p in pl.projects if not missing(p.get(PR.mission_code))]
    have_missions = {".".join(c.split(".")[:2]) for c in codes}
    lack_dims = [d for d in dims if d not in have_dims]
    lack_missions = [m for m in missions if m not in have_missions] if codes else []
    scope_th = "" if codes else " (แผนไม่ระบุภารกิจของโครงการ ตรวจเฉพาะมิติ)"
    scope_en = "" if codes else " (the plan gives no missions: dimensions only)"
    if not lack_dims and not lack_missions:
        return Result(check, CheckStatus.passed, th_en(f"ทุกมิติ{'และภารกิจ' if codes else ''}ของกรอบ {fw} มีโครงการ{scope_th}",
                                           f"every dimension{' and mission' if codes else ''} of the {fw} framework "
                                           f"has a project{scope_en}"))
    th, en = [], []
    if lack_dims:
        th.append("มิติ " + ", ".join(lack_dims))
        en.append("dimension " + ", ".join(lack_dims))
    if lack_missions:
        th.append("ภารกิจ " + ", ".join(lack_missions))
        en.append("mission " + ", ".join(lack_missions))
    return Result(check, CheckStatus.fail, th_en(f"ไม่มีโครงการใน {'; '.join(th)} ของกรอบ {fw}{scope_th}",
                                       f"no project under {'; '.join(en)} of the {fw} framework{scope_en}"))


def _parser_rows(pl: Plan, check: CheckCode) -> list[Found]:
    """The parser's warning rows of the check's code, as places found (not new evidence)."""
    return [(str(w.get(W.message) or ""), w.get(W.source_ref), w.get(W.project_id), False)
            for w in pl.warnings_of(check)]


def total_mismatch(pl: Plan) -> Result:
    """Printed totals (the parser's TOTAL_MISMATCH rows) or the plan row's counts and total
    against its projects."""
    check = CheckCode.TOTAL_MISMATCH
    if not pl.projects:
        return no_projects(check)
    found = _parser_rows(pl, check)
    n = pl.get(P.n_projects)
    if n is not None and int(n) != len(pl.projects):
        found.append((f"n_projects {int(n)} ≠ {len(pl.projects)} rows", None, None, True))
    figures = [float(p[PR.budget_thb]) for p in pl.projects if not missing(p.get(PR.budget_thb))]
    total = pl.get(P.budget_total_thb)
    if total is not None and figures and abs(float(total) - sum(figures)) > TOLERANCE_THB:
        found.append((f"budget_total_thb {_money(float(total))} ≠ {_money(sum(figures))}", None, None, True))
    if not found:
        return Result(check, CheckStatus.passed, th_en("ไม่พบยอดรวมที่ต่างจากโครงการที่อ่านได้",
                                           "no printed or plan total differs from the projects found"))
    return _failure(check, found, "ยอดรวมไม่ตรงกับโครงการ {n} แห่ง: {listed}", "{n} total(s) differ from the projects: {listed}")


def budget_mismatch(pl: Plan) -> Result:
    """Per-year figures that do not add up to the project's budget, and the parser's
    BUDGET_MISMATCH rows (table and detail sheet disagree)."""
    check = CheckCode.BUDGET_MISMATCH
    if not pl.projects:
        return no_projects(check)
    found: list[Found] = []
    compared = 0
    for p in pl.projects:
        years = pl.budgets.get(str(p[PR.project_id]), [])
        amounts = [float(b[B.amount_thb]) for b in years if not missing(b.get(B.amount_thb))]
        if not amounts:
            continue
        compared += 1
        budget = None if missing(p.get(PR.budget_thb)) else float(p[PR.budget_thb])
        if budget is None or abs(sum(amounts) - budget) > TOLERANCE_THB:
            stated = _money(budget) if budget is not None else "-"
            found.append((f"{_title(p)}: {len(amounts)} ปี/years = {_money(sum(amounts))} ≠ {stated}",
                          p.get(PR.source_ref), p.get(PR.project_id), True))
    found += _parser_rows(pl, check)
    if not found:
        if not compared:
            return Result(check, CheckStatus.not_applicable, th_en("ไม่มีงบประมาณรายปีให้เทียบ",
                                                         "no per-year figures to compare"))
        return Result(check, CheckStatus.passed, th_en(f"งบรายปีรวมตรงกับงบโครงการ ({compared} โครงการ)",
                                           f"per-year figures add up to the project budget ({compared} projects)"))
    return _failure(check, found, "งบประมาณไม่ตรงกัน {n} แห่ง: {listed}", "{n} budget(s) disagree: {listed}")


def period_mismatch(pl: Plan) -> Result:
    """Project years or budget years outside the plan's period (and the parser's
    PERIOD_MISMATCH rows)."""
    check = CheckCode.PERIOD_MISMATCH
    if not pl.projects:
        return no_projects(check)
    lo, hi = pl.get(P.fy_start), pl.get(P.fy_end)
    found = _parser_rows(pl, check)
    if lo is None or hi is None:
        if not found:
            return Result(check, CheckStatus.not_applicable, th_en("ไม่ทราบช่วงปีของแผน", "the plan's period is unknown"))
    else:
        lo, hi = int(lo), int(hi)
        for p in pl.projects:
            years = [int(p[c]) for c in ("fy_start", "fy_end") if not missing(p.get(c))]
            years += [int(b[B.fiscal_year]) for b in pl.budgets.get(str(p[PR.project_id]), [])
                      if not missing(b.get(B.fiscal_year))]
            outside = sorted({y for y in years if y < lo or y > hi})
            if outside:
                found.append((f"{_title(p)}: {', '.join(map(str, outside))}", p.get(PR.source_ref),
                              p.get(PR.project_id), True))
    period = f"{lo}-{hi}" if lo is not None and hi is not None else "?"
    if not found:
        return Result(check, CheckStatus.passed, th_en(f"ปีของทุกโครงการอยู่ในช่วงแผน {period}",
                                           f"every project's years lie in the plan period {period}"))
    return _failure(check, found, "ปีอยู่นอกช่วงแผน {period}: {n} แห่ง: {listed}",
                   "years outside the plan period {period} in {n} place(s): {listed}", period=period)


@cache
def required_sections() -> tuple[dict[str, Any], ...]:
    """The detail-sheet sections every project must have (``data/checks.yaml``); their
    ``columns`` are checked to be columns of the projects table.

    >>> [s["name"] for s in required_sections()]
    ['objectives', 'indicators', 'responsible_unit', 'period', 'budget']
    """
    sections = tuple(data_yaml("checks.yaml")["required_sections"])
    for s in sections:
        PROJECTS.pick(*s["columns"])  # a misspelt column in the data file fails loudly
    return sections


def _has_section(p: dict[str, Any], section: dict[str, Any]) -> bool:
    for col in section["columns"]:
        value = p.get(col)
        if col == PR.budget_status:
            if not missing(value) and value != "unspecified":
                return True
        elif not missing(value):
            return True
    return False


def missing_section(pl: Plan) -> Result:
    """Projects with a detail sheet that lack a required section: which and how many.
    Projects found only in a plan table have no sheet to check."""
    check = CheckCode.MISSING_SECTION
    if not pl.projects:
        return no_projects(check)
    sheets = [p for p in pl.projects if "detail" in str(p.get(PR.layout) or "").split("+")]
    if not sheets:
        return Result(check, CheckStatus.not_applicable, th_en("ไม่มีโครงการที่มีรายละเอียดโครงการ",
                                                     "no project has a detail sheet"))
    lacking: dict[str, int] = defaultdict(int)
    first: dict[str, Any] | None = None
    for p in sheets:
        gaps = [s for s in required_sections() if not _has_section(p, s)]
        for s in gaps:
            lacking[s["name"]] += 1
        if gaps and first is None:
            first = p
    if first is None:
        return Result(check, CheckStatus.passed, th_en(f"ครบทุกหัวข้อ ({len(sheets)} โครงการที่มีรายละเอียด)",
                                           f"every section present ({len(sheets)} projects with a detail sheet)"))
    secs = [s for s in required_sections() if lacking[s["name"]]]
    th = ", ".join(f"{s['th']} {lacking[s['name']]} โครงการ" for s in secs)
    en = ", ".join(f"{s['en']} in {lacking[s['name']]}" for s in secs)
    return Result(check, CheckStatus.fail, th_en(f"ขาด {th} (จาก {len(sheets)} โครงการที่มีรายละเอียด)",
                                       f"missing {en} (of {len(sheets)} projects with a detail sheet)"),
                  first.get(PR.source_ref), first.get(PR.project_id))


_NOT_TITLE = re.compile(r"[\s\"'“”‘’«»()\[\]{}.,;:!?/\\\-–—_]+")


@cache
def _kind_words() -> tuple[str, ...]:
    return tuple(sorted(kinds(), key=len, reverse=True))  # data/kinds.csv


def title_key(title: str | None) -> str:
    """A title without its kind word, spaces, quotes and punctuation: the same project
    written twice has the same key.

    >>> title_key('โครงการ "อบรม คุณธรรม" ประจำปี 2565') == title_key("อบรมคุณธรรมประจำปี 2565")
    True
    """
    key = _NOT_TITLE.sub("", title or "")
    for w in _kind_words():
        if key.startswith(w) and len(key) > len(w):
            return key[len(w):]
    return key


def _figures(pl: Plan, p: dict[str, Any]) -> tuple[Any, ...]:
    years = tuple((b.get(B.fiscal_year), b.get(B.amount_thb)) for b in pl.budgets.get(str(p[PR.project_id]), []))
    budget = None if missing(p.get(PR.budget_thb)) else round(float(p[PR.budget_thb]), 2)
    return (budget, p.get(PR.budget_status), years)


def duplicate_project(pl: Plan) -> Result:
    """The same title twice in one plan with different budgets or per-year figures."""
    check = CheckCode.DUPLICATE_PROJECT
    if len(pl.projects) < 2:
        return Result(check, CheckStatus.not_applicable, th_en("แผนมีโครงการไม่ถึง 2 โครงการ", "fewer than 2 projects"))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pl.projects:
        key = title_key(p.get(PR.title))
        if key:
            groups[key].append(p)
    found = []
    for same in groups.values():
        if len(same) > 1 and len({_figures(pl, p) for p in same}) > 1:
            found.append(same)
    if not found:
        return Result(check, CheckStatus.passed, th_en("ไม่มีโครงการซ้ำที่ตัวเลขต่างกัน",
                                           "no project appears twice with different figures"))
    found.sort(key=lambda g: g[1].get(PR.seq) or 0)
    listed = _more([f"{_title(g[0])} ({' / '.join(_money(float(p[PR.budget_thb])) if not missing(p.get(PR.budget_thb)) else '-' for p in g)})"
                    for g in found])
    second = found[0][1]
    return Result(check, CheckStatus.fail, th_en(f"โครงการซ้ำโดยตัวเลขต่างกัน {len(found)} โครงการ: {listed}",
                                       f"{len(found)} project(s) appear twice with different figures: {listed}"),
                  second.get(PR.source_ref), second.get(PR.project_id))


def no_budgeted_project(pl: Plan) -> Result:
    """Projects listed, none with a figure."""
    check = CheckCode.NO_BUDGETED_PROJECT
    if not pl.projects:
        return no_projects(check)
    n = sum(p.get(PR.budget_status) == "amount" for p in pl.projects)
    if n:
        return Result(check, CheckStatus.passed, th_en(f"มีงบประมาณ {n} จาก {len(pl.projects)} โครงการ",
                                           f"{n} of {len(pl.projects)} projects have a figure"))
    return Result(check, CheckStatus.fail, th_en(f"ไม่มีโครงการใดระบุงบประมาณ ({len(pl.projects)} โครงการ)",
                                       f"none of the {len(pl.projects)} projects has a budget figure"),
                  pl.projects[0].get(PR.source_ref), pl.projects[0].get(PR.project_id))


#: the per-plan checks by code
PLAN_CHECKS: dict[CheckCode, Callable[[Plan], Result]] = {
    CheckCode.MISSION_NOT_COVERED: mission_not_covered,
    CheckCode.TOTAL_MISMATCH: total_mismatch,
    CheckCode.BUDGET_MISMATCH: budget_mismatch,
    CheckCode.PERIOD_MISMATCH: period_mismatch,
    CheckCode.MISSING_SECTION: missing_section,
    CheckCode.DUPLICATE_PROJECT: duplicate_project,
    CheckCode.NO_BUDGETED_PROJECT: no_budgeted_project,
}
