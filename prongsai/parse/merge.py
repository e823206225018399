"""The places one project appears (a plan-table row, a detail sheet, ...) grouped by
title; :mod:`prongsai.normalize.project` turns each group into its SPEC row."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from prongsai.normalize.clean import squash
from prongsai.normalize.registry import kinds, words_pattern
from prongsai.parse.record import Record
from prongsai.parse.vocab import vocab

MERGE_SCORE = 90.0

_KIND_WORD = re.compile(f"^(?:{words_pattern(kinds())})")  # the kind words (data/kinds.csv)


def _title_key(title: str) -> str:
    """The key titles are compared by: no spaces or quotes, no leading kind word,
    abbreviated organisation names written out.

    >>> _title_key("ปลูกต้นไม้ของ ทต.บ้านแพง") == _title_key("โครงการปลูกต้นไม้ของเทศบาลตำบลบ้านแพง")
    True
    """
    s = re.sub(r"[“”\"'‘’]", "", squash(title))
    for short, full in vocab()["title_org_abbreviations"].items():
        s = s.replace(squash(short), squash(full))
    return _KIND_WORD.sub("", s)


def merge_records(records: list[Record]) -> list[list[Record]]:
    """Group the records of one project, in order of first appearance.

    A record joins a group when its title matches fuzzily (whitespace and quotes
    ignored) and the group has no record of the same layout yet: two rows of one
    plan table are two projects, a plan-table row and a detail record of the same
    title are one.
    """
    groups: list[list[Record]] = []
    keys: list[str] = []
    layouts: list[set[str]] = []
    for rec in records:
        k = _title_key(rec.title)
        if not k:
            continue
        # every group's key scored at once (rapidfuzz, in C); the best eligible one wins,
        # the first group on a tie
        close = process.extract(k, keys, scorer=fuzz.ratio, processor=None, score_cutoff=MERGE_SCORE, limit=None)
        best_i = next((i for _, _, i in sorted(close, key=lambda c: (-c[1], c[2]))
                       if keys[i] == k or rec.layout not in layouts[i]), -1)
        if best_i >= 0:
            groups[best_i].append(rec)
            layouts[best_i].add(rec.layout)
        else:
            groups.append([rec])
            keys.append(k)
            layouts.append({rec.layout})
    return groups
