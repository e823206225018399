"""The responsible unit (ผู้รับผิดชอบ / หน่วยงานรับผิดชอบ) of a project, canonical.

Names and their variants are in ``data/units.csv``. A value is reduced to unit names:
notes in parentheses and the organisation's own name are dropped (``สำนักปลัด
อบต.สันกลาง`` → ``สำนักปลัด``); several units separated by ``/``, ``,``, ``และ``, spaces
or line breaks are each made canonical and joined with ", " in the order written;
collective phrases (``ทุกสำนัก/กอง``, ``ทุกส่วนราชการ``) stay one value. Anything not
recognised gives (None, 0.0) rather than a guess (a bare ``สำนักงาน`` is not guessed to be
สำนักงานปลัด).

>>> canonical_unit("สำนักงานปลัด องค์การบริหารส่วนตำบลจอมประทัด")
('สำนักปลัด', 100.0)
>>> canonical_unit("ทุกกอง/สำนัก ในองค์การบริหารส่วนตำบลจอมประทัด")
('ทุกกอง/สำนัก', 100.0)
>>> canonical_unit("สำนักงาน องค์การบริหารส่วนตำบลจอมประทัด")
(None, 0.0)
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz, process

from prongsai.normalize.org import remove_org_mentions
from prongsai.normalize.registry import clean, squash, units

UNIT_MIN = 85.0  # fuzzy match of one unit name
MAX_ATOMS = 24  # longer values are matched as a whole only
MAX_GROUP = 8  # atoms one unit name may span (a name wrapped over several lines)

# Syntax of a unit cell: a note in parentheses, separators between units, connectors
# left over when an organisation name is dropped, list markers.
_NOTE = re.compile(r"\([^)]*\)?|（[^）]*）?")
_SEPARATOR = re.compile(r"\s*(?:[/,;、\n]|และ)\s*|\s+")
_CONNECTORS = ("ใน", "ของ")
_LIST_MARK = re.compile(r"(?:^|(?<=\s))(?:\d+[.)]|[-•*])\s*")


@cache
def _exact() -> dict[str, str]:
    """Whitespace-free variant → canonical name."""
    return {squash(u.variant): u.canonical for u in units()}


@cache
def _variant_keys() -> tuple[str, ...]:
    return tuple(_exact())


def canonical_names() -> frozenset[str]:
    """Every canonical unit name of ``units.csv``.

    >>> "กองคลัง" in canonical_names()
    True
    """
    return frozenset(u.canonical for u in units())


def _match_one(text: str) -> tuple[str, float] | None:
    """One unit name: an exact variant (score 100), else a fuzzy one (score ≥ UNIT_MIN)."""
    raw = "".join(text.split())
    key = raw.strip(".:-")
    if not key:
        return None
    for k in (raw, key):
        if k in _exact():
            return _exact()[k], 100.0
    best = process.extractOne(key, _variant_keys(), scorer=fuzz.ratio, score_cutoff=UNIT_MIN)
    if best is None:
        return None
    return _exact()[best[0]], float(best[1])


def _segment(text: str) -> list[tuple[str, float]] | None:
    """Split ``text`` into consecutive unit names, every piece recognised.

    The text is cut at every separator into atoms; a unit name may span several atoms
    (``กองการศึกษา ศาสนาและวัฒนธรรม`` holds a space and a และ). Among the splits where
    every piece is a unit, the one with the best worst score wins, then the one with the
    fewest pieces.
    """
    seps = list(_SEPARATOR.finditer(text))
    bounds = [0] + [p for m in seps for p in (m.start(), m.end())] + [len(text)]
    atoms = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2) if bounds[i + 1] > bounds[i]]
    if not atoms:
        return None
    if len(atoms) > MAX_ATOMS:
        one = _match_one(text)
        return [one] if one else None
    # best[j]: (worst score, -pieces, pieces) for atoms[:j]
    best: list[tuple[float, int, list[tuple[str, float]]] | None] = [None] * (len(atoms) + 1)
    best[0] = (100.0, 0, [])
    for j in range(1, len(atoms) + 1):
        for i in range(max(0, j - MAX_GROUP), j):
            prev = best[i]
            if prev is None:
                continue
            one = _match_one(text[atoms[i][0] : atoms[j - 1][1]])
            if one is None:
                continue
            cand = (min(prev[0], one[1]), prev[1] - 1, prev[2] + [one])
            cur = best[j]
            if cur is None or cand[:2] > cur[:2]:
                best[j] = cand
    last = best[len(atoms)]
    if last is None and len(atoms) > MAX_GROUP:  # one long name wrapped into many pieces
        one = _match_one(text)
        return [one] if one else None
    return last[2] if last else None


def _drop_notes(text: str) -> str:
    """Drop notes in parentheses and list markers."""
    return _LIST_MARK.sub("", _NOTE.sub(" ", text)).strip(" \t/,;:-")


def _drop_orgs(text: str) -> str:
    """Drop the organisation's name and the connector before it (ใน, ของ)."""
    return remove_org_mentions(text, drop_before=_CONNECTORS).strip(" \t/,;:-")


def canonical_unit(text: str | None) -> tuple[str | None, float]:
    """Canonical responsible unit(s) of a cell and the worst match score (0-100).

    >>> canonical_unit("สำนักปลัด (หมายเหตุ: เชื่อมโยงกับ มิติที่ 4)")
    ('สำนักปลัด', 100.0)
    >>> canonical_unit("กองคลัง อบต.สันกลาง/กองการศึกษาฯ และงานบุคคล")
    ('กองคลัง, กองการศึกษา ศาสนาและวัฒนธรรม, งานบุคคล', 100.0)
    >>> canonical_unit("กองการ ศึกษา ศาสนา และ วัฒนธรร ม")
    ('กองการศึกษา ศาสนาและวัฒนธรรม', 100.0)
    >>> canonical_unit("สำนักปลัค")[0]
    'สำนักปลัด'
    >>> canonical_unit("คณะกรรมการหมู่บ้าน")
    (None, 0.0)
    """
    if not text or not text.strip():
        return None, 0.0
    t = _drop_notes(clean(text))
    best: tuple[str, float] | None = None
    for cand in (t, _drop_orgs(t)):
        pieces = _segment(cand) if cand else None
        if pieces:
            names: list[str] = []
            for name, _ in pieces:
                if name not in names:
                    names.append(name)
            score = min(s for _, s in pieces)
            if best is None or score > best[1]:
                best = (", ".join(names), score)
    return best if best else (None, 0.0)
