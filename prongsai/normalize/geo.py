"""Provinces, districts (อำเภอ/เขต) and sub-districts (ตำบล/แขวง) of Thailand.

Data: the ``geothai`` package (DOPA administrative codes; code MIT, data CC-BY-4.0),
which ships its tables offline. This module only answers the questions the
pipeline asks: does a district lie in a province, and which districts of a
province have a sub-district of a given name; it also reads the names written after
``อำเภอ``/``จังหวัด`` (:func:`scan_places`) and puts them into their registry spelling
(:func:`normalize_province`, :func:`normalize_district`).
"""

from __future__ import annotations

import re
from functools import cache

import geothai
from rapidfuzz import fuzz, process

from prongsai.normalize.org_index import registry_places
from prongsai.normalize.registry import data_yaml, squash, words_pattern
from prongsai.normalize.thai_chars import WORD_LETTERS_MAIYAMOK

# Thresholds (0-100, rapidfuzz ratio on whitespace-free text).
PROVINCE_MIN = 80.0  # 76 provinces, all far apart
DISTRICT_MIN_IN_PROVINCE = 75.0  # a handful of districts per province
DISTRICT_MIN = 85.0

# Grammar of Thai addresses: the markers before a sub-district, district (เขต in Bangkok) and
# province (``data/places.yaml``).
_WORDS = data_yaml("places.yaml")
#: the markers of one level as a regex alternation (parse/header.py reads them too)
SUBDISTRICT_MARKERS = words_pattern(_WORDS["markers"]["subdistrict"])
DISTRICT_MARKERS = words_pattern(_WORDS["markers"]["district"])
PROVINCE_MARKERS = words_pattern(_WORDS["markers"]["province"])
_SUBDISTRICT = rf"(?:{SUBDISTRICT_MARKERS})"
_DISTRICT = rf"(?:{DISTRICT_MARKERS}|{words_pattern(_WORDS['bangkok_district'])})"
_PROVINCE = rf"(?:{PROVINCE_MARKERS})"
_MARKERS = re.compile("|".join([DISTRICT_MARKERS, PROVINCE_MARKERS, SUBDISTRICT_MARKERS]))
_CAPITAL = _WORDS["capital_district"]
NAME_CHARS = f"{WORD_LETTERS_MAIYAMOK}0-9.\\-"  # Thai letters and marks, digits, . and -
_PLACE = re.compile(
    rf"[\s,]*(?:(?P<sub>{_SUBDISTRICT})|(?P<dist>{_DISTRICT})|(?P<prov>{_PROVINCE}))\s*(?P<tok>[{NAME_CHARS}]+)"
)




