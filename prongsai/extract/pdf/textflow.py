"""The text-flow reading: a page whose pdfium text is not good is read again from its
glyphs in content-stream order (the text flow: from pdfium, kept while the page was
open, :func:`prongsai.extract.pdf.chars.flow_chars`; or from pdfplumber with
``PdfSettings(text_flow="pdfplumber")``), with unmapped glyphs ``(cid:NNN)``
inferred from the document's own context; the better text is kept."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prongsai.diagnostics import WarningCode
from prongsai.extract.diagnose import word_coverage
from prongsai.extract.pdf.chars import Glyph, glyph_of, plumber_chars
from prongsai.extract.pdf.lines import build_lines
from prongsai.extract.pdf.page import PageData, flow_wins, read_flow, wants_text_flow
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.spool import PageSpool
from prongsai.model import Problem
from prongsai.normalize.thai import repair_thai
from prongsai.normalize.thai_chars import CONSONANTS, MARKS, SPACING_VOWELS, THAI_UP_TO_MARKS, chars_of


class Plumber:
    """pdfplumber, opened only when a page needs its text read again (the text flow)."""

    def __init__(self, path: str, settings: PdfSettings, problems: list[Problem]) -> None:
        self.path = path
        self.settings = settings
        self.problems = problems
        self._pdf: Any = None
        self._failed = False

    def _page(self, index: int) -> Any:
        """pdfplumber's page ``index`` (0-based), or None when pdfplumber cannot read the file."""
        if self._failed:
            return None
        try:
            if self._pdf is None:
                import pdfplumber

                self._pdf = pdfplumber.open(self.path)
            return self._pdf.pages[index]
        except Exception as e:  # noqa: BLE001 - pdfminer errors become a warning
            self._failed = True
            self.problems.append(
                Problem(
                    WarningCode.TABLES_UNAVAILABLE,
                    "warning",
                    f"the pdfplumber text flow is unavailable: {type(e).__name__}: {e}",
                )
            )
            return None

    def chars(self, index: int) -> list[Glyph]:
        """pdfminer's characters of page ``index`` in content-stream order (the text flow)."""
        page = self._page(index)
        if page is None:
            return []
        try:
            return [glyph_of(c) for c in page.chars]
        except Exception:  # noqa: BLE001 - the pdfium text is kept
            return []
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:  # noqa: BLE001 - closing must not fail the read
                pass
            self._pdf = None


# --- the pdfplumber text path ------------------------------------------------------------

_UNIT = re.compile(r"\(cid:\d+\)|.", re.S)
_THAI_LETTER = re.compile(f"[{THAI_UP_TO_MARKS}]")
#: what a zero-width glyph can stand for: the combining Thai marks
_MARK_CANDIDATES = chars_of(MARKS)
#: ... and a glyph with a width: the Thai letters and spacing vowels
_BASE_CANDIDATES = chars_of(CONSONANTS + SPACING_VOWELS)


@dataclass
class CidSettings:
    """How :func:`infer_cid_map` decides what an unmapped glyph stands for."""

    #: words around a glyph looked at (at most this many characters on each side)
    window: int = 12
    #: at most this many places per glyph are tried (spread over the document)
    max_contexts: int = 40
    #: a glyph seen fewer times than this is left unmapped
    min_count: int = 3
    #: a zero-width glyph must follow a Thai character at least this often to be a Thai mark
    min_mark_position: float = 0.8
    #: the winning character must make this share of the Thai text around the glyph dictionary words
    min_coverage: float = 0.8
    #: ... and beat the next best by this much
    min_margin: float = 0.05


