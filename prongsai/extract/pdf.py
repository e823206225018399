"""Backend for PDF files: born-digital text, broken text layers, scans.

* **Text comes from pypdfium2**, character by character with its box. pdfium
  honours ``/ActualText`` (LibreOffice writes SARA AM and below-vowel + tone
  clusters that way), where pdfplumber/pdfminer doubles SARA AM (``ำา``), reads
  SARA UU as a tone mark and reorders vowels.
* **Table geometry comes from pdfplumber's table finder** (lines strategy, see
  :class:`PdfSettings`), only on pages that draw vector paths; each cell's text is
  made of the characters whose centre lies in the cell box.
* Visual lines are built from the character boxes. A line that reaches the right
  text margin is joined with the next one unless that one starts with a list or
  section number (:func:`prongsai.extract.pdf_tables.is_wrap`): no space between
  two Thai characters, a space where the producer kept one at the wrap.
* Running headers/footers (a line repeated at the top or bottom of most pages,
  digits masked) and bare page numbers are dropped. A table that continues on the
  next page becomes one :class:`~prongsai.model.Table` without the repeated header
  rows.
* **Every page is diagnosed** (:func:`prongsai.extract.diagnose.diagnose_text`:
  ``good`` | ``repairable`` | ``unusable`` | ``empty``, from measured signals only).
  Good pages stay on the fast pypdfium2 path. A page whose pypdfium2 text is not
  good is also read from **pdfplumber's characters in content-stream order** (the
  text flow), put through the same line and table building without any
  geometric reordering (broken fonts draw marks over the next letter, but the
  stream has them in logical order), with ``(cid:NNN)`` glyphs mapped from the
  document's own context (:func:`infer_cid_map`); the candidate with the higher
  dictionary-word share after repair is kept (ties: pypdfium2).
* Pages left ``empty`` (a scan: few characters and an image, or a page drawn only
  as paths) or ``unusable`` are **OCR'd** with :mod:`prongsai.extract.ocr`
  (tesseract, ``OMP_THREAD_LIMIT=1``), whose blocks replace the page's text;
  ``Document.text_source`` says ``ocr`` / ``mixed`` / ``text``. Problems:
  ``OCR_USED`` (info), ``OCR_UNAVAILABLE`` (error: no tesseract), ``OCR_FAILED``,
  ``UNUSABLE_TEXT`` (a broken text layer kept because OCR is off or failed),
  ``GLYPHS_MAPPED`` (info), and ``NO_TEXT_LAYER`` for scanned pages that got no
  text at all. :func:`diagnose_pdf` reports the per-page decisions.

No Thai repair is done here; the caller applies ``repair_thai`` to every
backend's text. The only changes to pdfium's character sequence are geometric:
a combining mark that pdfium put after a line break goes back on the character
before it (``ร\r\nู้การ``), a mark drawn far from the character before it (broken
text layers write ``ว ุ เคราะห ิ``) goes on the character it is drawn over, and a
glyph drawn out of sequence (a fallback-font Lao letter) is put in x order. Good
PDFs never trigger the last two (measured on the corpus).

Block references: ``SourceRef(page=N, line=k)`` where k is the 1-based number of
the block's first visual line on page N, counting every visual line of the page
from the top (running headers and table lines included). A table row keeps the
page (and line) where it is drawn.
"""

from __future__ import annotations

import ctypes
import importlib
import math
import os
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.diagnose import DiagnosisSettings, PageDiagnosis, diagnose_text, word_coverage
from prongsai.extract.pdf_tables import (
    BASE,
    BREAK,
    MARK,
    Char,
    Line,
    PageTable,
    TableBuilder,
    build_lines,
    char_kind,
    is_wrap,
    join_char,
    plumber_chars,
)
from prongsai.model import Block, Document, ExtractError, Problem, SourceRef, TextLine
from prongsai.normalize.thai import repair_thai

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _default_table_settings() -> dict[str, Any]:
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
        "edge_min_length": 3,
    }


