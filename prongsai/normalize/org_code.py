"""The DLA code of an organisation: its candidates in the DLA list (``data/lao_registry.csv``)
by type, name and the places written, and the one code they leave (:func:`lookup_org_code`,
:func:`complete_org`). :mod:`prongsai.normalize.org` finds the organisations in text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from prongsai.normalize.geo import normalize_district, normalize_province
from prongsai.normalize.org_index import by_type_name, prefix_of, registry_places
from prongsai.normalize.registry import LaoRecord, squash


@dataclass(frozen=True)
class Org:
    """An organisation as named in a document (SPEC ``plans`` columns)."""

    org_type: str | None
    org_name: str | None
    org_short_name: str | None
    district: str | None
    province: str | None
    org_code: str | None
    score: float


def candidates(org_type: str | None, short_name: str, district: str | None, province: str | None) -> list[LaoRecord]:
    """Registry records of this type (any type if None) and name in the places given.

    A place the registry does not know at all (a truncated word, a Bangkok เขต) does not
    filter: it cannot be checked.
    """
    known_districts, known_provinces = registry_places()
    district = district if district in known_districts else None
    province = province if province in known_provinces else None
    types = [org_type] if org_type else sorted(prefix_of())
    out: list[LaoRecord] = []
    for t in types:
        for r in by_type_name().get((t, short_name), ()):
            if (district is None or r.district == district) and (province is None or r.province == province):
                out.append(r)
    return out


def lookup_org_code(
    org_type: str | None, short_name: str | None, district: str | None = None, province: str | None = None
) -> str | None:
    """The DLA code of the one LAO with this type, name and (if given) places; else None.

    >>> lookup_org_code("sao", "เมืองน้อย") is None  # in ร้อยเอ็ด and in ศรีสะเกษ
    True
    >>> lookup_org_code("sao", "เมืองน้อย", province="ร้อยเอ็ด")
    '6450511'
    >>> lookup_org_code("subdistrict_mun", "วังไผ่", "เมืองชุมพร", "ชุมพร")
    '5860105'
    >>> lookup_org_code(None, "วังไผ่", "เมืองชุมพร") is None  # a ทต. and an อบต.
    True
    """
    if not short_name:
        return None
    province = normalize_province(province)[0]
    district = normalize_district(district, province)[0]
    cands = candidates(org_type, squash(short_name), district, province)
    return cands[0].dla_code if len(cands) == 1 else None


def complete_org(org: Org) -> Org:
    """Fill type, full name, district, province and code from the registry when the type,
    name and the places already known leave exactly one candidate; places are normalised
    to the registry spelling either way.

    >>> o = complete_org(Org("sao", "องค์การบริหารส่วนตำบลโขมง", "โขมง", None, None, None, 100.0))
    >>> (o.district, o.province, o.org_code)
    ('ท่าใหม่', 'จันทบุรี', '6220306')
    >>> complete_org(Org(None, None, "วังไผ่", "เมือง", "ชุมพร", None, 100.0)).org_code is None
    True
    """
    province, p_score = normalize_province(org.province)
    district, d_score = normalize_district(org.district, province)
    score = min([org.score] + [s for s, v in ((p_score, province), (d_score, district)) if v])
    out = replace(org, district=district, province=province, score=score)
    if not org.org_short_name:
        return out
    cands = candidates(org.org_type, squash(org.org_short_name), district, province)
    if len(cands) != 1:
        return out
    r = cands[0]
    return replace(
        out,
        org_type=r.org_type,
        org_name=out.org_name or full_name(r.org_type, r.name),
        district=r.district,
        province=r.province,
        org_code=r.dla_code,
    )


def full_name(org_type: str, short_name: str) -> str:
    """The official name: the type's prefix and the short name.

    >>> full_name("sao", "โขมง")
    'องค์การบริหารส่วนตำบลโขมง'
    """
    prefix = prefix_of()[org_type]
    return short_name if short_name.startswith(prefix) else prefix + short_name
