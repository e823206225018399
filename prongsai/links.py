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
numbering removed, spaces ignored; rapidfuzz ``ratio``), blended 3:1 with the
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
from prongsai.normalize.registry import kinds, words_pattern

if TYPE_CHECKING:
    import pandas as pd

MIN_SCORE = 75.0
TITLE_WEIGHT = 0.75
TEXT_CHARS = 200  # the start of the texts compared (enough to tell projects apart, fast)

_LEAD = re.compile(rf"^[\s\d.()\-–•*\"'“”]*(?:{words_pattern(kinds())})?[\s:：\-–]*")
_SPACE = re.compile(r"\s+")


def title_key(title: str | None) -> str:
    """The title compared across plans: no kind word, numbering or spaces.

    >>> title_key("1. โครงการ อบรม คุณธรรม")
    'อบรมคุณธรรม'
    """
    if not title:
        return ""
    return _SPACE.sub("", _LEAD.sub("", title))


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


TEXT_COLUMNS = ("objectives", "targets", "method")


@dataclass
class PlanProjects:
    """The projects of one plan, as the matching needs them (texts made on demand)."""

    ids: list[str]
    titles: list[str]  # title_key of each
    dims: list[int | None]  # dimension_2566
    parts: list[list[Any]]  # TEXT_COLUMNS, one list each

    def text(self, i: int) -> str:
        """The start of the project's objectives, targets and method, spaces removed."""
        out, n = [], 0
        for col in self.parts:
            v = col[i]
            if isinstance(v, str) and v:
                v = "".join(v.split())
                out.append(v)
                n += len(v)
                if n >= TEXT_CHARS:
                    break
        return "".join(out)[:TEXT_CHARS]


class _Index:
    """The projects of many plans, sorted by plan and seq, sliced per plan on demand
    (500,000 projects' texts as Python strings would cost more memory than the tables)."""

    def __init__(self, projects: pd.DataFrame) -> None:
        import pyarrow as pa

        df = projects.sort_values(["plan_id", "seq"], kind="stable")
        self.ids = df["project_id"].tolist()
        self.titles = [title_key(t) for t in df["title"].tolist()]
        self.dims = [None if d is None or d != d else int(d) for d in
                     df["dimension_2566"].astype("float64").fillna(float("nan")).tolist()]
        self.cols = [pa.array(df[c].array, type=pa.string()) if len(df) else pa.array([], pa.string())
                     for c in TEXT_COLUMNS]
        self.ranges: dict[str, tuple[int, int]] = {}
        plans = df["plan_id"].tolist()
        start = 0
        for k in range(1, len(plans) + 1):
            if k == len(plans) or plans[k] != plans[start]:
                self.ranges[plans[start]] = (start, k)
                start = k

    def plan(self, plan_id: str) -> PlanProjects:
        a, b = self.ranges.get(plan_id, (0, 0))
        return PlanProjects(self.ids[a:b], self.titles[a:b], self.dims[a:b],
                            [c.slice(a, b - a).to_pylist() for c in self.cols])


def match_projects(a: PlanProjects, b: PlanProjects, min_score: float = MIN_SCORE) -> list[tuple[str, str, float]]:
    """One-to-one matches ``(project_id_from, project_id_to, score)`` between the projects
    ``a`` of a plan and ``b`` of the organisation's next plan, best first."""
    import numpy as np
    from rapidfuzz import fuzz, process

    if not a.ids or not b.ids:
        return []
    title = process.cdist(a.titles, b.titles, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    da = np.array([np.nan if d is None else d for d in a.dims], dtype=np.float64)
    db = np.array([np.nan if d is None else d for d in b.dims], dtype=np.float64)
    differ = np.not_equal.outer(da, db) & ~np.isnan(da)[:, None] & ~np.isnan(db)[None, :]
    title[differ] = 0.0
    # the text can add at most (1 - TITLE_WEIGHT) * 100: only titles close enough are worth it
    floor = min((min_score - (1 - TITLE_WEIGHT) * 100) / TITLE_WEIGHT, min_score)
    ii, jj = np.nonzero(title >= floor)
    if not len(ii):
        return []
    score = title[ii, jj].astype(np.float64)
    text_a: dict[int, str] = {}
    text_b: dict[int, str] = {}
    for k, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        if i not in text_a:
            text_a[i] = a.text(i)
        if j not in text_b:
            text_b[j] = b.text(j)
        if text_a[i] and text_b[j]:  # sparse: single calls beat a full cdist of the texts
            score[k] = TITLE_WEIGHT * score[k] + (1 - TITLE_WEIGHT) * fuzz.ratio(text_a[i], text_b[j])
    score = np.round(score, 1)
    keep = score >= min_score
    ii, jj, score = ii[keep], jj[keep], score[keep]
    order = np.lexsort((jj, ii, -score))  # best first; ties: document order
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for k in order.tolist():
        i, j = int(ii[k]), int(jj[k])
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((a.ids[i], b.ids[j], float(score[k])))
    return out


def project_links(projects: pd.DataFrame, links: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ``project_links`` rows of the ``next_cycle`` plan links (sorted by the two ids)."""
    pairs = [(r["plan_id_from"], r["plan_id_to"]) for r in links if r["link"] == PlanLink.next_cycle.value]
    if not pairs:
        return []
    wanted = {p for pair in pairs for p in pair}
    index = _Index(projects[projects["plan_id"].isin(list(wanted))])
    rows = []
    for pa_, pb in pairs:
        for f, t, s in match_projects(index.plan(pa_), index.plan(pb)):
            rows.append({"project_id_from": f, "project_id_to": t, "score": s})
    rows.sort(key=lambda r: (r["project_id_from"], r["project_id_to"]))
    return rows
