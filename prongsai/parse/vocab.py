"""Plan-structure vocabulary (``data/plan_vocab.yaml``) and fuzzy label matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from prongsai.normalize.clean import squash
from prongsai.normalize.registry import data_yaml

# Strip list / section numbering at the start of a line: "1.", "(2)", "๓)", "1.2.3", "-", "•"
NUMBER_PREFIX = re.compile(r"^\s*(?:[-•●▪*]\s*)?\(?\s*((?:\d{1,3}\s*\.\s*)*\d{1,3})(?!\d)\s*[.)]?\s*")


def vocab() -> dict[str, Any]:
    """The plan vocabulary (``plan_vocab.yaml``): a mapping of vocabulary name to its words."""
    table: dict[str, Any] = data_yaml("plan_vocab.yaml")
    return table


@dataclass(frozen=True)
class LabelMatch:
    key: str  # which label (e.g. "title", "budget")
    variant: str  # the vocabulary variant that matched
    score: float  # 0-100
    end: int  # characters of the squashed text consumed by the label


def match_prefix(text: str, table: dict[str, list[str]], min_score: float = 85.0) -> LabelMatch | None:
    """Match the START of ``text`` (whitespace ignored) against a vocabulary table.

    Longer variants are preferred; misspellings are matched fuzzily.

    >>> match_prefix("ตังชี้วัด/ผลลัพธ์", {"ind": ["ตัวชี้วัด/ผลลัพธ์"]}).key
    'ind'
    >>> match_prefix("เพื่อให้ผู้บริหาร", {"ind": ["ตัวชี้วัด/ผลลัพธ์"]}) is None
    True
    """
    s = squash(text)
    best: LabelMatch | None = None
    for key, variants in table.items():
        for v in variants:
            vs = squash(v)
            if not vs:
                continue
            head = s[: len(vs)]
            if head == vs:
                score = 100.0
            elif len(vs) < 5:
                continue  # short words must match exactly
            else:
                score = fuzz.ratio(head, vs)
            if score >= min_score and (
                best is None or (score, len(vs)) > (best.score, len(squash(best.variant)))
            ):
                best = LabelMatch(key, v, score, len(vs))
    return best


def strip_numbering(text: str) -> tuple[str | None, str]:
    """Split a leading list number from text.

    >>> strip_numbering("(1) โครงการ ก")
    ('1', 'โครงการ ก')
    >>> strip_numbering("2.2.1 สร้างความโปร่งใส")
    ('2.2.1', 'สร้างความโปร่งใส')
    >>> strip_numbering("โครงการ ข")
    (None, 'โครงการ ข')
    """
    m = NUMBER_PREFIX.match(text)
    if not m or not m.group(1):
        return None, text.strip()
    num = re.sub(r"\s+", "", m.group(1))
    return num, text[m.end():].strip()