@dataclass
class PdfSettings:
    """Everything :func:`read_pdf` can be tuned with (lengths in PDF points)."""

    #: passed to pdfplumber's ``page.find_tables()``
    table_settings: dict[str, Any] = field(default_factory=_default_table_settings)
    #: look for tables at all
    detect_tables: bool = True
    #: cell edges closer than this are one grid line
    grid_tolerance: float = 2.0
    #: a table on page N+1 continues one on page N when all column boundaries agree within this
    column_tolerance: float = 4.0
    #: at most this many header rows are compared/dropped at the top of a continuation
    max_header_rows: int = 6
    #: a page with fewer base characters than this and an image has no text layer
    min_text_chars: int = 10
    #: running headers/footers are searched in this fraction of the page height, top and bottom
    header_zone: float = 0.15
    #: ... and must be on at least this fraction of the pages with text (and on 2 pages)
    header_min_share: float = 0.5
    #: a wrapped line of running text ends at most this many line heights before the right margin
    max_wrap_gap_em: float = 5.0
    #: the same inside a table cell (narrow columns leave wider gaps)
    max_cell_wrap_gap_em: float = 8.0
    #: consecutive lines of one paragraph are at most this many typical line pitches apart
    max_pitch_factor: float = 1.35
    #: thresholds of the per-page text diagnosis (:mod:`prongsai.extract.diagnose`)
    diagnosis: DiagnosisSettings = field(default_factory=DiagnosisSettings)
    #: read pages whose pypdfium2 text is not ``good`` with pdfplumber too and keep the better text
    text_fallback: bool = True
    #: ... only if the pdfplumber text keeps at least this share of the Thai characters of pypdfium2's
    min_fallback_thai_share: float = 0.9
    #: in pdfplumber's character stream, a gap wider than this many font sizes is a space
    space_gap_em: float = 0.2
    #: OCR pages that are ``empty`` (a scan) or ``unusable`` (needs tesseract, see :mod:`prongsai.extract.ocr`)
    ocr: bool = True
    #: an ``ocr.OcrSettings``; None: its defaults
    ocr_settings: Any = None
    #: an empty page without images is OCR'd only when it draws at least this many paths (text as outlines)
    ocr_min_paths: int = 50


_BARE_PAGE_NO = re.compile(
    r"^[\s\-–—(\[]*(?:หน้า|page|p\.)?\s*[0-9๐-๙]{1,4}(?:\s*/\s*[0-9๐-๙]{1,4})?[\s\-–—)\]]*$", re.I
)
_DIGITS = re.compile(r"[0-9๐-๙]+")


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    in_table: list[bool] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    #: few characters and an image: a scan
    no_text: bool = False
    #: something OCR could read is drawn (an image, or many paths)
    drawn: bool = False
    #: the cell boxes of each table pdfplumber found (used again for the pdfplumber text)
    boxes: list[list[Box]] = field(default_factory=list)
    #: control characters pdfium gave (dropped from the text)
    controls: int = 0
    diagnosis: PageDiagnosis | None = None
    #: the diagnosis of the pypdfium2 text (``diagnosis`` is that of the text kept)
    first_diagnosis: PageDiagnosis | None = None
    #: where the page's text comes from: pdfium | pdfplumber | ocr
    source: str = "pdfium"
    #: the blocks OCR read (replacing the text layer)
    ocr_blocks: list[Block] | None = None

    def text(self) -> str:
        """All visual lines of the page (table lines included), for the diagnosis."""
        return "\n".join(ln.text for ln in self.lines)


# --- opening -------------------------------------------------------------------------

_PDFIUM_ERRORS = {
    2: "cannot open PDF: file cannot be read",
    3: "not a valid PDF (damaged file or not a PDF)",
    4: "cannot open PDF: file is encrypted (password required)",
    5: "cannot open PDF: unsupported encryption or security handler",
    6: "not a valid PDF (page tree damaged)",
}


def _open(path: str) -> pdfium.PdfDocument:
    p = Path(path)
    if not p.is_file():
        raise ExtractError(f"cannot open PDF: file not found ({p.name})")
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as e:
        raise ExtractError(f"cannot open PDF: {e.strerror or e}") from None
    if not head:
        raise ExtractError("not a valid PDF (empty file)")
    if b"%PDF-" not in head:
        raise ExtractError("not a valid PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        raise ExtractError(_PDFIUM_ERRORS.get(code or 0, f"not a valid PDF ({e})")) from None
    except Exception as e:  # noqa: BLE001 - nothing from pdfium may escape
        raise ExtractError(f"not a valid PDF ({e})") from None
    return doc


class _Plumber:
    """pdfplumber, opened only when a page needs table geometry or its text."""

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
                    "TABLES_UNAVAILABLE",
                    "warning",
                    f"table detection (and the pdfplumber text) unavailable: {type(e).__name__}: {e}",
                )
            )
            return None

    def tables(self, index: int) -> list[list[Box]]:
        """The cell boxes of each table on page ``index`` (0-based)."""
        page = self._page(index)
        if page is None:
            return []
        try:
            found = page.find_tables(table_settings=self.settings.table_settings)
            return [[(c[0], c[1], c[2], c[3]) for c in t.cells] for t in found]
        except Exception as e:  # noqa: BLE001
            self.problems.append(
                Problem(
                    "TABLE_DETECTION_FAILED",
                    "warning",
                    f"tables on page {index + 1} not detected: {type(e).__name__}: {e}",
                    SourceRef(page=index + 1),
                )
            )
            return []
        finally:
            page.close()

    def chars(self, index: int) -> list[dict[str, Any]]:
        """pdfminer's characters of page ``index`` in content-stream order (the text flow)."""
        page = self._page(index)
        if page is None:
            return []
        try:
            keys = ("text", "x0", "x1", "top", "bottom", "size")
            return [{k: c[k] for k in keys} for c in page.chars]
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


