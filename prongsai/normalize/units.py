"""The responsible unit (ผู้รับผิดชอบ / หน่วยงานรับผิดชอบ) of a project, canonical.

Names, their variants and abbreviations (``สป.``, ``กอง.สธ.``) are in ``data/units.csv``;
the words around a unit that are not the unit are in ``data/unit_phrases.csv``. A value is
reduced to unit names: notes in parentheses, the organisation's own name and its place
(``กองคลัง เทศบาลตำบลX อำเภอY จังหวัดZ`` → ``กองคลัง``), the head's title
(``หัวหน้าสำนักปลัด`` → ``สำนักปลัด``) and the partners after ``ร่วมกับ`` are dropped; a
section written with its division is the division (``งานพัสดุและทรัพย์สิน กองคลัง`` →
``กองคลัง``); several units separated by ``/``, ``,``, ``และ``, spaces or line breaks are
each made canonical and joined with ", " in the order written; collective phrases
(``ทุกสำนัก/กอง``, ``ส่วนราชการทุกส่วน``) stay one value, as written.
:func:`canonical_unit` gives (None, 0.0) for anything not recognised rather than a guess
(a bare ``สำนักงาน`` is not guessed to be สำนักงานปลัด); :func:`read_unit` keeps it as
written and says it is unknown.

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

from prongsai.normalize.geo import DISTRICT_MARKERS, PROVINCE_MARKERS
from prongsai.normalize.org import remove_org_mentions
from prongsai.normalize.registry import clean, squash, unit_phrases, units, words_pattern

UNIT_MIN = 85.0  # fuzzy match of one unit name
MAX_ATOMS = 24  # longer values are matched as a whole only
MAX_GROUP = 8  # atoms one unit name may span (a name wrapped over several lines)

# Syntax of a unit cell: a note in parentheses, separators between units, connectors
# left over when an organisation name is dropped, list markers.
_NOTE = re.compile(r"\([^)]*\)?|（[^）]*）?")
_AND = words_pattern(unit_phrases()["and"])  # และ (data/unit_phrases.csv)
_SEPARATOR = re.compile(rf"\s*(?:[/,;、\n]|{_AND})\s*|\s+")
_CONNECTORS = unit_phrases()["connector"]
_LIST_MARK = re.compile(r"(?:^|(?<=\s))(?:\d+[.)]|[-•*])\s*")


@cache
def _exact() -> dict[str, str]:
    """Whitespace-free variant → canonical name."""
    return {squash(u.variant): u.canonical for u in units()}


@cache
def _variant_keys() -> tuple[str, ...]:
    return tuple(_exact())


@cache
def _kinds() -> dict[str, str]:
    """Canonical name → kind (unit, section, collective)."""
    return {u.canonical: u.kind for u in units()}


def _phrase_regex(role: str, body: str) -> re.Pattern[str]:
    words = sorted(unit_phrases().get(role, ()), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(body.replace("WORDS", alt))


@cache
def _partners() -> re.Pattern[str]:
    """A partner phrase and everything after it (``ร่วมกับโรงเรียน…``)."""
    return _phrase_regex("partner", r"\s*(?:WORDS).*$")


@cache
def _heads() -> re.Pattern[str]:
    """A head's title in front of a unit name (``หัวหน้า``, ``ผู้อำนวยการ``)."""
    return _phrase_regex("head", r"(?:^|(?<=[\s/,;]))(?:WORDS)\s*(?=[ก-๙])")


@cache
def _places() -> re.Pattern[str]:
    """A place written after the unit (``อำเภอY``, ``จ.Z``), with its name (the district and
    province markers of ``data/places.yaml``)."""
    return re.compile(rf"(?:^|(?<=\s))(?:{DISTRICT_MARKERS}|{PROVINCE_MARKERS})\s*[ก-๙]+")


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


