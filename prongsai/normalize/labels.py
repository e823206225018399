"""NACC framework labels: มิติ (dimension) and ภารกิจตามมิติ (mission) headings, the
2561 → 2566 crosswalk, and the kind of a project from its title.

The canonical labels are in ``data/taxonomy-2561.yaml`` / ``taxonomy-2566.yaml``, the
crosswalk in ``data/crosswalk.yaml``, the kind words in ``data/kinds.csv``. Headings are
matched after Thai repair, digit folding and whitespace removal; the heading word itself
may be misspelt (มติ, มิต, การกิจ). Every match carries a score (0-100); below 100 the
caller logs FUZZY_LABEL.

>>> m = match_dimension("มติ๒การบริหารราชการด้วยความโปร่งใส")
>>> (m.dimension, m.framework, m.label, m.score < 100)
(2, '2566', 'การบริหารราชการด้วยความโปร่งใส', True)
>>> match_mission("ภารกิจตามมิติ ๒.๑ การเปิดเผยข้อมูลสาธารณะขององค์กรปกครองส่วนท้องถิ่น")
('2.1', 'การเปิดเผยข้อมูลสาธารณะขององค์กรปกครองส่วนท้องถิ่น', 100.0)
>>> to_2566("2561", 2, "2.5.3")
(4, '4.2')
>>> kind_of("กิจรรมการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง")
'activity'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from prongsai.normalize.heading_grammar import (
    ORDINAL_WORD,
    dimension_text,
    heading_words,
    is_mission_word,
    split_heading,
    to_arabic,
)
from prongsai.normalize.registry import FRAMEWORKS, clean, crosswalk, kinds, squash, taxonomy

LABEL_MIN = 80.0  # a dimension label must match its canonical label this well to count
# Mission labels are long and the documents reword them heavily (real headings score
# 65-79 in the seeds, numbered items inside a project 25-60), so they count from here.
MISSION_LABEL_MIN = 65.0
TRUNCATED_MIN = 20  # shortest start of a label (characters) accepted as a cut-short label
KIND_MIN = 85.0  # a title's first word must match a kind word this well


# Heading grammar (syntax, matched on cleaned text): normalize/heading_grammar.py. Here the
# written word (with its ordinal) is scored against the canonical spelling.
_DIM_WORDS = (heading_words("dimension")[0], heading_words("dimension")[0] + ORDINAL_WORD)  # canonical spellings, score 100
_MISSION_WORD = heading_words("mission")[0]
_TITLE_LEAD = re.compile(r"^[\s\"'“”‘’\-–•*]*(?:\(?\d+[.)]\s*)?[\s\"'“”‘’]*")


@dataclass(frozen=True)
class DimensionMatch:
    """A มิติ heading: its number, the canonical label (the text as written when no
    framework could be told), the framework the label belongs to, and the score."""

    dimension: int
    label: str
    framework: str | None
    score: float


# --------------------------------------------------------------------------- lookups


def _entry_label(code: str, framework: str | None, levels: tuple[str, ...]) -> str | None:
    if framework is None or framework not in FRAMEWORKS:
        return None
    entry = taxonomy(framework).get(code)
    return entry.label if entry is not None and entry.level in levels else None


def dimension_label(dimension: int, framework: str) -> str | None:
    """The canonical label of a dimension in a framework (``2561`` or ``2566``).

    >>> dimension_label(1, "2561")
    'การสร้างสังคมที่ไม่ทนต่อการทุจริต'
    >>> dimension_label(1, "2566")
    'การสร้างวัฒนธรรมสุจริต'
    >>> dimension_label(5, "2566") is None
    True
    """
    return _entry_label(str(dimension), framework, ("dimension",))


def mission_label(code: str, framework: str) -> str | None:
    """The canonical label of a mission or sub-mission code (Arabic digits).

    >>> mission_label("4.2", "2566")
    'มาตรการจัดการเรื่องร้องเรียนการทุจริต'
    >>> mission_label("2.2.1", "2561")[:30]
    'สร้างความโปร่งใสในการบริหารงาน'
    >>> mission_label("9.9", "2561") is None
    True
    """
    return _entry_label(code, framework, ("mission", "sub-mission"))


# --------------------------------------------------------------------------- matching


def label_score(written: str, canonical: str) -> float:
    """Similarity (0-100) of a label as written to a canonical label, whitespace-free.

    Trailing words after a complete label (``… ประกอบด้วย``) do not lower the score, nor
    does a label cut short by a line break: at least 60 % of it, or a start of at least
    TRUNCATED_MIN characters that matches the canonical start nearly exactly (≥ 90).

    >>> label_score("การสร้างสังคมที่ไม่ทนต่อการทุจริต ประกอบด้วย", "การสร้างสังคมที่ไม่ทนต่อการทุจริต")
    100.0
    >>> label_score("การบริหาร", "การบริหารราชการด้วยความโปร่งใส") < 80
    True
    """
    w, c = squash(written), squash(canonical)
    if not w or not c:
        return 0.0
    score = fuzz.ratio(w, c)
    if len(w) > len(c):
        score = max(score, fuzz.ratio(w[: len(c)], c))
    elif len(w) >= 0.6 * len(c):
        score = max(score, fuzz.ratio(w, c[: len(w)]))
    elif len(w) >= TRUNCATED_MIN and (start := fuzz.ratio(w, c[: len(w)])) >= 90:
        score = max(score, start)
    return float(score)


def _word_score(word: str, canonical: tuple[str, ...]) -> float:
    w = squash(word)
    return float(max(fuzz.ratio(w, c) for c in canonical))


def match_dimension(text: str, framework: str | None = None) -> DimensionMatch | None:
    """Read a มิติ heading: number, framework of its label, canonical label, score.

    >>> match_dimension("มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต")
    DimensionMatch(dimension=1, label='การสร้างสังคมที่ไม่ทนต่อการทุจริต', framework='2561', score=100.0)
    >>> match_dimension("มิติ ๑ การสร้างวัฒนธรรมสุจริต").framework
    '2566'
    >>> match_dimension("มิติที่ 3 การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน").framework is None  # same label in both
    True
    >>> match_dimension("มิติที่ 2", framework="2566").label
    'การบริหารราชการด้วยความโปร่งใส'
    >>> match_dimension("ภารกิจตามมิติ 2.1 การเปิดเผยข้อมูล") is None
    True
    """
    h = dimension_text(clean(text or ""))
    if h is None:
        return None
    num = int(to_arabic(h.number))
    if not any(dimension_label(num, fw) for fw in FRAMEWORKS):
        return None
    word = _word_score(h.head, _DIM_WORDS)
    written = h.label.strip(" \t\n.:-–")
    if framework is not None:
        canonical = dimension_label(num, framework)
        if canonical is None:
            return None
        score = min(word, label_score(written, canonical)) if written else word
        return DimensionMatch(num, canonical, framework, score)
    if not written:
        return DimensionMatch(num, "", None, word)
    scores = {fw: label_score(written, dimension_label(num, fw) or "") for fw in FRAMEWORKS}
    best = max(scores.values())
    top = [fw for fw, s in scores.items() if s == best]
    labels = {dimension_label(num, fw) for fw in top}
    if best < LABEL_MIN:
        return DimensionMatch(num, written, None, min(word, best))
    label = labels.pop() if len(labels) == 1 else written
    return DimensionMatch(num, label or written, top[0] if len(top) == 1 else None, min(word, best))


def match_mission(text: str, framework: str | None = None) -> tuple[str, str | None, float] | None:
    """Read a ภารกิจตามมิติ heading (or a bare ``2.2.1 label`` heading): the code in Arabic
    digits, its canonical label (None when the label cannot be told) and the score.

    A bare code counts only when the label after it matches the taxonomy (score ≥
    MISSION_LABEL_MIN), since numbered items inside a project (``4.1 …`` under เป้าหมาย)
    look the same; callers should still not look for bare codes inside a project record.

    >>> match_mission("การกิจตามมติ ๔.๒ มาตรการจัดการเรื่องร้องเรียนการทุจริต")[:2]
    ('4.2', 'มาตรการจัดการเรื่องร้องเรียนการทุจริต')
    >>> match_mission("2.2.1 สร้างความโปร่งใสในการบริหารงานบุคคลให้เป็นไปตามหลักคุณธรรม ทั้งในเรื่องการบรรจุแต่งตั้ง")[0]
    '2.2.1'
    >>> match_mission("4.1 ประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหาร อย่างน้อย 1 ฉบับ") is None
    True
    """
    h = split_heading(clean(text or ""))
    if h is None or h.parts < 2 or h.number[0] in "0๐" or (h.head and not is_mission_word(h.head)):
        return None
    code = to_arabic(h.number)
    written = h.label.strip(" \t\n.:-–")
    word = _word_score(h.head, (_MISSION_WORD,)) if h.head else 100.0
    fws = [framework] if framework is not None else list(FRAMEWORKS)
    labels = {fw: lab for fw in fws if fw in FRAMEWORKS and (lab := mission_label(code, fw))}
    scores = {fw: label_score(written, lab) for fw, lab in labels.items()} if written else {}
    best = max(scores.values(), default=0.0)
    if not h.head and best < MISSION_LABEL_MIN:
        return None
    if not written:
        distinct = set(labels.values())
        return code, (distinct.pop() if len(distinct) == 1 else None), word
    if best >= MISSION_LABEL_MIN:
        top = {labels[fw] for fw, s in scores.items() if s == best}
        return code, (top.pop() if len(top) == 1 else None), min(word, best)
    if framework is not None and labels:  # a garbled label under a known framework: by code
        return code, labels[framework], min(word, best)
    return code, None, word


def to_2566(framework: str | None, dimension: int | None, mission_code: str | None) -> tuple[int | None, str | None]:
    """Dimension and mission harmonised to the 2566 framework through the crosswalk.

    Identity for 2566; for 2561 the mission map decides (old 2.5 → new 4.2, so the
    dimension follows the mission), a mission the map lacks keeps only the mapped
    dimension; an unknown framework gives (None, None).

    >>> to_2566("2566", 2, "2.3")
    (2, '2.3')
    >>> to_2566("2561", 3, "3.1.2")
    (2, '2.1')
    >>> to_2566("2561", 2, "2.4")  # mapped to a dimension only
    (1, None)
    >>> to_2566("2561", 2, "2.9")
    (2, None)
    >>> to_2566(None, 1, "1.1")
    (None, None)
    """
    if framework == "2566":
        return dimension, mission_code
    if framework != "2561":
        return None, None
    dims, missions = crosswalk()
    if dimension is None and mission_code:
        dimension = int(mission_code.split(".")[0]) if mission_code.split(".")[0].isdigit() else None
    new_dim = dims.get(str(dimension)) if dimension is not None else None
    target = missions.get(mission_code) if mission_code else None
    if target is None:
        return (int(new_dim) if new_dim else None), None
    head, _, rest = target.partition(".")
    return int(head), (target if rest else None)


# --------------------------------------------------------------------------- kind


@cache
def _kind_words() -> tuple[tuple[str, str], ...]:
    return tuple((squash(w), k) for w, k in kinds().items())


def match_kind(title: str) -> tuple[str, float] | None:
    """The kind of a project from the first word of its title, with the score.

    >>> match_kind("โครงการฝึกอบรมคุณธรรมจริยธรรม")
    ('project', 100.0)
    >>> match_kind("กิจรรมการเผยแพร่ข้อมูลข่าวสาร")[0]
    'activity'
    >>> match_kind("มาตรฐานการยกระดับการปฏิบัติหน้าที่") is None
    True
    """
    t = squash(_TITLE_LEAD.sub("", clean(title or "")))
    best: tuple[str, float] | None = None
    for word, kind in _kind_words():
        score = max(fuzz.ratio(t[:n], word) for n in range(max(1, len(word) - 1), len(word) + 2))
        if score >= KIND_MIN and (best is None or score > best[1]):
            best = (kind, float(score))
    return best


def kind_of(title: str) -> str | None:
    """``project`` / ``activity`` / ``measure`` from the title's first word, or None.

    >>> kind_of("มาตรการ “ส่งเสริมความโปร่งใส”")
    'measure'
    >>> kind_of("การจัดตั้งศูนย์ข้อมูลข่าวสาร") is None
    True
    """
    found = match_kind(title)
    return found[0] if found else None
