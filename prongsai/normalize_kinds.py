"""One text through the normaliser of its kind, exactly as the pipeline uses them
(``prongsai normalize KIND TEXT``)."""

from __future__ import annotations

from typing import Any

#: the kinds :func:`normalize_one` knows
KINDS = ("text", "digits", "money", "years", "org", "unit", "dimension", "mission")


def normalize_one(kind: str, value: str, framework: str | None = None) -> dict[str, Any]:
    """One JSON object for ``prongsai normalize``, using exactly the pipeline's functions.

    >>> normalize_one("money", "๘,๕๐๐.-")
    {'budget_thb': 8500.0, 'budget_status': 'amount'}
    >>> normalize_one("years", "ปีงบประมาณ พ.ศ. ๒๕๖๒ – ๒๕๖๔")
    {'fy_start': 2562, 'fy_end': 2564}
    """
    from prongsai.normalize import clean, labels, money, org, thai, units, years

    if kind == "text":
        return {"text": clean.clean_text(value)}
    if kind == "digits":
        return {"text": thai.thai_digits_to_arabic(value)}
    if kind == "money":
        amount, status = money.parse_money(value)
        return {"budget_thb": amount, "budget_status": status}
    if kind == "years":
        fy = years.parse_fiscal_years(value)
        return {"fy_start": fy[0] if fy else None, "fy_end": fy[1] if fy else None}
    if kind == "org":
        o = org.parse_org(value)
        if o is not None:
            o = org.complete_org(o)
        keys = ("org_type", "org_name", "org_short_name", "district", "province", "org_code", "score")
        return {k: getattr(o, k) if o else None for k in keys}
    if kind == "unit":
        name, score = units.canonical_unit(value)
        return {"responsible_unit": name, "score": score if name else None}
    if kind == "dimension":
        d = labels.match_dimension(value, framework)
        if d is None:
            return {"dimension": None, "dimension_label": None, "framework": framework, "score": None}
        fw = framework or d.framework
        label = labels.dimension_label(d.dimension, fw) if fw else None
        return {"dimension": d.dimension, "dimension_label": label, "framework": fw, "score": d.score}
    if kind == "mission":
        m = labels.match_mission(value, framework)
        if m is None:
            return {"mission_code": None, "mission_label": None, "dimension": None, "score": None}
        code, label, score = m
        return {"mission_code": code, "mission_label": label, "dimension": int(code.split(".")[0]), "score": score}
    raise ValueError(kind)