# --- one page --------------------------------------------------------------------------


def _page_matrix(page: pdfium.PdfPage) -> tuple[Matrix, float, float]:
    """pdfminer's page matrix (so pdfium and pdfplumber coordinates agree) and the
    displayed width and height."""
    # pdfium does not inherit a MediaBox from the page tree (crbug.com/pdfium/1786); the
    # bounding box does (it is the crop box, the same in all but rare files)
    x0, y0, x1, y1 = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    rot = page.get_rotation() % 360
    if rot == 90:
        m: Matrix = (0, -1, 1, 0, -y0, x1)
    elif rot == 180:
        m = (-1, 0, 0, -1, x1, y1)
    elif rot == 270:
        m = (0, 1, -1, 0, y1, -x0)
    else:
        m = (1, 0, 0, 1, -x0, -y0)
    w, h = x1 - x0, y1 - y0
    return m, (h if rot in (90, 270) else w), (w if rot in (90, 270) else h)


def _page_chars(textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> tuple[list[Char], int]:
    """The page's characters in pdfium order, in top-down displayed coordinates, and
    the number of control characters dropped (unmapped glyphs, for the diagnosis).

    Horizontal extent is the tight glyph box. The vertical extent is the font's em
    box on the baseline (the same for every glyph of a line, so lines group and
    compare cleanly); the tight box when the font size is not plausible.
    """
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    a, b, c, d, e, f = m
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    tm = pdfium_c.FS_MATRIX()
    out: list[Char] = []
    controls = 0
    for i in range(n):
        if pdfium_c.FPDFText_IsHyphen(raw, i):
            ch = "-"  # pdfium takes a hyphen at a line end for a soft hyphen; in Thai it is real (รับ-จ่าย)
        else:
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code < 0x20 and code not in (9, 10, 13) or code in (0xFFFE, 0xFEFF) or code >= 0x110000:
                controls += code < 0x20 or code >= 0x110000
                continue
            ch = chr(code)
        kind = char_kind(ch)
        if kind == BREAK:
            out.append(Char(ch, 0.0, 0.0, 0.0, 0.0, BREAK))
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            continue
        lx, rx, by, ty = left.value, right.value, bottom.value, top.value
        xa, ya = a * lx + c * by + e, b * lx + d * by + f
        xb, yb = a * rx + c * ty + e, b * rx + d * ty + f
        x0, x1, y_top, y_bottom = min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb)
        if kind != MARK and pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy):
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, tm):
                size *= math.sqrt(abs(tm.a * tm.d - tm.b * tm.c))  # font size 1 scaled by the text matrix
            if size > 0 and size >= 0.5 * (y_bottom - y_top):
                base = height - (b * ox.value + d * oy.value + f)
                y_top, y_bottom = base - 0.75 * size, base + 0.25 * size
        out.append(Char(ch, x0, x1, y_top, y_bottom, kind))
    return out, controls


def _has_objects(page: pdfium.PdfPage, kind: int) -> bool:
    for _ in page.get_objects(filter=[kind], max_depth=3):
        return True
    return False


def _assign_to_tables(chars: list[Char], tables: list[PageTable]) -> None:
    """Give each character to the table cell its centre lies in (a combining mark
    goes with the character before it)."""
    target: list[Char] | None = None
    last_y = 0.0
    for ch in chars:
        if ch.kind == BREAK:
            continue
        if ch.kind == MARK:
            if target is not None:
                target.append(ch)
            continue
        y = ch.cy if ch.kind == BASE else last_y
        if ch.kind == BASE:
            last_y = y
        target = None
        for t in tables:
            idx = t.cell_at(ch.cx, y)
            if idx >= 0:
                target = t.cells[idx].chars
                target.append(ch)
                break


def _count_objects(page: pdfium.PdfPage, kind: int, limit: int) -> int:
    n = 0
    for _ in page.get_objects(filter=[kind], max_depth=3):
        n += 1
        if n >= limit:
            break
    return n


