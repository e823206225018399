"""OTHER_ORG_NAMED: the plan's texts name another organisation as if it were the author.

Copy-paste leftovers: a plan by อบต.Y whose sheets still say ``บุคลากรขององค์การบริหาร
ส่วนตำบลX``. Every organisation the project texts name (type prefix + a name the DLA
registry confirms, :func:`prongsai.normalize.org.find_orgs`) is compared with the plan's
own. Not counted: the plan's own name under any type (an อบต. that became a เทศบาลตำบล),
the อบจ. of the plan's province (the province), names right after a partner word
(``ร่วมกับ``, ``ศึกษาดูงาน``…, ``data/checks.yaml``). District offices, the province and
NACC are not local organisations, so they are never found.

The tables carry the project texts (title and sections), not the cover or the
introduction: a leftover there is not seen (see the README).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache
from typing import Any

from prongsai.checks.model import PR, P, Plan, Result, missing, no_projects, th_en
from prongsai.diagnostics import CheckCode, CheckStatus
from prongsai.normalize.org import find_orgs
from prongsai.normalize.registry import data_yaml, lao_registry, org_types, squash
from prongsai.schema import PROJECTS

#: the project columns that hold the plan's own words
TEXT_COLUMNS = PROJECTS.pick("title", "rationale", "objectives", "targets", "area", "method", "indicators", "outcomes")
#: characters after a type form that hold the name and its places
WINDOW = 90


@cache
def _partner_words() -> tuple[str, ...]:
    return tuple(sorted((squash(w) for w in data_yaml("checks.yaml")["partner_words"]), key=len, reverse=True))


@cache
def _registry_names() -> frozenset[tuple[str, str]]:
    return frozenset((r.org_type, r.name) for r in lao_registry())


@cache
def _type_forms() -> tuple[str, ...]:
    return tuple(sorted({squash(v.variant) for v in org_types()} | {squash(v.prefix) for v in org_types()},
                        key=len, reverse=True))


def _after_partner_word(text: str, name: str) -> bool:
    """Whether the first place ``name`` stands in ``text`` follows a partner word (the
    organisation's type written between them).

    >>> _after_partner_word("จัดอบรมร่วมกับเทศบาลตำบลบ้านใหม่", "บ้านใหม่")
    True
    >>> _after_partner_word("บุคลากรของเทศบาลตำบลบ้านใหม่", "บ้านใหม่")
    False
    """
    flat = squash(text)
    at = flat.find(name)
    if at < 0:
        return False
    before = flat[:at]
    for form in _type_forms():
        if form and before.endswith(form):
            before = before[: -len(form)]
            break
    return any(before.endswith(w) for w in _partner_words())


@cache
def _type_pattern() -> re.Pattern[str]:
    """Any written type form (องค์การบริหารส่วนตำบล, อบต., เทศบาลตำบล …), spaces optional."""
    forms = sorted({v.variant for v in org_types()} | {v.prefix for v in org_types()}, key=len, reverse=True)
    return re.compile("|".join(r"\s*".join(map(re.escape, squash(f))) for f in forms if squash(f)))


@lru_cache(maxsize=65536)
def _orgs_in(window: str) -> tuple[Any, ...]:
    return tuple(find_orgs(window))


def _mentions(text: str, own: str) -> list[Any]:
    """The organisations named in ``text``, skipping at once the places that name ``own``
    (most mentions in a plan are its own name; resolving a name is the costly part)."""
    out: list[Any] = []
    pat = _type_pattern()
    pos = 0
    for m in pat.finditer(text):
        if m.start() < pos:
            continue
        window = text[m.start(): m.start() + WINDOW]
        if own and squash(text[m.end(): m.end() + len(own) + 8]).startswith(own):
            pos = m.end()
            continue
        out.extend(_orgs_in(window)[:1])  # the one this type form names
        pos = m.end()
    return out


def other_orgs(pl: Plan) -> list[tuple[str, dict[str, Any]]]:
    """(full name, project) of every mention of another organisation, in text order."""
    own = squash(str(pl.get(P.org_short_name) or ""))
    province = squash(str(pl.get(P.province) or ""))
    out = []
    for p in pl.projects:
        for col in TEXT_COLUMNS:
            text = p.get(col)
            if missing(text) or not isinstance(text, str):
                continue
            for o in _mentions(text, own):
                short = squash(o.org_short_name or "")
                if not short or short == own or (own and (short.startswith(own) or own.startswith(short))):
                    continue
                if o.org_type == "pao" and short == province:
                    continue
                if o.org_type and (o.org_type, o.org_short_name) not in _registry_names():
                    continue
                if _after_partner_word(text, short):
                    continue
                out.append((o.org_name or short, p))
    return out


def other_org_named(pl: Plan) -> Result:
    check = CheckCode.OTHER_ORG_NAMED
    if not pl.projects:
        return no_projects(check)
    if not pl.get(P.org_short_name):
        return Result(check, CheckStatus.not_applicable, th_en("ไม่ทราบชื่อองค์กรผู้จัดทำแผน", "the plan's organisation is unknown"))
    found = other_orgs(pl)
    own = pl.get(P.org_name) or pl.get(P.org_short_name)
    if not found:
        return Result(check, CheckStatus.passed, th_en(f"ข้อความโครงการไม่กล่าวถึงองค์กรอื่นแทน {own}",
                                           f"the project texts name no other organisation in place of {own}"))
    counts = Counter(name for name, _ in found)
    names = ", ".join(f"{n} ({c})" for n, c in counts.most_common(5))
    first = found[0][1]
    n_projects = len({id(p) for _, p in found})
    return Result(check, CheckStatus.fail, th_en(f"ข้อความใน {n_projects} โครงการกล่าวถึง {names} ซึ่งไม่ใช่ผู้จัดทำแผน ({own})",
                                       f"the texts of {n_projects} project(s) name {names}, not the plan's author "
                                       f"({own})"),
                  first.get(PR.source_ref), first.get(PR.project_id))