@cache
def _index() -> dict[str, dict[str, tuple[str, ...]]]:
    """province -> district -> its sub-district names."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for p in geothai.provinces():
        out[p.name_th] = {d.name_th: tuple(s.name_th for s in geothai.subdistricts(d.code))
                          for d in geothai.districts(p.code)}
    return out


def provinces() -> tuple[str, ...]:
    """All province names.

    >>> len(provinces()), "ร้อยเอ็ด" in provinces()
    (77, True)
    """
    return tuple(_index())


def districts(province: str) -> tuple[str, ...]:
    """The districts of a province (empty for an unknown province).

    >>> "ธวัชบุรี" in districts("ร้อยเอ็ด")
    True
    """
    return tuple(_index().get(province, {}))


def district_in_province(district: str | None, province: str | None) -> bool:
    """True when the district lies in the province.

    >>> district_in_province("แม่สาย", "เชียงราย"), district_in_province("แม่สาย", "ชุมพร")
    (True, False)
    """
    return bool(district and province) and district in _index().get(province or "", {})


def districts_with_subdistrict(name: str, province: str) -> tuple[str, ...]:
    """The districts of ``province`` that have a sub-district called ``name``.

    >>> districts_with_subdistrict("หินตั้ง", "ขอนแก่น")
    ('บ้านไผ่',)
    """
    return tuple(d for d, subs in _index().get(province, {}).items() if name in subs)


@cache
def sorted_provinces() -> tuple[str, ...]:
    """The provinces names are matched against, sorted: those with LAOs in the DLA list
    (all but Bangkok, whose BMA is one organisation for the whole province and whose
    districts geothai names ``เขต…``).

    >>> len(sorted_provinces()), "กรุงเทพมหานคร" in sorted_provinces()
    (76, False)
    """
    _, with_laos = registry_places()
    return tuple(sorted(p for p in provinces() if p in with_laos))


@cache
def sorted_districts(province: str | None = None) -> tuple[str, ...]:
    """The districts of ``province`` (of every province of :func:`sorted_provinces` for
    None), sorted."""
    names = sorted_provinces() if province is None else (province,) if province in sorted_provinces() else ()
    return tuple(sorted({d for p in names for d in districts(p)}))


def _name_key(text: str | None) -> str:
    """A place name as compared with the registry: squashed, without abbreviation dots.

    >>> _name_key(" ร้อย เอ็ด. "), _name_key(None), _name_key("..")
    ('ร้อยเอ็ด', '', '')
    """
    return squash(text).strip(".") if text else ""


def normalize_province(text: str | None) -> tuple[str | None, float]:
    """A province name as in the registry, with its score; unknown names are kept as written.

    >>> normalize_province("ร้อยเอ็ด")
    ('ร้อยเอ็ด', 100.0)
    >>> normalize_province("ขอนแกน")[0]
    'ขอนแก่น'
    >>> normalize_province("กรุงเทพมหานคร")
    ('กรุงเทพมหานคร', 100.0)
    """
    if not (key := _name_key(text)):
        return None, 0.0
    if key in sorted_provinces():
        return key, 100.0
    best = process.extractOne(key, sorted_provinces(), scorer=fuzz.ratio, score_cutoff=PROVINCE_MIN)
    if best is not None:
        return best[0], float(best[1])
    return key, 100.0


def normalize_district(text: str | None, province: str | None = None) -> tuple[str | None, float]:
    """A district name as in the registry (within ``province`` if given), with its score.

    ``อำเภอเมือง`` written without its province means the province's เมือง district.

    >>> normalize_district("เมือง", "ชุมพร")
    ('เมืองชุมพร', 100.0)
    >>> normalize_district("บานไผ", "ขอนแก่น")[0]
    'บ้านไผ่'
    >>> normalize_district("ธวัชบุรี")
    ('ธวัชบุรี', 100.0)
    """
    if not (key := _name_key(text)):
        return None, 0.0
    pool = sorted_districts(province) if province in sorted_provinces() else ()
    if province and pool:
        if key in pool:
            return key, 100.0
        if key == _CAPITAL and _CAPITAL + province in pool:
            return _CAPITAL + province, 100.0
        best = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=DISTRICT_MIN_IN_PROVINCE)
        if best is not None:
            return best[0], float(best[1])
    if key in sorted_districts():
        return key, 100.0
    best = process.extractOne(key, sorted_districts(), scorer=fuzz.ratio, score_cutoff=DISTRICT_MIN)
    if best is not None:
        return best[0], float(best[1])
    return key, 100.0


def scan_places(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """Read ``ตำบลX``/``อำเภอX``/``จังหวัดX`` (any order, abbreviated or not) right after pos."""
    district = province = None
    while m := _PLACE.match(text, pos):
        tok = cut_at_marker(m.group("tok")).rstrip(".")
        if not tok:
            break
        if m.group("dist"):
            if district is not None:
                break
            district = tok
        elif m.group("prov"):
            if province is not None:
                break
            province = tok
        pos = m.start("tok") + len(cut_at_marker(m.group("tok")))
    return district, province, pos


def cut_at_marker(token: str) -> str:
    """The token up to a glued place marker (``ธวัชบุรีจังหวัดร้อยเอ็ด`` → ``ธวัชบุรี``)."""
    m = _MARKERS.search(token, 1)
    return token[: m.start()] if m else token