def _read_page(doc: pdfium.PdfDocument, index: int, plumber: _Plumber, settings: PdfSettings) -> _PageData:
    """Page ``index`` read with pypdfium2 (text) and pdfplumber (table geometry), diagnosed."""
    page = doc[index]
    textpage = None
    try:
        m, width, height = _page_matrix(page)
        data = _PageData(index + 1, width, height)
        textpage = page.get_textpage()
        chars, data.controls = _page_chars(textpage, m, height)
        n_base = sum(1 for c in chars if c.kind == BASE)
        if n_base < settings.min_text_chars:
            has_image = _has_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE)
            paths = _count_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, settings.ocr_min_paths)
            data.drawn = has_image or paths >= settings.ocr_min_paths
            if has_image or n_base == 0:
                # a scan (perhaps with a stamped page number), or a blank page
                data.no_text = has_image
                text = "".join(c.text for c in chars)
                diag = diagnose_text(text, settings.diagnosis, controls=data.controls)
                if diag.status != "empty":
                    diag = PageDiagnosis("empty", f"{n_base} characters on a page with an image", diag.signals)
                data.diagnosis = data.first_diagnosis = diag
                return data
        if settings.detect_tables and _has_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
            data.boxes = plumber.tables(index)
        _layout(data, chars, settings)
        data.diagnosis = data.first_diagnosis = diagnose_text(data.text(), settings.diagnosis, controls=data.controls)
        return data
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _layout(data: _PageData, chars: list[Char], settings: PdfSettings) -> None:
    """Tables (from ``data.boxes``) and visual lines of a page from its characters."""
    data.tables = []
    for boxes in data.boxes:
        t = PageTable.from_cells(data.number, boxes, settings.grid_tolerance)
        if t is not None:
            data.tables.append(t)
    reorder = data.source == "pdfium"  # pdfplumber's stream order is kept as it is
    if data.tables:
        _assign_to_tables(chars, data.tables)
        for t in data.tables:
            t.build_cell_lines(reorder=reorder)
    data.lines = build_lines(chars, reorder=reorder)
    data.in_table = [any(t.contains((ln.x0 + ln.x1) / 2, ln.cy, 1.0) for t in data.tables) for ln in data.lines]
    centres = sorted(ln.cy for ln in data.lines)
    for t in data.tables:
        t.line_no = _line_no(centres, t.top)
        t.row_line_nos = [_line_no(centres, y) for y in t.row_bounds[:-1]]


def _line_no(sorted_centres: list[float], y: float) -> int:
    """1-based number of the first visual line at or below ``y``."""
    return bisect_left(sorted_centres, y) + 1


# --- the pdfplumber text path ------------------------------------------------------------

