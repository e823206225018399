"""Spaced-out letters of justified and distributed cells, joined with the dictionary.

A PDF cell set in "distributed" alignment spreads the letters of ``เทศบาลตำบลหางดง`` over its
width, and the text layer says ``เท ศ บา ล ตา บ ล หา ง ด ง``. A run of two or more such
fragments (one or two letters each, not counting marks) is read as groups of consecutive
fragments; a group is joined when its letters make a dictionary word, a word that lost its
SARA AM (``ตาบล``, restored later by :mod:`prongsai.normalize.sara_am`) or an organisation
name of the DLA registry (:mod:`prongsai.normalize.lexicon`). Only a run with a fragment
that is no word on its own (``ศ``, ``ล``) is spaced out at all: real separate words
(``ไป มา``, ``ที่ นี่``) are never joined. The grouping that leaves the fewest non-word fragments alone wins, then the one
with the fewest groups; neighbouring joined groups are written without a space (they were
one spaced-out stretch).

>>> join_spaced_letters("เท ศ บา ล ตา บ ล หา ง ด ง")
('เทศบาลตาบลหางดง', 2)
>>> join_spaced_letters("โครงการ ป ลู ก ป่า ชุมชน")
('โครงการ ปลูกป่า ชุมชน', 1)
>>> join_spaced_letters("สา นัก ป ลัด")
('สานักปลัด', 2)
>>> join_spaced_letters("ไป มา ที่ นี่ ปี 2564")
('ไป มา ที่ นี่ ปี 2564', 0)
"""

from __future__ import annotations

import re
from functools import lru_cache

from prongsai.normalize.lexicon import org_names, sara_am_forms, thai_words
from prongsai.normalize.thai import TEXT_CACHE_SIZE
from prongsai.normalize.thai_chars import MARKS, THAI_UP_TO_MARKS, WORD_LETTERS

MAX_GROUP = 12  # fragments one word may be spread over
_MARKS = re.compile(f"[{MARKS}]")
#: a fragment: Thai letters only (no digits, ๆ, ฯ or punctuation)
_THAI_ONLY = re.compile(f"[{WORD_LETTERS}]+")
_WORD = re.compile(r"\S+")
#: two fragments in a row somewhere in the text (a quick test before the real work)
_SPACED = re.compile(f"(?:^|(?<=\\s))[{THAI_UP_TO_MARKS}]{{1,4}}[^\\S\\n]+[{THAI_UP_TO_MARKS}]{{1,4}}(?=\\s|$)", re.M)


def is_fragment(token: str) -> bool:
    """A token that may be a piece of a spaced-out word: one or two Thai letters (plus marks).

    >>> [is_fragment(t) for t in ("ศ", "บา", "ที่", "เนิ", "การ", "1", "อ.")]
    [True, True, True, True, False, False, False]
    """
    return bool(_THAI_ONLY.fullmatch(token)) and len(_MARKS.sub("", token)) <= 2


def _joinable(text: str) -> bool:
    return text in thai_words() or text in sara_am_forms() or text in org_names()


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def join_fragments(frags: tuple[str, ...]) -> tuple[list[str], int]:
    """The pieces a run of fragments is written as, and how many of them are joined groups.

    >>> join_fragments(("เท", "ศ", "บา", "ล"))
    (['เทศบาล'], 1)
    >>> join_fragments(("ทา", "นา"))
    (['ทา', 'นา'], 0)
    """
    words = thai_words()
    n = len(frags)
    if all(f in words for f in frags):
        return list(frags), 0  # real words with real spaces
    # best[j]: (non-word fragments left alone, pieces) for frags[:j], with the back pointer
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    back = [0] * (n + 1)
    best[0] = (0, 0)
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        cands = [(i + 1, (cur[0] + (frags[i] not in words), cur[1] + 1))]
        for j in range(i + 2, min(n, i + MAX_GROUP) + 1):
            if _joinable("".join(frags[i:j])):
                cands.append((j, (cur[0], cur[1] + 1)))
        for j, cost in cands:
            old = best[j]
            if old is None or cost < old:
                best[j], back[j] = cost, i
    spans: list[tuple[int, int]] = []
    j = n
    while j > 0:
        spans.append((back[j], j))
        j = back[j]
    spans.reverse()
    pieces: list[str] = []
    joined = 0
    prev_group = False
    for a, b in spans:
        text = "".join(frags[a:b])
        group = b - a > 1
        if group and prev_group:
            pieces[-1] += text  # one spaced-out stretch: no space between its words
        else:
            pieces.append(text)
        joined += group
        prev_group = group
    return pieces, joined


def join_spaced_letters(text: str) -> tuple[str, int]:
    """``text`` with its runs of spaced-out letters joined, and how many words were joined.

    Spaces elsewhere are kept as they are; a line break always ends a run.

    >>> join_spaced_letters("กอง คลัง\\nตา ม แผน")
    ('กอง คลัง\\nตาม แผน', 1)
    >>> join_spaced_letters("")
    ('', 0)
    """
    if not _SPACED.search(text):
        return text, 0
    total = 0
    out: list[str] = []
    for line in text.split("\n"):
        tokens = list(_WORD.finditer(line))
        edits: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and is_fragment(tokens[j].group()):
                j += 1
            if j - i >= 2:
                pieces, n = join_fragments(tuple(t.group() for t in tokens[i:j]))
                if n:
                    edits.append((tokens[i].start(), tokens[j - 1].end(), " ".join(pieces)))
                    total += n
            i = max(j, i + 1)
        for start, end, new in reversed(edits):
            line = line[:start] + new + line[end:]
        out.append(line)
    return "\n".join(out), total
