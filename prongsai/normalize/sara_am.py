"""SARA AM lost without a trace: ``ตาบล`` for ``ตำบล``, restored with the dictionary.

Some fonts map the glyph of SARA AM (``ำ``) to SARA AA (``า``) and drop the NIKHAHIT, so
the text layer says ``ดาเนินการ`` with nothing for the dictionary-free repair
(:mod:`prongsai.normalize.thai`) to see. Only a dictionary can tell ``ตาบล`` (no word)
from ``ตาม`` (a word), so the repair reads each run of Thai letters as a sequence of
dictionary words (:mod:`prongsai.normalize.lexicon`), where a word may also be matched by
the form it takes without SARA AM. The reading with the fewest letters outside words wins,
then the one with the fewest words (``จำนวน`` rather than ``จาน|วน``), then the most likely one (the sum of the words' :func:`~prongsai.normalize.lexicon.word_cost`,
a unigram model of the Thai National Corpus), then the one with the fewest repairs; its
repaired words are written with ``ำ``. So ``ทาให้การ`` is ``ทำให้|การ`` (not ``ทา|ให้การ``)
and ``ของชาติ`` stays ``ของ|ชาติ`` (not ``ของชำ|ติ``).

A form is a repair candidate only when it is not a word itself: ``ทา``/``ทำ``,
``นา``/``นำ``, ``ตา``/``ตำ``, ``น้า``/``น้ำ`` are never changed. Whether a document lost
SARA AM at all is decided from the evidence of the whole document
(:func:`lost_sara_am`), not here.

>>> restore_sara_am("ตาบล จานวน สาคัญ อาเภอ ประจาปี ดาเนินการ กาหนด")
('ตำบล จำนวน สำคัญ อำเภอ ประจำปี ดำเนินการ กำหนด', 7)
>>> restore_sara_am("ทา นา ตา น้า ตามที่กาหนด")
('ทา นา ตา น้า ตามที่กำหนด', 1)
"""

from __future__ import annotations

import re
from functools import lru_cache

from prongsai.normalize.lexicon import AA, AM, is_prefix, sara_am_forms, thai_words, word_cost
from prongsai.normalize.thai import TEXT_CACHE_SIZE
from prongsai.normalize.thai_chars import RUN_LETTERS

MIN_REPAIRS = 3  # a document needs at least this many repairable words ...
MIN_SHARE = 0.5  # ... and at least this share of its SARA AM words written without ``ำ``

#: a run of Thai letters and marks (with ฯ and ๆ; digits end a run)
_THAI_RUN = re.compile(f"[{RUN_LETTERS}]+")
MAX_RUN = 400  # longer runs (no spaces at all) are read in slices of this length


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def restore_run(run: str) -> tuple[str, int]:
    """One run of Thai letters with its SARA AM words restored, and how many were.

    >>> restore_run("การดาเนินการตามแผนงานประจาปี")
    ('การดำเนินการตามแผนงานประจำปี', 2)
    >>> restore_run("ชาวนาไทย")
    ('ชาวนาไทย', 0)
    >>> restore_run("ทาให้การบริการ"), restore_run("ความมั่นคงของชาติ")
    (('ทำให้การบริการ', 1), ('ความมั่นคงของชาติ', 0))
    """
    if AA not in run:
        return run, 0
    words, forms = thai_words(), sara_am_forms()
    n = len(run)
    # best[i]: (letters outside words, words, cost of the words, repairs) of run[:i], and the back pointer
    best: list[tuple[int, int, float, int] | None] = [None] * (n + 1)
    back: list[tuple[int, str, bool]] = [(0, "", False)] * (n + 1)
    best[0] = (0, 0, 0.0, 0)
    unknown = word_cost("")  # a letter outside words also costs what an unseen word does

    def relax(j: int, cost: tuple[int, int, float, int], start: int, text: str, repaired: bool) -> None:
        cur = best[j]
        if cur is None or cost < cur:
            best[j] = cost
            back[j] = (start, text, repaired)

    for i in range(n):
        cost = best[i]
        if cost is None:
            continue
        unk, nw, lm, rep = cost
        relax(i + 1, (unk + 1, nw + 1, lm + unknown, rep), i, run[i], False)
        for j in range(i + 1, n + 1):
            piece = run[i:j]
            if not is_prefix(piece):
                break
            if piece in words:
                relax(j, (unk, nw + 1, lm + word_cost(piece), rep), i, piece, False)
            elif piece in forms:
                relax(j, (unk, nw + 1, lm + word_cost(forms[piece]), rep + 1), i, forms[piece], True)
    out: list[str] = []
    repairs = 0
    j = n
    while j > 0:
        start, text, repaired = back[j]
        out.append(text)
        repairs += repaired
        j = start
    return "".join(reversed(out)), repairs


def restore_sara_am(text: str) -> tuple[str, int]:
    """``text`` with the words that lost their SARA AM restored, and how many were.

    Only runs without any ``ำ`` are read: a run that has one was written by a font that
    keeps SARA AM.

    >>> restore_sara_am("ดำเนินการ ดาเนินการ")
    ('ดำเนินการ ดำเนินการ', 1)
    >>> restore_sara_am("")
    ('', 0)
    """
    if AA not in text:
        return text, 0
    total = 0

    def one(m: re.Match[str]) -> str:
        nonlocal total
        run = m.group()
        if AM in run or AA not in run:
            return run
        parts = []
        for k in range(0, len(run), MAX_RUN):
            fixed, n = restore_run(run[k : k + MAX_RUN])
            parts.append(fixed)
            total += n
        return "".join(parts)

    out = _THAI_RUN.sub(one, text)
    return out, total


def count_sara_am(text: str) -> int:
    """How many SARA AM the text has.

    >>> count_sara_am("ดำเนินการตามที่กำหนด")
    2
    """
    return text.count(AM)


def lost_sara_am(repairable: int, present: int) -> bool:
    """Whether a document's font lost SARA AM, from the evidence: ``repairable`` words that
    become dictionary words with ``ำ``, ``present`` SARA AM the document does have.

    >>> lost_sara_am(120, 0), lost_sara_am(2, 0), lost_sara_am(5, 400), lost_sara_am(900, 40)
    (True, False, False, True)
    """
    return repairable >= MIN_REPAIRS and repairable >= MIN_SHARE * (repairable + present)