_UNIT = re.compile(r"\(cid:\d+\)|.", re.S)
_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
#: what a zero-width glyph can stand for: the combining Thai marks
_MARK_CANDIDATES = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
#: ... and a glyph with a width: the Thai letters and spacing vowels
_BASE_CANDIDATES = "".join(chr(c) for c in (*range(0x0E01, 0x0E2F), 0x0E30, 0x0E32, 0x0E33, *range(0x0E40, 0x0E46)))


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
    pages: Iterable[list[dict[str, Any]]], settings: CidSettings | None = None, *, space_gap_em: float = 0.2
) -> dict[str, str]:
    """What each unmapped glyph ``(cid:NNN)`` of one document stands for, from the document itself.

    ``pages``: pdfplumber's characters of the pages (see :meth:`_Plumber.chars`). A
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
    ...         out.append(dict(text=t, x0=x, x1=x + w, top=0, bottom=14, size=14))
    ...         x += w
    ...     return out
    >>> page = chars("ท|ี|(cid:201)|ด|ิ|น| |ท|ี|(cid:201)|ส|ุ|ด| |เ|ก|(cid:201)|า| |แ|ม|(cid:201)|น|้|ำ")
    >>> infer_cid_map([page])
    {'(cid:201)': '่'}
    """
    s = settings or CidSettings()
    counts: dict[str, int] = defaultdict(int)
    zero: dict[str, bool] = defaultdict(lambda: True)
    lines: list[str] = []
    for objs in pages:
        has_cid = False
        for o in objs:
            t = o["text"]
            if t.startswith("(cid:"):
                has_cid = True
                counts[t] += 1
                zero[t] &= float(o["x1"]) - float(o["x0"]) <= 0.05 * float(o.get("size") or 10.0)
        if has_cid:
            lines += [
                ln.text
                for ln in build_lines(plumber_chars(objs, space_gap_em=space_gap_em), reorder=False)
                if "(cid:" in ln.text
            ]
    contexts: dict[str, list[tuple[list[str], int]]] = defaultdict(list)
    after_thai: dict[str, int] = defaultdict(int)
    for text in lines:
        units = _UNIT.findall(text)
        for i, u in enumerate(units):
            if len(u) == 1:
                continue
            after_thai[u] += i > 0 and bool(_THAI_LETTER.match(units[i - 1]))
            lo = i
            while lo > 0 and i - lo < s.window and not units[lo - 1].isspace():
                lo -= 1
            hi = i + 1
            while hi < len(units) and hi - i <= s.window and not units[hi].isspace():
                hi += 1
            contexts[u].append((units[lo:hi], i - lo))
    out: dict[str, str] = {}
    for cid, n in counts.items():
        ctx = contexts.get(cid, [])
        if n < s.min_count or len(ctx) < s.min_count:
            continue
        if zero[cid]:
            if after_thai[cid] < s.min_mark_position * len(ctx):
                continue
            candidates = _MARK_CANDIDATES
        else:
            candidates = _BASE_CANDIDATES
        step = max(1, len(ctx) // s.max_contexts)
        sample = ctx[::step][: s.max_contexts]
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


def _text_fallback(pages: list[_PageData], plumber: _Plumber, settings: PdfSettings, problems: list[Problem]) -> None:
    """Read the pages whose pypdfium2 text is not good with pdfplumber too; keep the better text.

    The candidates are compared by their dictionary-word share after repair (ties keep
    pypdfium2); the pdfplumber text must also keep most of the Thai characters.
    """
    # a page whose every Thai token is a word already cannot lose to pdfplumber (ties keep pypdfium2)
    todo = [
        p
        for p in pages
        if p.diagnosis is not None
        and p.diagnosis.status in ("repairable", "unusable")
        and (p.diagnosis.signals.word_share < 1.0 or p.diagnosis.status == "unusable")
    ]
    if not todo:
        return
    raw = {p.number: plumber.chars(p.number - 1) for p in todo}
    cid_map = infer_cid_map(raw.values(), space_gap_em=settings.space_gap_em)
    used: dict[str, int] = defaultdict(int)
    for i, p in enumerate(pages):
        objs = raw.get(p.number)
        if not objs or p.diagnosis is None:
            continue
        cand = _PageData(p.number, p.width, p.height, boxes=p.boxes, drawn=p.drawn, source="pdfplumber")
        _layout(cand, plumber_chars(objs, cid_map, space_gap_em=settings.space_gap_em), settings)
        cand.controls = sum(len(t := o["text"]) == 1 and ord(t) < 0x20 and t not in "\t\n\r" for o in objs)
        cand.diagnosis = diagnose_text(cand.text(), settings.diagnosis, controls=cand.controls)
        cand.first_diagnosis = p.first_diagnosis
        old, new = p.diagnosis.signals, cand.diagnosis.signals
        if new.word_share > old.word_share and new.thai_chars >= settings.min_fallback_thai_share * old.thai_chars:
            pages[i] = cand
            for o in objs:
                if o["text"] in cid_map:
                    used[o["text"]] += 1
    if used:
        problems.append(
            Problem(
                "GLYPHS_MAPPED",
                "info",
                "glyphs without a Unicode mapping read from their context: "
                + ", ".join(f"{cid} as U+{ord(cid_map[cid]):04X} ({n}x)" for cid, n in sorted(used.items())),
            )
        )


# --- whole document ----------------------------------------------------------------------


def _running_lines(pages: list[_PageData], settings: PdfSettings) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers and bare page numbers."""
    text_pages = [p for p in pages if p.lines]
    candidates: dict[tuple[int, int], str] = {}
    for pi, p in enumerate(pages):
        body = [i for i, ln in enumerate(p.lines) if not p.in_table[i]]
        if not body:
            continue
        first_table = min((t.top for t in p.tables), default=math.inf)
        last_table = max((t.bottom for t in p.tables), default=-math.inf)
        zone = settings.header_zone * p.height
        for i in body[:2]:
            ln = p.lines[i]
            if ln.bottom <= zone and ln.bottom <= first_table:
                candidates[(pi, i)] = "T" + _DIGITS.sub("#", "".join(ln.text.split()))
        for i in body[-2:]:
            ln = p.lines[i]
            if ln.top >= p.height - zone and ln.top >= last_table:
                candidates[(pi, i)] = "B" + _DIGITS.sub("#", "".join(ln.text.split()))
    pages_with: dict[str, set[int]] = defaultdict(set)
    for (pi, _), key in candidates.items():
        pages_with[key].add(pi)
    need = max(2, math.ceil(settings.header_min_share * len(text_pages)))
    drop: set[tuple[int, int]] = set()
    for (pi, i), key in candidates.items():
        if len(pages_with[key]) >= need or _BARE_PAGE_NO.match(pages[pi].lines[i].text):
            drop.add((pi, i))
    return drop


def _margins(pages: list[_PageData], drop: set[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """(left, right) text margins per page width (portrait and landscape pages differ).

    Taken from the body lines (10th/90th percentile of their ends); with fewer than
    10 body lines the tables' edges count too.
    """
    starts: dict[int, list[float]] = defaultdict(list)
    ends: dict[int, list[float]] = defaultdict(list)
    table_edges: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for pi, p in enumerate(pages):
        key = round(p.width)
        for i, ln in enumerate(p.lines):
            if not p.in_table[i] and (pi, i) not in drop:
                starts[key].append(ln.x0)
                ends[key].append(ln.x1)
        if p.tables:
            table_edges[key] += [(t.bbox[0], t.bbox[2]) for t in p.tables]
    out: dict[int, tuple[float, float]] = {}
    for key in set(ends) | set(table_edges):
        xs0, xs1 = sorted(starts[key]), sorted(ends[key])
        if len(xs1) >= 10:
            out[key] = (xs0[int(0.1 * (len(xs0) - 1))], xs1[int(0.9 * (len(xs1) - 1))])
        else:
            xs0 += [e[0] for e in table_edges[key]]
            xs1 += [e[1] for e in table_edges[key]]
            out[key] = (min(xs0), max(xs1))
    return out


def _centred(ln: Line, left: float, right: float) -> bool:
    """A line set in the middle of the text area (a heading), which is never a wrap."""
    lgap, rgap = ln.x0 - left, right - ln.x1
    return lgap > 2 * ln.height and rgap > 2 * ln.height and abs(lgap - rgap) < 0.35 * ln.height


def _typical_pitch(pages: list[_PageData], drop: set[tuple[int, int]]) -> float | None:
    """Median top-to-top distance of consecutive body lines of the same height, in line heights."""
    ratios: list[float] = []
    for pi, p in enumerate(pages):
        prev: Line | None = None
        for i, ln in enumerate(p.lines):
            if p.in_table[i] or (pi, i) in drop:
                prev = None
                continue
            if prev is not None and 0.8 < ln.height / prev.height < 1.25:
                ratios.append((ln.top - prev.top) / prev.height)
            prev = ln
    ratios = [r for r in ratios if r > 0.5]
    return median(ratios) if ratios else None


def _spaces_marked(pages: list[_PageData]) -> bool:
    """Does the producer keep the space at which a line was wrapped (LibreOffice)?
    Then a wrap without a trailing space is inside a word."""
    n = trailing = 0
    for p in pages:
        for ln in p.lines:
            n += 1
            trailing += ln.trailing_space
        for t in p.tables:
            for cell in t.cells:
                for ln in cell.lines[:-1]:
                    n += 1
                    trailing += ln.trailing_space
    return trailing >= 3 and trailing >= 0.01 * n


@dataclass
class _Layout:
    """Document-wide measures the wrap rule needs."""

    left: float
    right: float
    max_pitch_em: float | None
    spaces_marked: bool


def _paragraphs(lines: list[tuple[int, Line]], lay: _Layout, settings: PdfSettings) -> list[tuple[int, str]]:
    """Join wrapped lines (consecutive, no table between) into paragraphs:
    (1-based line number of the first line, text)."""
    out: list[tuple[int, str]] = []
    prev: Line | None = None
    for i, ln in lines:
        if prev is not None and not _centred(prev, lay.left, lay.right):
            if is_wrap(
                prev,
                ln,
                lay.right,
                max_gap=settings.max_wrap_gap_em * prev.height,
                max_pitch=lay.max_pitch_em * prev.height if lay.max_pitch_em else None,
                indent_tol=0.5 * prev.height,
            ):
                no, text = out[-1]
                out[-1] = (no, text + join_char(text, ln.text, prev.trailing_space, lay.spaces_marked) + ln.text)
                prev = ln
                continue
        out.append((i + 1, ln.text))
        prev = ln
    return out


def _assemble(path: str, pages: list[_PageData], settings: PdfSettings, problems: list[Problem]) -> Document:
    drop = _running_lines(pages, settings)
    margins = _margins(pages, drop)
    pitch = _typical_pitch(pages, drop)
    spaces_marked = _spaces_marked(pages)
    blocks: list[Block | TableBuilder] = []
    open_table: TableBuilder | None = None  # the table that ended the previous page
    for pi, p in enumerate(pages):
        if p.ocr_blocks is not None:
            blocks.extend(p.ocr_blocks)
            open_table = None
            continue
        for t in p.tables:
            t.fill_text(max_gap_em=settings.max_cell_wrap_gap_em, spaces_marked=spaces_marked)
        items: list[tuple[float, int, Line | PageTable]] = [
            (ln.top, i, ln) for i, ln in enumerate(p.lines) if not p.in_table[i] and (pi, i) not in drop
        ]
        items += [(t.top, -1, t) for t in p.tables]
        items.sort(key=lambda it: (it[0], it[1]))
        left, right = margins.get(round(p.width), (0.0, p.width))
        lay = _Layout(left, right, settings.max_pitch_factor * pitch if pitch else None, spaces_marked)
        run: list[tuple[int, Line]] = []
        for n, (_, i, item) in enumerate(items):
            if isinstance(item, Line):
                run.append((i, item))
                continue
            blocks.extend(
                TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings)
            )
            run = []
            if n == 0 and open_table is not None and open_table.can_continue(item, settings.column_tolerance):
                open_table.add(item)
            else:
                open_table = TableBuilder(item, spaces_marked=spaces_marked, max_header_rows=settings.max_header_rows)
                blocks.append(open_table)
        blocks.extend(TextLine(text, SourceRef(page=p.number, line=no)) for no, text in _paragraphs(run, lay, settings))
        if not items or not isinstance(items[-1][2], PageTable):
            open_table = None
    out: list[Block] = [b.table() if isinstance(b, TableBuilder) else b for b in blocks]
    no_text = [p.number for p in pages if p.no_text and not p.ocr_blocks]
    if no_text:
        problems.append(
            Problem(
                "NO_TEXT_LAYER",
                "warning",
                f"{len(no_text)} of {len(pages)} pages have no text layer (scanned?) and were not read: "
                f"page{'s' if len(no_text) > 1 else ''} {_ranges(no_text)}",
                SourceRef(page=no_text[0]),
            )
        )
    with_content = {b.ref.page for b in out}
    ocr_pages = {p.number for p in pages if p.ocr_blocks}
    if not ocr_pages:
        source = "text"
    elif with_content <= ocr_pages:
        source = "ocr"
    else:
        source = "mixed"
    return Document(path=path, format="pdf", blocks=out, n_pages=len(pages), text_source=source, problems=problems)


def _ranges(nums: list[int]) -> str:
    """Compact page list.

    >>> _ranges([1, 2, 3, 5, 7, 8])
    '1-3, 5, 7-8'
    """
    out: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)


# --- OCR ------------------------------------------------------------------------------------

OCR_PACKAGES = "tesseract-ocr tesseract-ocr-tha"


@contextmanager
def _single_thread_omp() -> Iterator[None]:
    """Tesseract with more than one OpenMP thread is slower and erratic (research §6)."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


def _needs_ocr(p: _PageData) -> bool:
    d = p.diagnosis
    return d is not None and (d.status == "unusable" or (d.status == "empty" and (p.drawn or p.no_text)))


def _ocr_pages(path: str, pages: list[_PageData], settings: PdfSettings, problems: list[Problem]) -> None:
    """OCR the pages whose text is ``empty`` (a scan) or ``unusable``; their blocks replace the text."""
    need = [p for p in pages if _needs_ocr(p)]
    unusable = [p.number for p in need if p.diagnosis is not None and p.diagnosis.status == "unusable"]
    if not need:
        return
    if not settings.ocr:
        if unusable:
            problems.append(_unusable_problem(unusable, "OCR is turned off"))
        return
    try:
        ocr: Any = importlib.import_module("prongsai.extract.ocr")  # lazily: numpy, PIL
    except ImportError:
        ocr = None
    ocr_settings = (settings.ocr_settings if settings.ocr_settings is not None else ocr.OcrSettings()) if ocr else None
    if ocr is None or not _tesseract_available(ocr, ocr_settings):
        message = ocr.MISSING_TESSERACT_MESSAGE if ocr is not None else "the OCR module is not installed"
        problems.append(_ocr_unavailable([p.number for p in need], message))
        return
    done: list[int] = []
    confidence = words = 0.0
    page_confidences: list[float] = []
    with _single_thread_omp():
        for p in need:
            try:
                image = ocr.render_pdf_page(path, p.number - 1, ocr_settings.dpi, ocr_settings.max_page_pixels)
                try:
                    result = ocr.ocr_page(image, p.number, ocr_settings)
                except ExtractError as e:  # tesseract or its Thai data is missing after all
                    problems.append(_ocr_unavailable([q.number for q in need if q.number not in done], str(e)))
                    break
            except Exception as e:  # noqa: BLE001 - one page failing must not lose the document
                problems.append(
                    Problem(
                        "OCR_FAILED",
                        "warning",
                        f"OCR of page {p.number} failed: {type(e).__name__}: {e}",
                        SourceRef(page=p.number),
                    )
                )
                continue
            problems.extend(getattr(result, "problems", None) or [])
            if not result.blocks and not p.no_text and p.lines:
                continue  # OCR read nothing where the text layer has something: keep that
            p.ocr_blocks = list(result.blocks)
            p.lines, p.in_table, p.tables = [], [], []
            p.source = "ocr"
            done.append(p.number)
            confidence += result.mean_confidence * result.n_words
            words += result.n_words
            page_confidences.append(result.mean_confidence)
    if done:
        mean = confidence / words if words else (sum(page_confidences) / len(page_confidences))
        lang = getattr(ocr_settings, "languages", None) or "tha+eng"
        problems.append(
            Problem(
                "OCR_USED",
                "info",
                f"OCR (tesseract {lang}) on page{'s' if len(done) > 1 else ''} {_ranges(done)}; "
                f"mean confidence {mean:.1f}",
                SourceRef(page=done[0]),
            )
        )
    left = [n for n in unusable if n not in done]
    if left:
        problems.append(_unusable_problem(left, "OCR failed or read nothing"))


def _tesseract_available(ocr: Any, ocr_settings: Any) -> bool:
    try:
        return bool(ocr.tesseract_available(ocr_settings))
    except TypeError:  # the API without settings
        return bool(ocr.tesseract_available())


def _ocr_unavailable(numbers: list[int], message: str) -> Problem:
    if "tesseract-ocr-tha" not in message:
        message += f" (install the Debian packages {OCR_PACKAGES})"
    return Problem(
        "OCR_UNAVAILABLE",
        "error",
        f"page{'s' if len(numbers) > 1 else ''} {_ranges(numbers)} need OCR, which is not available: {message}",
        SourceRef(page=numbers[0]),
    )


def _unusable_problem(numbers: list[int], why: str) -> Problem:
    return Problem(
        "UNUSABLE_TEXT",
        "warning",
        f"the text layer of page{'s' if len(numbers) > 1 else ''} {_ranges(numbers)} is broken "
        f"(most Thai words unreadable or glyphs without Unicode) and was kept as it is: {why}",
        SourceRef(page=numbers[0]),
    )


# --- entry points -------------------------------------------------------------------------------


def _read_pages(path: str, settings: PdfSettings, problems: list[Problem]) -> list[_PageData]:
    """Every page read and diagnosed, with the better of the pypdfium2 and pdfplumber texts."""
    doc = _open(path)
    plumber = _Plumber(str(path), settings, problems)
    pages: list[_PageData] = []
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise ExtractError("not a valid PDF (no pages)")
        for index in range(n_pages):
            try:
                pages.append(_read_page(doc, index, plumber, settings))
            except pdfium.PdfiumError as e:
                problems.append(
                    Problem(
                        "PAGE_UNREADABLE", "warning", f"page {index + 1} cannot be read: {e}", SourceRef(page=index + 1)
                    )
                )
                pages.append(_PageData(index + 1, 0.0, 0.0))
        if settings.text_fallback:
            _text_fallback(pages, plumber, settings, problems)
    finally:
        plumber.close()
        doc.close()
    return pages


@dataclass(frozen=True)
class PageReport:
    """How one page's text was judged: ``pdfium`` is the diagnosis of the pypdfium2 text,
    ``chosen`` that of the text kept, which came from ``source`` (pdfium | pdfplumber)."""

    page: int
    source: str
    pdfium: PageDiagnosis
    chosen: PageDiagnosis

    @property
    def status(self) -> str:
        return self.chosen.status


def diagnose_pdf(path: str, settings: PdfSettings | None = None) -> list[PageReport]:
    """The diagnosis of every page of a PDF (no OCR is run).

    Raises :class:`~prongsai.model.ExtractError` like :func:`read_pdf`.
    """
    settings = settings or PdfSettings()
    pages = _read_pages(str(path), settings, [])
    empty = PageDiagnosis("empty", "page cannot be read")
    return [PageReport(p.number, p.source, p.first_diagnosis or empty, p.diagnosis or empty) for p in pages]


def read_pdf(path: str, settings: PdfSettings | None = None) -> Document:
    """Read a PDF into a :class:`~prongsai.model.Document`.

    Every page is diagnosed (:mod:`prongsai.extract.diagnose`); a page whose
    pypdfium2 text is not good is read with pdfplumber too and the better text is
    kept; pages left ``empty`` (scans) or ``unusable`` are OCR'd when tesseract is
    there (``settings.ocr``).

    Raises :class:`~prongsai.model.ExtractError` when the file cannot be read at
    all (missing, not a PDF, damaged, encrypted).
    """
    settings = settings or PdfSettings()
    problems: list[Problem] = []
    pages = _read_pages(str(path), settings, problems)
    _ocr_pages(str(path), pages, settings, problems)
    return _assemble(str(path), pages, settings, problems)


__all__ = ["CidSettings", "PageReport", "PdfSettings", "diagnose_pdf", "infer_cid_map", "read_pdf"]
