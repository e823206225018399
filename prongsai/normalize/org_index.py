"""Indexes over the DLA list and the organisation-type table that :mod:`prongsai.normalize.org`
matches against: the written forms of each type (``data/org_types.csv``) and the registry
names per type and place (``data/lao_registry.csv``). Every index is built once per process.

>>> prefix_of()["sao"]
'องค์การบริหารส่วนตำบล'
>>> sorted(type_variants()["อบต."].types)
['sao']
>>> "เมืองน้อย" in registry_names("sao", "ธวัชบุรี", "ร้อยเอ็ด")
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from prongsai.normalize.registry import LaoRecord, lao_registry, org_types, squash


@dataclass(frozen=True)
class TypeInfo:
    """The types a written form may denote, its score and whether it is the whole name."""

    types: frozenset[str]
    score: float
    whole_name: bool


@cache
def prefix_of() -> dict[str, str]:
    """SPEC type code → official Thai prefix."""
    return {v.org_type: v.prefix for v in org_types() if v.kind == "full"}


@cache
def type_variants() -> dict[str, TypeInfo]:
    """Whitespace-free written form → the types it may denote and its score.

    A misspelt form scores its similarity to the closest correct form of its type.
    """
    correct: dict[str, list[str]] = defaultdict(list)
    for v in org_types():
        if v.kind != "misspelling":
            correct[v.org_type].append(squash(v.variant))
    types: dict[str, set[str]] = defaultdict(set)
    scores: dict[str, float] = {}
    whole: dict[str, bool] = {}
    for v in org_types():
        key = squash(v.variant)
        types[key].add(v.org_type)
        s = 100.0
        if v.kind == "misspelling":
            s = max(fuzz.ratio(key, c) for c in correct[v.org_type])
        scores[key] = min(scores.get(key, 100.0), s)
        whole[key] = v.whole_name
    return {k: TypeInfo(frozenset(types[k]), scores[k], whole[k]) for k in types}


@cache
def type_regex() -> re.Pattern[str]:
    """Any written type form, longest first; the long forms with optional whitespace
    between characters (justified text), abbreviations exactly."""
    forms = sorted(type_variants(), key=len, reverse=True)
    return re.compile("|".join(_form_pattern(f) for f in forms))


def _form_pattern(form: str) -> str:
    if "." in form or len(form) < 6:
        return re.escape(form)
    return r"\s*".join(re.escape(ch) for ch in form)


@cache
def whole_name_types() -> frozenset[str]:
    """Types whose prefix is the whole name (กรุงเทพมหานคร, เมืองพัทยา)."""
    return frozenset(v.org_type for v in org_types() if v.whole_name)


@cache
def by_type_name() -> dict[tuple[str, str], tuple[LaoRecord, ...]]:
    index: dict[tuple[str, str], list[LaoRecord]] = defaultdict(list)
    for r in lao_registry():
        index[(r.org_type, r.name)].append(r)
    return {k: tuple(v) for k, v in index.items()}


@cache
def registry_names(org_type: str, district: str | None = None, province: str | None = None) -> tuple[str, ...]:
    """Registry names of one type, optionally only those of a district / province."""
    return tuple(
        sorted(
            {
                r.name
                for r in lao_registry()
                if r.org_type == org_type
                and (district is None or r.district == district)
                and (province is None or r.province == province)
            }
        )
    )


@cache
def registry_places() -> tuple[frozenset[str], frozenset[str]]:
    """The districts and provinces that have an LAO in the DLA list (not Bangkok's เขต:
    the BMA is one organisation of the whole province), for filtering candidates.

    >>> districts, provinces = registry_places()
    >>> "ธวัชบุรี" in districts, "บางรัก" in districts, "ร้อยเอ็ด" in provinces
    (True, False, True)
    """
    records = lao_registry()
    return frozenset(r.district for r in records), frozenset(r.province for r in records)