def infer_cid_map(
    pages: Iterable[list[Glyph]], settings: CidSettings | None = None, *, space_gap_em: float = 0.2
) -> dict[str, str]:
    """What each unmapped glyph ``(cid:NNN)`` of one document stands for, from the document itself.

    ``pages``: the glyphs of the pages in content-stream order (see :meth:`Plumber.chars`). A
    glyph drawn with zero width (no advance: a combining mark) that sits after a Thai
    character where a mark belongs is tried as every Thai mark, a glyph with a width
    as every Thai letter: the character that turns the words around its occurrences
    into dictionary words (measured by newmm over ``thai_words()``, after
    ``repair_thai``) clearly more often than any other wins (:class:`CidSettings`).
    Glyphs no character explains stay unmapped (and their pages count as unusable).

    >>> def chars(word, x=0.0):
    ...     out = []
    ...     for t in word.split("|"):
    ...         w = 0.0 if t.startswith("(") else 5.0
    ...         out.append((t, x, x + w, 0, 14, 14))
    ...         x += w
    ...     return out
    >>> page = chars("ท|ี|(cid:201)|ด|ิ|น| |ท|ี|(cid:201)|ส|ุ|ด| |เ|ก|(cid:201)|า| |แ|ม|(cid:201)|น|้|ำ")
    >>> infer_cid_map([page])
    {'(cid:201)': '่'}
    """
    counts: dict[str, int] = defaultdict(int)
    zero: dict[str, bool] = defaultdict(lambda: True)
    lines: list[str] = []
    for objs in pages:
        has_cid = False
        for t, x0, x1, _, _, size in objs:
            if t.startswith("(cid:"):
                has_cid = True
                counts[t] += 1
                zero[t] &= x1 - x0 <= 0.05 * (size or 10.0)
        if has_cid:
            lines += [
                ln.text
                for ln in build_lines(plumber_chars(objs, space_gap_em=space_gap_em), reorder=False)
                if "(cid:" in ln.text
            ]
    return infer_cid_map_from(counts, zero, lines, settings)


