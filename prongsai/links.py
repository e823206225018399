"""The same organisation across plans: ``plan_links`` and ``project_links`` (SPEC).

An organisation is its ``org_code``; a plan without one takes the code of the plans
with the same canonical name, district and province when they name exactly one,
and is otherwise keyed by that name and place (a plan without a name or province,
or without a fiscal year, is linked to nothing). An organisation's plans are
ordered by period ``(fy_start, fy_end)``: plans of the same period are
``same_period`` (from the first by source_path to each other one), and every plan
of a period is ``next_cycle`` to every plan of the next period.

Projects are matched between a plan and each ``next_cycle`` plan only, so never
across organisations: the score (0-100) is the title similarity (kind word and
numbering removed, spaces ignored; rapidfuzz ``WRatio``), blended 3:1 with the
similarity of the objectives/targets/method texts when both plans give them. Pairs
whose harmonised ``dimension_2566`` differ (both known) never match. Pairs scoring at
least :data:`MIN_SCORE` are taken best first, each project at most once: a renamed
project links to its new name, one half of a split project to its source, a dropped
or a new one to nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prongsai.diagnostics import PlanLink

if TYPE_CHECKING:
    import pandas as pd

MIN_SCORE = 70.0
TITLE_WEIGHT = 0.75
TEXT_CHARS = 400  # the start of the texts compared (enough to tell projects apart, fast)

_LEAD = re.compile(r"^[\s\d.()\-–•*\"'“”]*(?:โครงการ|กิจกรรม|มาตรการ)?[\s:：\-–]*")
_SPACE = re.compile(r"\s+")


def title_key(title: str | None) -> str:
    """The title compared across plans: no kind word, numbering or spaces.

    >>> title_key("1. โครงการ อบรม คุณธรรม")
    'อบรมคุณธรรม'
    """
    if not title:
        return ""
    return _SPACE.sub("", _LEAD.sub("", title))


def _text_key(row: Any) -> str:
    parts = [getattr(row, c) for c in ("objectives", "targets", "method")]
    return _SPACE.sub("", "".join(p for p in parts if isinstance(p, str)))[:TEXT_CHARS]


@dataclass(frozen=True)
class _Plan:
    plan_id: str
    source_path: str
    period: tuple[int, int]


def _org_keys(plans: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """plan_id -> organisation key, for the plans that can be linked."""
    import pandas as pd

    def name_key(r: Any) -> tuple[str, ...] | None:
        if pd.isna(r.org_name) or pd.isna(r.province):
            return None
        return ("name", r.org_name, "" if pd.isna(r.district) else r.district, r.province)

    codes_of_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    rows = list(plans.itertuples(index=False))
    for r in rows:
        nk = name_key(r)
        if nk is not None and not pd.isna(r.org_code):
            codes_of_name[nk].add(r.org_code)
    keys: dict[str, tuple[str, ...]] = {}
    for r in rows:
        if r.status == "failed" or pd.isna(r.fy_start):
            continue
        if not pd.isna(r.org_code):
            keys[r.plan_id] = ("code", r.org_code)
            continue
        nk = name_key(r)
        if nk is None:
            continue
        codes = codes_of_name.get(nk, set())
        keys[r.plan_id] = ("code", next(iter(codes))) if len(codes) == 1 else nk
    return keys


def plan_links(plans: pd.DataFrame) -> list[dict[str, str]]:
    """The ``plan_links`` rows (sorted by plan_id_from, plan_id_to)."""
    import pandas as pd

    keys = _org_keys(plans)
    by_org: dict[tuple[str, ...], list[_Plan]] = defaultdict(list)
    for r in plans.itertuples(index=False):
        if r.plan_id in keys:
            period = (int(r.fy_start), int(r.fy_start if pd.isna(r.fy_end) else r.fy_end))
            by_org[keys[r.plan_id]].append(_Plan(r.plan_id, r.source_path, period))
    rows: list[dict[str, str]] = []
    for org_plans in by_org.values():
        periods: dict[tuple[int, int], list[_Plan]] = defaultdict(list)
        for p in sorted(org_plans, key=lambda p: (p.period, p.source_path, p.plan_id)):
            periods[p.period].append(p)
        ordered = sorted(periods)
        for k, period in enumerate(ordered):
            first, *others = periods[period]
            rows += [{"plan_id_from": first.plan_id, "plan_id_to": o.plan_id, "link": PlanLink.same_period.value}
                     for o in others]
            if k + 1 < len(ordered):
                rows += [{"plan_id_from": a.plan_id, "plan_id_to": b.plan_id, "link": PlanLink.next_cycle.value}
                         for a in periods[period] for b in periods[ordered[k + 1]]]
    rows.sort(key=lambda r: (r["plan_id_from"], r["plan_id_to"]))
    return rows


def match_projects(a: pd.DataFrame, b: pd.DataFrame, min_score: float = MIN_SCORE) -> list[tuple[str, str, float]]:
    """One-to-one matches ``(project_id_from, project_id_to, score)`` between the projects
    ``a`` of a plan and ``b`` of the organisation's next plan, best first."""
    import numpy as np
    from rapidfuzz import fuzz, process

    if a.empty or b.empty:
        return []
    ra, rb = list(a.itertuples(index=False)), list(b.itertuples(index=False))
    ta, tb = [title_key(r.title) for r in ra], [title_key(r.title) for r in rb]
    score = process.cdist(ta, tb, scorer=fuzz.WRatio, dtype=np.float32, workers=1)
    xa, xb = [_text_key(r) for r in ra], [_text_key(r) for r in rb]
    if any(xa) and any(xb):
        text = process.cdist(xa, xb, scorer=fuzz.ratio, dtype=np.float32, workers=1)
        both = np.outer(np.array([bool(x) for x in xa]), np.array([bool(x) for x in xb]))
        score = np.where(both, TITLE_WEIGHT * score + (1 - TITLE_WEIGHT) * text, score)
    da = a["dimension_2566"].to_numpy(dtype="float64", na_value=np.nan)
    db = b["dimension_2566"].to_numpy(dtype="float64", na_value=np.nan)
    differ = np.not_equal.outer(da, db) & ~np.isnan(da)[:, None] & ~np.isnan(db)[None, :]
    score = np.where(differ, 0.0, score)
    cand = np.argwhere(score >= min_score)
    if not len(cand):
        return []
    vals = score[cand[:, 0], cand[:, 1]]
    order = np.lexsort((cand[:, 1], cand[:, 0], -vals))  # best first; ties: document order
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for k in order:
        i, j = int(cand[k, 0]), int(cand[k, 1])
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((ra[i].project_id, rb[j].project_id, round(float(vals[k]), 1)))
    return out


def project_links(projects: pd.DataFrame, links: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ``project_links`` rows of the ``next_cycle`` plan links (sorted by the two ids)."""
    pairs = [(r["plan_id_from"], r["plan_id_to"]) for r in links if r["link"] == PlanLink.next_cycle.value]
    if not pairs:
        return []
    wanted = {p for pair in pairs for p in pair}
    cols = ["project_id", "plan_id", "title", "objectives", "targets", "method", "dimension_2566", "seq"]
    sub = projects.loc[projects["plan_id"].isin(wanted), cols]
    groups = {pid: g.sort_values("seq") for pid, g in sub.groupby("plan_id", sort=False)}
    rows = []
    empty = sub.iloc[0:0]
    for pa_, pb in pairs:
        for f, t, s in match_projects(groups.get(pa_, empty), groups.get(pb, empty)):
            rows.append({"project_id_from": f, "project_id_to": t, "score": s})
    rows.sort(key=lambda r: (r["project_id_from"], r["project_id_to"]))
    return rows
