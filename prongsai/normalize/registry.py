"""Reference data shipped in ``prongsai/data/``, loaded once per process.

Every loader is cached (``functools.cache``) and reads its file through
``importlib.resources``, so it works from an installed wheel as well as from the
source tree. The files and their sources are listed in ``prongsai/data/SOURCES.md``.

>>> len(lao_registry()) > 7000
True
>>> lao_registry()[0].dla_code
'2110101'
>>> sorted({t.org_type for t in org_types()})
['bma', 'city_mun', 'pao', 'pattaya', 'sao', 'subdistrict_mun', 'town_mun']
>>> kinds()['กิจกรรม']
'activity'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from prongsai.normalize.clean import clean_text
from prongsai.normalize.clean import squash as thai_squash

FRAMEWORKS = ("2561", "2566")


@dataclass(frozen=True)
class LaoRecord:
    """One row of ``lao_registry.csv``: a local administrative organisation."""

    dla_code: str
    org_type: str
    name: str
    district: str
    province: str


@dataclass(frozen=True)
class OrgTypeVariant:
    """One row of ``org_types.csv``: a way of writing an LAO type.

    ``kind`` is ``full`` (the official prefix), ``abbr``, ``office`` ("สำนักงาน…"),
    ``spacing``, ``misspelling`` or ``generic`` (a word such as เทศบาล that fits
    several types; the registry decides). ``whole_name`` is True for types whose
    prefix is the whole name (กรุงเทพมหานคร, เมืองพัทยา).
    """

    org_type: str
    prefix: str
    variant: str
    kind: str
    whole_name: bool


@dataclass(frozen=True)
class UnitVariant:
    """One row of ``units.csv``: a way of writing a responsible unit."""

    canonical: str
    variant: str
    kind: str  # unit | section (a งาน inside a division) | collective


@dataclass(frozen=True)
class MonthName:
    """One row of ``months.csv``: a way of writing a month."""

    month: int  # 1 = January
    name: str
    form: str  # thai | thai_abbr | english (lower case)


@dataclass(frozen=True)
class TaxonomyEntry:
    """One dimension / mission / sub-mission of an NACC framework."""

    code: str
    level: str
    label: str


def _text(name: str) -> str:
    return files("prongsai").joinpath("data", name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(_text(name)))
        if any((v or "").strip() for v in row.values())
    ]


@cache
def lao_registry() -> tuple[LaoRecord, ...]:
    """All LAOs of the DLA list (``lao_registry.csv``)."""
    return tuple(
        LaoRecord(r["dla_code"], r["org_type"], r["name"], r["district"], r["province"])
        for r in _csv_rows("lao_registry.csv")
    )


@cache
def org_types() -> tuple[OrgTypeVariant, ...]:
    """LAO type prefixes, abbreviations and variants (``org_types.csv``)."""
    return tuple(
        OrgTypeVariant(r["org_type"], r["prefix"], r["variant"], r["kind"], r["whole_name"] == "yes")
        for r in _csv_rows("org_types.csv")
    )


@cache
def units() -> tuple[UnitVariant, ...]:
    """Responsible units and their variants (``units.csv``)."""
    return tuple(UnitVariant(r["canonical"], r["variant"], r["kind"]) for r in _csv_rows("units.csv"))


@cache
def unit_phrases() -> dict[str, tuple[str, ...]]:
    """Words around a unit name that are not the unit (``unit_phrases.csv``), by role:
    ``head`` (หัวหน้า… before the unit), ``partner`` (ร่วมกับ…: the partners after it),
    ``connector`` (ใน, ของ), ``and`` (และ) and ``not_a_unit`` (header words)."""
    out: dict[str, list[str]] = {}
    for r in _csv_rows("unit_phrases.csv"):
        out.setdefault(r["role"], []).append(r["phrase"])
    return {k: tuple(v) for k, v in out.items()}


@cache
def kinds() -> dict[str, str]:
    """Kind words (โครงการ, กิจกรรม, มาตรการ) → SPEC ``kind`` code (``kinds.csv``)."""
    return {r["word"]: r["kind"] for r in _csv_rows("kinds.csv")}


@cache
def months() -> tuple[MonthName, ...]:
    """Month names (``months.csv``): Thai in full, Thai abbreviated, English.

    >>> [m.name for m in months() if m.month == 10]
    ['ตุลาคม', 'ต.ค.', 'october', 'oct']
    """
    return tuple(MonthName(int(r["month"]), r["name"], r["form"]) for r in _csv_rows("months.csv"))


#: libyaml's safe loader when PyYAML was built with it (about 8x faster), else the pure-Python one
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def data_yaml(name: str) -> Any:
    """A YAML file of ``prongsai/data``, parsed safely (cached)."""
    return yaml.load(_text(name), Loader=_YamlLoader)  # noqa: S506 - a safe loader


@cache
def taxonomy(framework: str) -> dict[str, TaxonomyEntry]:
    """Entries of one NACC framework (``taxonomy-<framework>.yaml``) by code.

    >>> taxonomy("2566")["1"].label
    'การสร้างวัฒนธรรมสุจริต'
    >>> taxonomy("2561")["2.2.1"].level
    'sub-mission'
    """
    if framework not in FRAMEWORKS:
        raise KeyError(framework)
    data = data_yaml(f"taxonomy-{framework}.yaml")
    return {
        str(e["code"]): TaxonomyEntry(str(e["code"]), str(e["level"]), str(e["label"]).strip()) for e in data["entries"]
    }


@cache
def crosswalk() -> tuple[dict[str, str], dict[str, str]]:
    """The 2561 → 2566 crosswalk (``crosswalk.yaml``) as (dimension map, mission map).

    >>> dims, missions = crosswalk()
    >>> dims['2'], missions['2.5']
    ('2', '4.2')
    """
    data = data_yaml("crosswalk.yaml")
    dims = {str(m["from"]): str(m["to"]) for m in data["dimension_map"]}
    missions = {str(m["from"]): str(m["to"]) for m in data["mission_map"]}
    return dims, missions


# --- text helpers -------------------------------------------------------------------
# The matchers compare reference names with text the way ``prongsai.normalize.thai`` cleans it.


def clean(text: str) -> str:
    """Thai-repaired text with Arabic digits and single spaces.

    >>> clean("มิติที่  ๑")
    'มิติที่ 1'
    """
    return clean_text(text)


def squash(text: str) -> str:
    """:func:`clean` without any whitespace (for whitespace-insensitive comparison).

    >>> squash("สำนักงาน  ปลัด")
    'สำนักงานปลัด'
    """
    return thai_squash(text)


def _word_pattern(word: str, gap: str | None) -> str:
    if gap is None or "." not in word[:-1]:
        return re.escape(word) if gap is None or not word.endswith(".") else re.escape(word[:-1]) + r"\.?"
    if word.isascii():  # B.E., A.D.: each dot may be left out
        return re.escape(word).replace(r"\.", r"\.?")
    return re.escape(word).replace(r"\.", r"\." + gap).removesuffix(gap) + "?"


def words_pattern(words: Iterable[str], gap: str | None = None) -> str:
    r"""A regex alternation of vocabulary *words*, in their order (list longer overlapping
    words first).

    With *gap*, words are abbreviations: a Thai one also matches with *gap* after its inner
    dots and without its last dot (``พ.ศ.``, ``พ. ศ``), a Latin one with or without each dot
    (``B.E.``, ``BE``).

    >>> print(words_pattern(["ปีงบ", "ปี", "บ."]))
    ปีงบ|ปี|บ\.
    >>> print(words_pattern(["พ.ศ.", "พศ", "B.E."], gap=r"\s?"))
    พ\.\s?ศ\.?|พศ|B\.?E\.?
    """
    return "|".join(_word_pattern(w, gap) for w in words)