def _sampled_contexts(
    lines: list[str], s: CidSettings
) -> tuple[dict[str, int], dict[str, int], dict[str, list[tuple[list[str], int]]]]:
    """How often each unmapped glyph is met in ``lines`` and how often right after a Thai
    letter, and the words around the occurrences :func:`infer_cid_map_from` tries: at most
    ``s.max_contexts``, spread evenly over the document (every n-th, in document order).

    Two passes: the first counts, the second keeps the words around the occurrences tried
    only (a long file has thousands of the others).

    >>> seen, after, ctx = _sampled_contexts(["ท(cid:1)ี ก(cid:1)", "(cid:1)ข (cid:1)"], CidSettings(max_contexts=2))
    >>> seen["(cid:1)"], after["(cid:1)"], [("".join(u), at) for u, at in ctx["(cid:1)"]]
    (4, 2, [('ท(cid:1)ี', 1), ('(cid:1)ข', 0)])
    """
    seen: dict[str, int] = defaultdict(int)
    after_thai: dict[str, int] = defaultdict(int)
    for text in lines:
        units = _UNIT.findall(text)
        for i, u in enumerate(units):
            if len(u) > 1:
                seen[u] += 1
                after_thai[u] += i > 0 and bool(_THAI_LETTER.match(units[i - 1]))
    step = {cid: max(1, n // s.max_contexts) for cid, n in seen.items()}
    met: dict[str, int] = defaultdict(int)
    contexts: dict[str, list[tuple[list[str], int]]] = defaultdict(list)
    for text in lines:
        units = _UNIT.findall(text)
        for i, u in enumerate(units):
            if len(u) == 1:
                continue
            k = met[u]
            met[u] += 1
            if k % step[u] or k // step[u] >= s.max_contexts:
                continue
            lo = i
            while lo > 0 and i - lo < s.window and not units[lo - 1].isspace():
                lo -= 1
            hi = i + 1
            while hi < len(units) and hi - i <= s.window and not units[hi].isspace():
                hi += 1
            contexts[u].append((units[lo:hi], i - lo))
    return seen, after_thai, contexts


def infer_cid_map_from(
    counts: dict[str, int], zero: dict[str, bool], lines: list[str], settings: CidSettings | None = None
) -> dict[str, str]:
    """:func:`infer_cid_map` from what it measures: each glyph's occurrences, whether it is
    always drawn without advance, and the document's text lines that hold unmapped glyphs."""
    s = settings or CidSettings()
    seen, after_thai, contexts = _sampled_contexts(lines, s)
    out: dict[str, str] = {}
    for cid, n in counts.items():
        sample = contexts.get(cid, [])
        if n < s.min_count or seen[cid] < s.min_count:
            continue
        if zero[cid]:
            if after_thai[cid] < s.min_mark_position * seen[cid]:
                continue
            candidates = _MARK_CANDIDATES
        else:
            candidates = _BASE_CANDIDATES
        scores = []
        for cand in candidates:
            total = 0.0
            for units, at in sample:
                if at and units[at - 1] == cand:
                    continue  # the same mark twice is a defect (the repair drops one), not a reading
                total += word_coverage(
                    repair_thai("".join(cand if u == cid else ("" if len(u) > 1 else u) for u in units))
                )
            scores.append((total / len(sample), cand))
        scores.sort(reverse=True)
        (best, char), (second, _) = scores[0], scores[1]
        if best >= s.min_coverage and best - second >= s.min_margin:
            out[cid] = char
    return out


_CID = re.compile(r"\(cid:\d+\)")
def _map_glyphs(page: PageData, cid_map: dict[str, str]) -> None:
    """Put the inferred characters in place of the ``(cid:NNN)`` glyphs of a laid-out page
    (the layout does not change: a glyph without advance is a mark either way)."""

    def sub(text: str) -> str:
        return _CID.sub(lambda m: cid_map.get(m.group(), m.group()), text) if "(cid:" in text else text

    for ln in page.lines:
        ln.text = sub(ln.text)
    for t in page.tables:
        for cell in t.cells:
            for ln in cell.lines:
                ln.text = sub(ln.text)


def text_fallback(pages: PageSpool, plumber: Plumber, settings: PdfSettings, problems: list[Problem]) -> None:
    """Read the pages whose pypdfium2 text is not good again in content-stream order; keep the better text.

    The candidates were laid out when their page was read (:func:`read_flow`; from
    pdfplumber's characters now with ``PdfSettings(text_flow="pdfplumber")``); the
    unmapped glyphs of all of them are inferred together (:func:`infer_cid_map_from`).
    The candidates are compared by their dictionary-word share after repair (ties keep
    pypdfium2); the text flow must also keep most of the Thai characters.
    """
    todo = [i for i in range(len(pages)) if not pages.head(i).flow_judged and wants_text_flow(pages.head(i))]
    if not todo:
        return
    for i in todo:
        if pages.head(i).flow is None:  # the pdfplumber text flow is read now
            p = pages[i]
            p.flow = read_flow(p, plumber.chars(p.number - 1), settings)
            pages[i] = p
    flows = [f for f in (pages.head(i).flow for i in todo) if f is not None]
    counts: dict[str, int] = defaultdict(int)
    zero: dict[str, bool] = defaultdict(lambda: True)
    for f in flows:
        for cid, n in f.cid_counts.items():
            counts[cid] += n
            zero[cid] &= f.cid_zero[cid]
    cid_map = infer_cid_map_from(counts, zero, [text for f in flows for text in f.cid_lines])
    used = _choose(pages, todo, cid_map, settings)
    if used:
        problems.append(
            Problem(
                WarningCode.GLYPHS_MAPPED,
                "info",
                "glyphs without a Unicode mapping read from their context: "
                + ", ".join(f"{cid} as U+{ord(cid_map[cid]):04X} ({n}x)" for cid, n in sorted(used.items())),
            )
        )


def _choose(pages: PageSpool, todo: list[int], cid_map: dict[str, str], settings: PdfSettings) -> dict[str, int]:
    """Keep the better reading of each page of ``todo`` (its text-flow candidate with the
    inferred glyphs in place, or its pdfium text); the glyphs mapped on the pages kept from
    the text flow, with their counts."""
    used: dict[str, int] = defaultdict(int)
    for i in todo:
        p = pages[i]
        flow, p.flow = p.flow, None  # read once, used once
        if flow is None or p.diagnosis is None:
            pages[i] = p
            continue
        cand = flow.page
        if cid_map and flow.cid_counts:
            _map_glyphs(cand, cid_map)
        wins = flow_wins(p, cand, settings)
        pages[i] = cand if wins else p
        if wins:
            for cid, n in flow.cid_counts.items():
                if cid in cid_map:
                    used[cid] += n
    return used