def _segment_spans(text: str) -> list[tuple[str, float, int, int]] | None:
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
        return [(*one, 0, len(text))] if one else None
    # best[j]: (worst score, -pieces, pieces) for atoms[:j]; a piece is (name, score, start, end)
    best: list[tuple[float, int, list[tuple[str, float, int, int]]] | None] = [None] * (len(atoms) + 1)
    best[0] = (100.0, 0, [])
    for j in range(1, len(atoms) + 1):
        for i in range(max(0, j - MAX_GROUP), j):
            prev = best[i]
            if prev is None:
                continue
            one = _match_one(text[atoms[i][0] : atoms[j - 1][1]])
            if one is None:
                continue
            cand = (min(prev[0], one[1]), prev[1] - 1, prev[2] + [(*one, atoms[i][0], atoms[j - 1][1])])
            cur = best[j]
            if cur is None or cand[:2] > cur[:2]:
                best[j] = cand
    last = best[len(atoms)]
    if last is None and len(atoms) > MAX_GROUP:  # one long name wrapped into many pieces
        one = _match_one(text)
        return [(*one, 0, len(text))] if one else None
    return last[2] if last else None


def _units_of(text: str, spans: list[tuple[str, float, int, int]]) -> list[tuple[str, float]]:
    """The unit names of a segmented text: a section written right before its division
    (only spaces between them, on one line) is part of the division; the same unit once."""
    out: list[tuple[str, float]] = []
    for k, (name, score, _, end) in enumerate(spans):
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if (_kinds().get(name) == "section" and nxt is not None and _kinds().get(nxt[0]) == "unit"
                and re.fullmatch(r"[^\S\n]+", text[end : nxt[2]])):
            continue
        if name not in [n for n, _ in out]:
            out.append((name, score))
    return out


def _drop_notes(text: str) -> str:
    """Drop notes in parentheses, list markers, partners (``ร่วมกับ…``), heads' titles and places.

    >>> _drop_notes("หัวหน้าสำนักปลัด ร่วมกับโรงเรียนในเขตเทศบาล")
    'สำนักปลัด'
    >>> _drop_notes("กองคลัง เทศบาลตำบลหางดง อำเภอหางดง จังหวัดเชียงใหม่")
    'กองคลัง เทศบาลตำบลหางดง'
    """
    t = _LIST_MARK.sub("", _NOTE.sub(" ", text))
    t = _partners().sub("", t)
    t = _places().sub(" ", _heads().sub("", t))
    return t.strip(" \t\n/,;:-")


def _drop_orgs(text: str) -> str:
    """Drop the organisation's name and the connector before it (ใน, ของ), line by line."""
    lines = (remove_org_mentions(ln, drop_before=_CONNECTORS).strip(" \t/,;:-") for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


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
        spans = _segment_spans(cand) if cand else None
        if spans:
            pieces = _units_of(cand, spans)
            score = min(s for _, s in pieces)
            if best is None or score > best[1]:
                best = (", ".join(n for n, _ in pieces), score)
    return best if best else (None, 0.0)


#: strong separators between units, for reading a cell whose units are not all known
_STRONG_SEP = re.compile(rf"\s*(?:[/,;、\n]|\s+(?:{_AND}))\s*")
#: cells that name no unit at all: a header, a dash
_NOT_A_UNIT = unit_phrases()["not_a_unit"]


def read_unit(text: str | None) -> tuple[str | None, float]:
    """The responsible unit(s) of a cell as :func:`canonical_unit` reads them; a unit it
    does not know is kept as written (without the organisation's name, its place, the
    head's title or the partners) with score 0.0, which the caller reports as
    ``UNKNOWN_UNIT``.

    >>> read_unit("สธ./สค.")
    ('กองสาธารณสุขและสิ่งแวดล้อม, กองสวัสดิการสังคม', 100.0)
    >>> read_unit("คณะกรรมการหมู่บ้าน อบต.สันกลาง")
    ('คณะกรรมการหมู่บ้าน', 0.0)
    >>> read_unit("กองช่าง / ศูนย์ อปพร.")
    ('กองช่าง, ศูนย์ อปพร.', 0.0)
    >>> read_unit("หน่วยงาน รับผิดชอบ"), read_unit("-")
    ((None, 0.0), (None, 0.0))
    """
    name, score = canonical_unit(text)
    if name is not None or not text:
        return name, score
    t = _drop_orgs(_drop_notes(clean(text)))
    if not re.search("[ก-๙]", t) or squash(t) in _NOT_A_UNIT:
        return None, 0.0
    parts: list[str] = []
    for part in _STRONG_SEP.split(t):
        part = " ".join(part.split()).strip(" -")
        if not part:
            continue
        known, _ = canonical_unit(part)
        for one in (known.split(", ") if known else [part]):
            if one not in parts:
                parts.append(one)
    return (", ".join(parts), 0.0) if parts else (None, 0.0)
