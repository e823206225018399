"""The plan's organisation from the header's texts (:class:`~prongsai.parse.header.PlanHeader`):
the organisation the parser found named best, completed from the registries (type, name,
อำเภอ, จังหวัด, DLA code), with every fuzzy or inferred part a reviewer's decision
(``FUZZY_LABEL``, ``INFERRED_VALUE``, ``PLACE_MISMATCH``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prongsai.decisions import REJECT, Decider
from prongsai.diagnostics import WarningCode
from prongsai.model import Problem
from prongsai.normalize.clean import squash
from prongsai.normalize.geo import district_in_province, districts_with_subdistrict
from prongsai.normalize.org import Org, complete_org, find_orgs, normalize_district, normalize_province, parse_org

if TYPE_CHECKING:  # types only: prongsai.parse imports this module
    from prongsai.parse.header import PlanHeader

__all__ = ["plan_org"]

_RAW_CHARS = 120  # the organisation line as a reviewer's decisions name it (its first characters)


def plan_org(header: PlanHeader, decider: Decider, problems: list[Problem]) -> Org | None:
    """The plan's organisation, checked against the registries; every fuzzy or
    inferred part is a decision a reviewer can overrule (logged into ``problems``)."""
    if header.org_line is None:
        return None
    org = find_orgs(header.org_line)[header.org_index]
    raw = header.org_line[:_RAW_CHARS]
    override = decider.overrides.get("org_name", raw)
    if override == REJECT:
        return None
    if override:
        org = parse_org(override) or Org(None, override, None, None, None, None, 100.0)
        org = replace(org, score=100.0)
    written_d = org.district or next(iter(header.district_texts), None)
    written_p = org.province or next(iter(header.province_texts), None)
    for name, value in (("district", written_d), ("province", written_p)):
        ov = decider.overrides.get(name, value) if value else None
        if ov:
            if name == "district":
                written_d = None if ov == REJECT else ov
            else:
                written_p = None if ov == REJECT else ov
    done = complete_org(replace(org, district=written_d, province=written_p))
    if not override and org.score < 100:
        decider.decide("org_name", raw, done.org_name, org.score, problems, what="organisation")
    # places as written vs the registry spelling
    if written_p and done.province and squash(written_p) != squash(done.province):
        decider.decide("province", written_p, done.province, normalize_province(written_p)[1], problems)
    if written_d and done.district and squash(written_d) != squash(done.district):
        decider.decide("district", written_d, done.district, normalize_district(written_d, done.province)[1], problems)
    if done.district and done.province and not district_in_province(done.district, done.province):
        problems.append(Problem.of(WarningCode.PLACE_MISMATCH,
                                f"district '{done.district}' does not lie in province '{done.province}'",
                                field="district", raw=written_d, chosen=done.district))
    # a district the document does not state: only when the registries leave one choice
    if not written_d:
        district = done.district
        how = "the LAO registry (one organisation of this type and name)"
        if district is None and done.province:
            for sub in header.subdistrict_texts:
                cands = districts_with_subdistrict(sub, done.province)
                if len(cands) == 1:
                    district, how = cands[0], f"sub-district '{sub}' (in exactly one district of {done.province})"
                    break
        if district:
            value = decider.decide("district", done.org_name or raw, district, 100.0, problems,
                                   code=WarningCode.INFERRED_VALUE, what=f"district (from {how})")
            done = replace(done, district=value)
            if value and done.org_code is None:
                done = complete_org(done)
    if not written_p and done.province:
        value = decider.decide("province", done.org_name or raw, done.province, 100.0, problems,
                               code=WarningCode.INFERRED_VALUE, what="province (from the LAO registry)")
        done = replace(done, province=value)
    return done
