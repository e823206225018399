"""The word lists the dictionary-based Thai repairs look words up in.

* :func:`thai_words`: pythainlp's offline word list (``pythainlp.corpus.thai_words``,
  62,000 words; no model, no download) plus the everyday preposition ``ณ`` it lacks;
* :func:`sara_am_forms`: every dictionary word with SARA AM (``ำ``) by the form a font that
  loses SARA AM writes it in (``ำ`` → ``า``), for the forms that are not words themselves:
  ``ตาบล`` → ``ตำบล``, but not ``ทา`` (``ทา`` and ``ทำ`` are both words);
* :func:`org_names`: the names of local administrative organisations (DLA registry,
  ``data/lao_registry.csv``), which are rarely dictionary words (``หางดง``);
* :func:`word_cost`: how unlikely a word is, from the Thai National Corpus word
  frequencies bundled with pythainlp (``pythainlp.corpus.tnc``, offline), to choose between
  two readings of the same letters (``ของ|ชาติ`` rather than ``ของชำ|ติ``);
* :func:`is_prefix`: whether a string starts any of those words (to stop a scan early).

Lookups are set and dict lookups: one per candidate substring, no tokenizer model.

>>> "ตำบล" in thai_words(), "ตาบล" in thai_words()
(True, False)
>>> sara_am_forms()["ตาบล"], "ทา" in sara_am_forms()
('ตำบล', False)
>>> "หางดง" in org_names()
True
"""

from __future__ import annotations

import math
import os
from functools import cache

AA, AM = "\u0e32", "\u0e33"


def lost_am(word: str) -> str:
    """``word`` as a font that loses SARA AM writes it.

    >>> lost_am("ดำเนินการ")
    'ดาเนินการ'
    """
    return word.replace(AM, AA)


@cache
def thai_words() -> frozenset[str]:
    """pythainlp's offline Thai word list, plus ``ณ``."""
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.corpus import thai_words as _thai_words

    return frozenset(_thai_words()) | {"ณ"}


@cache
def sara_am_forms() -> dict[str, str]:
    """Written-without-SARA-AM form → the dictionary word, where the written form is no word."""
    words = thai_words()
    out: dict[str, str] = {}
    for w in words:
        if AM in w:
            lost = lost_am(w)
            if lost not in words:
                out[lost] = w
    return out


@cache
def _costs() -> tuple[dict[str, float], float]:
    """-log relative frequency of the dictionary words the TNC counts, and the cost of the others."""
    from importlib.resources import files

    words = thai_words()
    freqs: dict[str, int] = {}
    # the file behind pythainlp.corpus.tnc.word_freqs, read line by line (no list of 106,000 pairs)
    with files("pythainlp.corpus").joinpath("tnc_freq.txt").open(encoding="utf-8-sig") as fh:
        for line in fh:
            word, _, count = line.rstrip("\n").partition("\t")
            if word in words and count.isdigit() and int(count) > 0:
                freqs[word] = int(count)
    total = math.log(sum(freqs.values()) + len(words))
    return {w: total - math.log(f + 1) for w, f in freqs.items()}, total


def word_cost(word: str) -> float:
    """How unlikely a dictionary word is (-log of its share of the TNC's words; rare and
    uncounted words cost most).

    >>> word_cost("ชาติ") < word_cost("ติ") < word_cost("ของชำ")
    True
    """
    costs, floor = _costs()
    return costs.get(word, floor)


@cache
def org_names() -> frozenset[str]:
    """Short names of the organisations in the DLA registry (the name without its type)."""
    from prongsai.normalize.registry import lao_registry

    return frozenset(r.name for r in lao_registry() if len(r.name) >= 2)


PREFIX_LEN = 4  # prefixes up to this length are kept; longer pieces are bounded by length


@cache
def _prefixes() -> tuple[frozenset[str], dict[str, int]]:
    """The prefixes of up to PREFIX_LEN letters of every word, and for each prefix of
    PREFIX_LEN letters the length of the longest word that starts with it."""
    short: set[str] = set()
    longest: dict[str, int] = {}
    for w in (*thai_words(), *sara_am_forms(), *org_names()):
        for i in range(1, min(len(w), PREFIX_LEN) + 1):
            short.add(w[:i])
        if len(w) > PREFIX_LEN:
            key = w[:PREFIX_LEN]
            if longest.get(key, 0) < len(w):
                longest[key] = len(w)
    return frozenset(short), longest


def is_prefix(text: str) -> bool:
    """Whether ``text`` may be the start of a dictionary word, a SARA AM form or an
    organisation name (exact up to PREFIX_LEN letters, by length beyond).

    >>> is_prefix("ดาเนิ"), is_prefix("ดาเx"), is_prefix("ดาเนินการตามแผนงานประจาปีงบประมาณ")
    (True, False, False)
    """
    short, longest = _prefixes()
    if len(text) <= PREFIX_LEN:
        return text in short
    return len(text) <= longest.get(text[:PREFIX_LEN], 0)
