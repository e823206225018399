"""Provinces, districts (อำเภอ/เขต) and sub-districts (ตำบล/แขวง) of Thailand.

Data: the ``geothai`` package (DOPA administrative codes; code MIT, data CC-BY-4.0),
which ships its tables offline. This module only answers the questions the
pipeline asks: does a district lie in a province, and which districts of a
province have a sub-district of a given name.
"""

from __future__ import annotations

from functools import cache

import geothai


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
