"""OCR engine: one page image -> blocks of the document model (Tesseract, Thai).

Pipeline for one page (:func:`ocr_page`):

1. **Clean-up**: greyscale, global Otsu threshold, speckle removal (ink pixels with
   almost no ink around them), and a light **deskew**: the angle that makes the
   horizontal ink profile sharpest (ruling lines and text lines both vote), searched
   in ``±max_skew`` degrees (scans are typically off by 0.3-0.8 degrees).
2. **Ruling lines**: long horizontal and vertical runs of ink (a morphological
   opening with a line element, done with cumulative sums in numpy). Lines that
   cross each other form a table; their distinct positions form its grid. A grid
   boundary whose separator is not drawn makes the two grid cells one merged cell:
   its text goes to every position it covers and :attr:`Table.spanned` holds the
   copies. Vertical lines running past the last horizontal one (a table cut by the
   page end) close the grid.
3. **Text lines**: the ink of every cell (ruling removed), and the ink outside the
   tables, is cut into text lines from its connected components. Thai stacks vowels
   and tone marks above and below the consonants; Tesseract's own layout analysis
   takes a row of stacked marks (``ี้``, ``ื่``) for a line of its own and then reads
   both wrongly (``ตัวชี้วัด`` -> ``av du`` + ``ตวชวด``). Here big components make the
   lines and every mark joins the nearest line body.
4. **OCR**: every line image is read as one line (``--psm 7``), all lines of a page in
   one Tesseract process per language set (an image list: the model loads once),
   ``OMP_THREAD_LIMIT=1``, TSV + text output (words with boxes and confidences; the
   text output gives Tesseract's word spacing, the TSV has Thai as single
   characters). Words in cells are read with ``cell_languages`` (``tha``: with
   ``eng`` short Thai words become Latin look-alikes, ``นับ`` -> ``wu``); running text
   and lone glyphs (a digit, a dash) with ``languages`` (``tha+eng``). Line images are
   scaled so that the page's typical glyph body is ``glyph_height`` pixels, whatever
   the scan resolution or font size. Short cell lines (header words, units, numbers)
   are read at three sizes and the most confident reading wins: Tesseract drops the
   tone mark of ``ที่`` at one size and not at the next, and one header cell decides
   whether the parser recognises a whole table.
5. **Ticks and dashes** (decided from pixels): a cell whose ink is one check-mark
   shaped stroke (about as wide as tall, lowest point left of centre, top reaching
   the right) and whose OCR text is empty or at most two characters without a digit
   becomes ``"✓"``; one short flat bar becomes ``"-"``.

Measured on the corpus scan (``d5_huathanon.pdf``, 200 dpi, skewed, noisy, JPEG): cell
lines read this way give a clean table; page-level OCR (``mode="page"``) or whole
cells (``mode="cells"``, ``--psm 6``) lose the header cells and with them the table.

Cell text joins its lines the Thai way: nothing between two Thai characters (a wrap
inside a word or phrase), a space otherwise. Text outside tables gives one
:class:`~prongsai.model.TextLine` per line. No Thai repair is done here (SARA AM comes
out as NIKHAHIT + SARA AA; the shared ``repair_thai`` fixes it later).

References: ``SourceRef(page=page_no, line=k)``, k counting the page's visual lines
from the top (each table row counts as one line), 1-based.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from prongsai.model import ExtractError, Problem, SourceRef, Table, TextLine

__all__ = [
    "MISSING_TESSERACT_MESSAGE",
    "OcrPage",
    "OcrSettings",
    "TICK",
    "estimate_skew",
    "ocr_page",
    "render_pdf_page",
    "tesseract_available",
]

MISSING_TESSERACT_MESSAGE = (
    "this file needs OCR but the Tesseract OCR program with Thai language data is not installed; "
    "install the Debian packages tesseract-ocr tesseract-ocr-tha (apt-get install tesseract-ocr tesseract-ocr-tha)"
)
TICK = "\u2713"  # ✓

_MARK_RE = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # Thai vowel and tone marks
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]")
#: a bare page number: ``12``, ``- 12 -``, ``(12)``; ``-q-`` is an OCR'd ``- 4 -``
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[\-\u2013\u2014.|(]*\s*[0-9\u0e50-\u0e59]{1,3}\s*[\-\u2013\u2014.|)]*|[\-\u2013\u2014]\s*\S{1,3}\s*[\-\u2013\u2014])\s*$"
)


@dataclass
class OcrSettings:
    """Everything that tunes the OCR engine (defaults measured on the corpus scan)."""

    #: Tesseract languages for running text (and lone glyphs in cells: digits, dashes)
    languages: str = "tha+eng"
    #: languages for words in table cells: without ``eng`` short Thai words are not read
    #: as Latin look-alikes (``นับ`` -> ``wu``)
    cell_languages: str = "tha"
    #: resolution used to render PDF pages (and assumed for images without a dpi tag)
    dpi: int = 200
    #: a page larger than this many pixels at ``dpi`` (a poster-sized or corrupt page box)
    #: is rendered at the lower resolution that fits: memory and time stay bounded
    #: (A4 at 200 dpi is 3.7 million pixels, A2 at 200 dpi 15.6 million)
    max_page_pixels: int = 36_000_000
    #: how text outside tables is read: ``"lines"``: cut into lines like cell text and
    #: read line by line; ``"page"``: Tesseract's own layout analysis (``psm``)
    text_mode: str = "lines"
    #: Tesseract page segmentation mode for ``text_mode="page"``
    psm: int = 3
    #: how table cells are read: ``"lines"``: every text line of every cell is cut out
    #: (Thai marks kept with their line) and read as one line (``line_psm``);
    #: ``"cells"``: every cell read as a block (``cell_psm``); ``"page"``: the page is
    #: read once and words go to the cell holding their box centre
    mode: str = "lines"
    line_psm: int = 7
    #: line images are scaled so that the page's typical glyph body (the median height
    #: of its consonant-sized components) is this many pixels: Tesseract then sees the
    #: same glyph size whatever the scan resolution or font size (36 px: a 16 pt Thai
    #: font at 300 dpi; measured best on the corpus scan)
    glyph_height: float = 36.0
    #: a fixed scale factor for line images instead (None: from ``glyph_height``)
    line_scale: float | None = None
    #: cell lines of at most this many consonant-sized glyphs (header words, units,
    #: numbers) are read at each of ``vote_scales`` (relative sizes); the most confident
    #: reading wins
    vote_max_glyphs: int = 3
    vote_scales: tuple[float, ...] = (1.0, 0.67, 1.33)
    cell_psm: int = 6
    #: shortest ruling line, in inches (the strokes of large letters must stay below it)
    min_line_inch: float = 0.35
    #: a drawn separator must cover this share of the grid cell's side
    min_separator_cover: float = 0.75
    deskew: bool = True
    max_skew: float = 2.0  # degrees searched either way
    min_skew: float = 0.05  # do not rotate for less than this
    despeckle: bool = True
    #: seconds allowed for one Tesseract call
    timeout: float = 120.0
    tesseract_cmd: str = "tesseract"
    #: Tesseract processes run at once for one page (text + cells); 1 = one after the other
    max_procs: int = 1
    #: text lines outside tables whose mean word confidence is below this and that have
    #: fewer than 3 Thai letters are dropped as noise
    min_line_conf: float = 45.0
    drop_page_numbers: bool = True
    tick: str = TICK


@dataclass
class Word:
    """One Tesseract word: text, box (pixels of the image OCR'd), confidence 0-100 and
    the (block, paragraph, line) it belongs to."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line_key: tuple[int, int, int]
    space_before: bool = True

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


@dataclass
class OcrPage:
    """The blocks of one page in reading order; the mean Tesseract confidence (0-100,
    over the symbols it read: Thai comes out one character per TSV "word"); the number
    of words in the page's text (space-separated, table cells counted once); the skew
    corrected (degrees); ``problems`` says what went wrong on a page that gave nothing."""

    blocks: list[TextLine | Table]
    mean_confidence: float
    n_words: int
    skew: float = 0.0
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- tesseract


def tesseract_available(settings: OcrSettings | None = None) -> bool:
    """Is the Tesseract program on PATH (Thai data is checked when it runs)?"""
    cmd = (settings or OcrSettings()).tesseract_cmd
    return shutil.which(cmd) is not None


def _run_tesseract(images: Sequence[Image.Image], psm: int, dpi: int, settings: OcrSettings,
                   languages: str | None = None) -> list[list[Word]]:
    """OCR several images in one Tesseract process (an image list: the language model
    loads once); for each image its words (Thai: single characters) in Tesseract's
    order, each flagged with whether Tesseract's text output puts a space before it."""
    if not images:
        return []
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="prongsai-ocr-") as tmp:
        names = []
        for i, im in enumerate(images):
            name = os.path.join(tmp, f"i{i:05d}.png")
            im.save(name, format="PNG", compress_level=1)
            names.append(name)
        listing = os.path.join(tmp, "images.txt")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.write("\n".join(names) + "\n")
        base = os.path.join(tmp, "out")
        langs = languages or settings.languages
        cmd = [settings.tesseract_cmd, listing, base, "-l", langs, "--psm", str(psm),
               "--dpi", str(dpi), "tsv", "txt"]
        timeout = settings.timeout * max(1.0, len(images) / 20)
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, check=False)
        except FileNotFoundError as e:
            raise ExtractError(MISSING_TESSERACT_MESSAGE) from e
        except subprocess.TimeoutExpired as e:
            raise _PageFailure(f"OCR took longer than {timeout:g} s") from e
        except OSError as e:
            raise _PageFailure(f"Tesseract could not be started ({e})") from e
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0:
            if "Failed loading language" in err or "couldn't load any languages" in err:
                raise ExtractError(
                    f"Tesseract has no language data for '{langs}'; "
                    "install the Debian packages tesseract-ocr-tha tesseract-ocr-eng"
                )
            last = next((ln for ln in reversed(err.strip().splitlines()) if ln.strip()), "no message")
            raise _PageFailure(f"Tesseract failed (exit code {proc.returncode}: {last.strip()})")
        try:
            with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
                tsv = fh.read()
            with open(base + ".txt", encoding="utf-8", errors="replace") as fh:
                txt = fh.read()
        except OSError as e:
            raise _PageFailure(f"Tesseract wrote no output ({e})") from e
    per_page: list[list[Word]] = [[] for _ in images]
    for page, wd in _parse_tsv(tsv):
        if 1 <= page <= len(images):
            per_page[page - 1].append(wd)
    texts = txt.split("\f")  # the text renderer puts a form feed between images
    for i, words in enumerate(per_page):
        _mark_spaces(words, texts[i] if i < len(texts) else "")
    return per_page


class _PageFailure(Exception):
    """One Tesseract call failed (timeout, crash): the page is returned empty."""


def _parse_tsv(tsv: str) -> list[tuple[int, Word]]:
    """(image number, word) for every word with text."""
    words: list[tuple[int, Word]] = []
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            page, block, par, line = int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4])
            left, top, width, height = (int(p) for p in parts[6:10])
            conf = float(parts[10])
        except ValueError:
            continue
        words.append((page, Word(text, left, top, width, height, max(conf, 0.0), (block, par, line))))
    return words


def _mark_spaces(words: list[Word], txt: str) -> None:
    """Copy Tesseract's spacing from its text output onto the TSV words.

    For Thai the TSV "words" are single characters and carry no spacing, while the
    text output has the real word spaces; both list the same characters in the same
    order, so walking them side by side tells which word follows a space.
    """
    pos = 0
    n = len(txt)
    for i, wd in enumerate(words):
        start = pos
        while pos < n and txt[pos].isspace():
            pos += 1
        if txt.startswith(wd.text, pos):
            wd.space_before = pos > start
            pos += len(wd.text)
            continue
        # out of step (should not happen): look a little ahead, else guess from the gap
        j = txt.find(wd.text, start, start + 200)
        if j >= 0:
            wd.space_before = any(ch.isspace() for ch in txt[start:j])
            pos = j + len(wd.text)
        else:
            pos = start
            prev = words[i - 1] if i else None
            wd.space_before = bool(prev and prev.line_key == wd.line_key
                                   and wd.left - (prev.left + prev.width) > 0.35 * max(wd.height, prev.height, 1))


# --------------------------------------------------------------------------- image clean-up


def _otsu(gray: np.ndarray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    mt = m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def _box_sum(a: np.ndarray, r: int) -> np.ndarray:
    """Sum of ``a`` over the (2r+1)^2 window around every pixel (zero padding)."""
    p = np.pad(a.astype(np.int32), ((r + 1, r), (r + 1, r)))
    c = p.cumsum(0).cumsum(1)
    k = 2 * r + 1
    return c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]


def _despeckle(ink: np.ndarray, r: int = 3, min_count: int = 8) -> np.ndarray:
    """Drop ink pixels with fewer than ``min_count`` ink pixels in their window
    (scanner dust, JPEG specks); strokes, dots and tone marks survive."""
    return ink & (_box_sum(ink, r) >= min_count)


def _binarise(gray: np.ndarray, settings: OcrSettings) -> tuple[np.ndarray, np.ndarray]:
    """(raw ink, ink without specks): ruling lines are found in the raw ink (a
    one-pixel line has too few neighbours to survive speck removal)."""
    thr = _otsu(gray)
    thr = min(thr, 200)  # a near-blank page has no useful bimodal histogram
    raw = gray < thr
    return raw, (_despeckle(raw) if settings.despeckle else raw)


def estimate_skew(ink: np.ndarray, max_angle: float = 2.0) -> float:
    """The rotation (degrees, PIL's counter-clockwise sense) that makes the ink's row
    profile sharpest: rotating the page by it levels text lines and ruling lines."""
    h, w = ink.shape
    if not ink.any():
        return 0.0
    f = max(1, round(max(h, w) / 1400))
    small = ink[: h - h % f, : w - w % f].reshape(h // f, f, w // f, f).any(axis=(1, 3))
    img = Image.fromarray((small * 255).astype(np.uint8))

    def score(angle: float) -> float:
        rot = np.asarray(img.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0), dtype=np.float64)
        prof = rot.sum(axis=1)
        return float(np.sum(np.diff(prof) ** 2))

    best = 0.0
    step = 0.2
    angles = np.arange(-max_angle, max_angle + 1e-9, step)
    scores = [score(float(a)) for a in angles]
    best = float(angles[int(np.argmax(scores))])
    for fine in (0.05, 0.01):
        cand = np.arange(best - step, best + step + 1e-9, fine)
        scores = [score(float(a)) for a in cand]
        best = float(cand[int(np.argmax(scores))])
        step = fine
    return round(best, 2)


# --------------------------------------------------------------------------- ruling lines


def _open_1d(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Morphological opening with a ``length``-pixel line along ``axis``: the ink
    pixels that lie on a straight run at least ``length`` long."""
    a = ink if axis == 1 else ink.T
    h, w = a.shape
    if w < length or length < 2:
        return np.zeros_like(ink)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(a, axis=1, out=c[:, 1:])
    starts = (c[:, length:] - c[:, :-length]) == length  # h x (w-length+1)
    cs = np.zeros((h, starts.shape[1] + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=cs[:, 1:])
    j = np.arange(w)
    hi = np.minimum(j, w - length) + 1
    lo = np.maximum(j - length + 1, 0)
    out = (cs[:, hi] - cs[:, lo]) > 0
    return out if axis == 1 else out.T


def _runs(flags: np.ndarray, max_gap: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the True runs in a 1-D array (end exclusive), joining runs
    separated by at most ``max_gap`` False values."""
    idx = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    runs = [(int(s), int(e)) for s, e in zip(idx[::2], idx[1::2], strict=True)]
    merged: list[tuple[int, int]] = []
    for s, e in runs:
        if merged and s - merged[-1][1] <= max_gap:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


@dataclass
class _Seg:
    pos: float  # y of a horizontal line, x of a vertical one
    a: int  # start along the line
    b: int  # end along the line
    thick: int


def _segments(mask: np.ndarray, axis: int, length: int, gap: int) -> list[_Seg]:
    """Line segments of an opened mask: horizontal ones (axis=1) as y + x-range."""
    m = mask if axis == 1 else mask.T
    prof = m.any(axis=1)
    segs: list[_Seg] = []
    for s, e in _runs(prof, max_gap=1):
        band = m[s:e]
        for a, b in _runs(band.any(axis=0), max_gap=gap):
            if b - a < length:
                continue
            rows = band[:, a:b].sum(axis=1)
            pos = float(np.average(np.arange(s, e), weights=rows)) if rows.sum() else (s + e) / 2
            segs.append(_Seg(pos, a, b, e - s))
    return segs


def _cluster(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(g)) for g in out]


@dataclass
class _Grid:
    xs: list[int]
    ys: list[int]
    #: merged cells: origin (r, c) -> list of covered (r, c)
    regions: dict[tuple[int, int], list[tuple[int, int]]]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.p[max(a, b)] = min(a, b)


def _find_grids(ink: np.ndarray, dpi: int, settings: OcrSettings) -> tuple[list[_Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of all ruling pixels."""
    h, w = ink.shape
    length = max(20, round(settings.min_line_inch * dpi))
    # tolerate a one-pixel step of a slightly slanted line
    hband = ink.copy()
    hband[1:] |= ink[:-1]
    vband = ink.copy()
    vband[:, 1:] |= ink[:, :-1]
    hmask = _open_1d(hband, length, axis=1) & ink
    vmask = _open_1d(vband, length, axis=0) & ink
    gap = max(3, length // 8)
    hsegs = _segments(hmask, 1, length, gap)
    vsegs = _segments(vmask, 0, length, gap)
    lines = hmask | vmask
    if not hsegs or not vsegs:
        return [], lines
    tol = max(6, length // 6)
    uf = _UnionFind(len(hsegs) + len(vsegs))
    for i, hs in enumerate(hsegs):
        for j, vs in enumerate(vsegs):
            if hs.a - tol <= vs.pos <= hs.b + tol and vs.a - tol <= hs.pos <= vs.b + tol:
                uf.union(i, len(hsegs) + j)
    comps: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, hs in enumerate(hsegs):
        comps.setdefault(uf.find(i), ([], []))[0].append(hs)
    for j, vs in enumerate(vsegs):
        comps.setdefault(uf.find(len(hsegs) + j), ([], []))[1].append(vs)
    grids: list[_Grid] = []
    min_cell = max(8, length // 4)
    for hs_list, vs_list in comps.values():
        if not hs_list or not vs_list:
            continue
        ys = _cluster([s.pos for s in hs_list], tol / 2)
        xs = _cluster([s.pos for s in vs_list], tol / 2)
        # a table cut by the page edge: lines running past the outermost cross line close it
        if max(s.b for s in vs_list) > ys[-1] + min_cell:
            ys.append(float(max(s.b for s in vs_list)))
        if min(s.a for s in vs_list) < ys[0] - min_cell:
            ys.insert(0, float(min(s.a for s in vs_list)))
        if max(s.b for s in hs_list) > xs[-1] + min_cell:
            xs.append(float(max(s.b for s in hs_list)))
        if min(s.a for s in hs_list) < xs[0] - min_cell:
            xs.insert(0, float(min(s.a for s in hs_list)))
        if len(ys) < 2 or len(xs) < 2:
            continue
        if len(ys) == 2 and len(xs) == 2:
            continue  # a lone frame (a boxed title) is not a table
        xi = [round(x) for x in xs]
        yi = [round(y) for y in ys]
        grids.append(_Grid(xi, yi, _merge_cells(ink, xi, yi, settings)))
    grids.sort(key=lambda g: g.ys[0])
    return grids, lines


def _drawn(ink: np.ndarray, pos: int, a: int, b: int, axis: int, cover: float) -> bool:
    """Is a separator drawn at ``pos`` between ``a`` and ``b`` (vertical when axis=0)?"""
    m = max(3, (b - a) // 12)
    a, b = a + m, b - m
    if b <= a:
        return True
    t = 4
    if axis == 0:
        band = ink[a:b, max(0, pos - t): pos + t + 1].any(axis=1)
    else:
        band = ink[max(0, pos - t): pos + t + 1, a:b].any(axis=0)
    return bool(band.size) and float(band.mean()) >= cover


def _merge_cells(ink: np.ndarray, xs: list[int], ys: list[int],
                 settings: OcrSettings) -> dict[tuple[int, int], list[tuple[int, int]]]:
    nr, nc = len(ys) - 1, len(xs) - 1
    uf = _UnionFind(nr * nc)
    cov = settings.min_separator_cover
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _drawn(ink, xs[c + 1], ys[r], ys[r + 1], 0, cov):
                uf.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _drawn(ink, ys[r + 1], xs[c], xs[c + 1], 1, cov):
                uf.union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(uf.find(r * nc + c), []).append((r, c))
    return {min(cells): sorted(cells) for cells in groups.values()}


# --------------------------------------------------------------------------- connected components


@dataclass
class _Comp:
    """A connected piece of ink: its box (x0, y0, x1, y1 exclusive), pixel count and runs."""

    x0: int
    y0: int
    x1: int
    y1: int
    area: int
    runs: list[tuple[int, int, int]]  # (y, x_start, x_end exclusive)

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _components(mask: np.ndarray) -> list[_Comp]:
    """8-connected components of a boolean image (run-length labelling)."""
    h, w = mask.shape
    if not mask.any():
        return []
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    ys, xs = np.nonzero(d == 1)
    ye, xe = np.nonzero(d == -1)
    ry: list[int] = ys.tolist()
    rs: list[int] = xs.tolist()
    re_: list[int] = xe.tolist()
    del ye
    n = len(rs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_start = np.searchsorted(ys, np.arange(h + 1)).tolist()
    for y in range(1, h):
        i, i1 = row_start[y - 1], row_start[y]
        j, j1 = row_start[y], row_start[y + 1]
        while i < i1 and j < j1:
            if rs[j] <= re_[i] and rs[i] <= re_[j]:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            if re_[i] < re_[j]:
                i += 1
            else:
                j += 1
    comps: dict[int, _Comp] = {}
    for k in range(n):
        root = find(k)
        y, s, e = ry[k], rs[k], re_[k]
        c = comps.get(root)
        if c is None:
            comps[root] = _Comp(s, y, e, y + 1, e - s, [(y, s, e)])
        else:
            c.x0, c.x1, c.y1 = min(c.x0, s), max(c.x1, e), max(c.y1, y + 1)
            c.area += e - s
            c.runs.append((y, s, e))
    return list(comps.values())


# --------------------------------------------------------------------------- cells


@dataclass
class _LineCut:
    """One text line cut out of a cell or the page."""

    image: np.ndarray
    n_base: int  # big glyphs in it (1: a lone glyph such as ``4``, ``-``, a tick or ``ที่``)
    height: float  # their median height, pixels
    top: int  # y on the page

    @property
    def lone(self) -> bool:
        return self.n_base == 1


@dataclass
class _Cell:
    origin: tuple[int, int]
    covered: list[tuple[int, int]]
    cell_box: tuple[int, int, int, int]  # page pixels (x0, y0, x1, y1) between the ruling lines
    lines: list[_LineCut] = field(default_factory=list)
    shape: str | None = None  # "tick" | "dash" when the ink is one such mark
    text: str = ""


def _cell_box(grid: _Grid, cells: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    r0 = min(r for r, _ in cells)
    r1 = max(r for r, _ in cells)
    c0 = min(c for _, c in cells)
    c1 = max(c for _, c in cells)
    return grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1]


def _mark_shape(comps: list[_Comp], dpi: int) -> str | None:
    """``"tick"`` for one small check mark (✓ ✔ √: about as wide as tall, thin strokes,
    its lowest point left of centre and its top reaching the right side), ``"dash"`` for
    one short flat bar, else None. Digits are taller than wide, which keeps a lone
    ``4`` or ``1`` in a number column from passing for a tick."""
    if len(comps) != 1:
        return None
    c = comps[0]
    w, h = c.w, c.h
    if 0.03 * dpi <= w <= 0.3 * dpi and h <= max(3, 0.35 * w) and h <= 0.07 * dpi:
        return "dash"
    lo, hi = 0.04 * dpi, 0.3 * dpi
    if not (lo <= h <= hi and lo <= w <= hi):
        return None
    if not 0.75 <= w / h <= 1.8:
        return None
    if c.area / (w * h) > 0.5:
        return None  # a filled blob (a bullet or a smudge), not a stroke
    band = max(1, h // 6)
    bottom = [x for y, s, e in c.runs if y >= c.y1 - band for x in (s, e - 1)]
    top = [e - 1 for y, s, e in c.runs if y < c.y0 + band]
    if (sum(bottom) / len(bottom) - c.x0) / w >= 0.55 or (max(top) - c.x0) / w < 0.6:
        return None
    return "tick"


def _text_lines(comps: list[_Comp]) -> list[tuple[list[_Comp], int, float]]:
    """Group a cell's components into text lines, top to bottom.

    Thai stacks vowels and tone marks above and below the consonants; those marks are
    separate components that a line finder easily takes for lines of their own. Here
    the big components (consonants, full vowels, digits) make the lines, and every
    small one joins the line whose body is nearest. Returns each line's components,
    how many big ones it has (1: a lone glyph such as ``4``, ``-`` or a tick) and their
    median height.
    """
    heights = sorted(c.h for c in comps)
    ref = heights[min(len(heights) - 1, int(0.75 * len(heights)))]
    base = [c for c in comps if c.h >= 0.55 * ref]
    small = [c for c in comps if c.h < 0.55 * ref]
    xh = float(np.median([c.h for c in base]))
    base.sort(key=lambda c: c.cy)
    lines: list[list[_Comp]] = []
    for c in base:
        if lines and c.cy - float(np.mean([b.cy for b in lines[-1]])) <= 0.7 * xh:
            lines[-1].append(c)
        else:
            lines.append([c])
    # a "line" of stacked marks (ี้ is nearly as tall as a consonant) sits right on top of
    # (or under) a real line: fold it into that line
    while len(lines) > 1:
        gaps = [min(c.y0 for c in lines[i + 1]) - max(c.y1 for c in lines[i]) for i in range(len(lines) - 1)]
        i = int(np.argmin(gaps))
        if gaps[i] >= 0.35 * xh:
            break
        lines[i] += lines.pop(i + 1)
    n_base = [len(ln) for ln in lines]
    heights = [float(np.median([c.h for c in ln])) for ln in lines]
    bodies = [(float(np.median([b.y0 for b in ln])), float(np.median([b.y1 for b in ln]))) for ln in lines]
    for c in small:
        cy = c.cy
        best = min(range(len(lines)), key=lambda i: max(bodies[i][0] - cy, cy - bodies[i][1], 0.0) + 0.01 * i)
        lines[best].append(c)
    return list(zip(lines, n_base, heights, strict=True))


def _line_image(gray: np.ndarray, comps: list[_Comp], ox: int, oy: int, pad: int) -> np.ndarray:
    """The line's own ink on white: grey levels of its components, one pixel of
    anti-aliasing around them, and faint pixels (lighter than the threshold, thin
    strokes) up to three pixels away; nothing of the neighbouring lines or the ruling."""
    m = 3
    x0 = min(c.x0 for c in comps) - m
    y0 = min(c.y0 for c in comps) - m
    x1 = max(c.x1 for c in comps) + m
    y1 = max(c.y1 for c in comps) + m
    mask = np.zeros((y1 - y0, x1 - x0), dtype=bool)
    for c in comps:
        for y, s, e in c.runs:
            mask[y - y0, s - x0: e - x0] = True
    gh, gw = gray.shape
    sy0, sx0 = oy + y0, ox + x0
    src = np.full(mask.shape, 255, dtype=np.uint8)
    ya, xa = max(0, sy0), max(0, sx0)
    yb, xb = min(gh, sy0 + mask.shape[0]), min(gw, sx0 + mask.shape[1])
    src[ya - sy0: yb - sy0, xa - sx0: xb - sx0] = gray[ya:yb, xa:xb]
    keep = _widen(mask, 1) | (_widen(mask, 3) & (src < 215))
    out = np.where(keep, src, 255).astype(np.uint8)
    return np.pad(out, pad, constant_values=255)


def _scaled(a: np.ndarray, scale: float) -> Image.Image:
    im = Image.fromarray(a)
    if abs(scale - 1) < 1e-3:
        return im
    return im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.LANCZOS)


def _read_cell(gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, box: tuple[int, int, int, int],
               dpi: int) -> tuple[list[_LineCut], str | None]:
    """Cut one cell: its text lines and its mark shape (tick/dash)."""
    h, w = ink.shape
    x0, y0, x1, y1 = box
    inset = 2
    cx0, cy0 = max(0, x0 + inset), max(0, y0 + inset)
    cx1, cy1 = min(w, x1 - inset + 1), min(h, y1 - inset + 1)
    if cx1 - cx0 < 4 or cy1 - cy0 < 4:
        return [], None
    sub = ink[cy0:cy1, cx0:cx1] & ~lines_mask[cy0:cy1, cx0:cx1]
    min_area = max(4, round(6 * (dpi / 200) ** 2))
    thin = max(3, dpi // 60)
    sh, sw = sub.shape
    comps = [c for c in _components(sub) if c.area >= min_area
             and not (c.h <= thin and c.w >= 0.5 * sw)  # leftovers of a ruling line
             and not (c.w <= thin and c.h >= 0.5 * sh)]
    if not comps:
        return [], None
    pad = max(8, dpi // 20)
    # a glyph alone (a digit, a dash) reads better with more white around it; not a
    # glyph with marks (ที่ loses its tone mark that way)
    lines = [_LineCut(_line_image(gray, ln, cx0, cy0, 3 * pad if len(ln) == 1 else pad), n, hgt,
                      cy0 + min(c.y0 for c in ln))
             for ln, n, hgt in _text_lines(comps)]
    return lines, _mark_shape(comps, dpi)


def _page_lines(gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, grids: list[_Grid],
                dpi: int) -> list[_LineCut]:
    """The text lines outside the tables, top to bottom.

    Cut the same way as cell lines, so that stacked Thai marks stay on their line
    (Tesseract's own page layout analysis splits them off in bold or large text)."""
    sub = ink & ~lines_mask
    for g in grids:
        x0, y0, x1, y1 = g.box
        sub[max(0, y0 - 3): y1 + 4, max(0, x0 - 3): x1 + 4] = False
    min_area = max(4, round(6 * (dpi / 200) ** 2))
    big = 0.12 * max(sub.shape)  # logos, stamps, signatures: not text
    comps = [c for c in _components(sub) if c.area >= min_area and c.h < big and c.w < 4 * big]
    if not comps:
        return []
    pad = max(8, dpi // 20)
    return [_LineCut(_line_image(gray, ln, 0, 0, pad), n, hgt, min(c.y0 for c in ln))
            for ln, n, hgt in _text_lines(comps)]


def _cells_of(grid: _Grid, gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, dpi: int) -> list[_Cell]:
    out: list[_Cell] = []
    for origin, covered in sorted(grid.regions.items()):
        box = _cell_box(grid, covered)
        cell = _Cell(origin, covered, box)
        cell.lines, cell.shape = _read_cell(gray, ink, lines_mask, box, dpi)
        out.append(cell)
    return out


# --------------------------------------------------------------------------- text assembly


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def _join_lines(lines: list[str]) -> str:
    """Join the OCR lines of one cell: nothing between two Thai characters or at a
    ``/``/``-`` break, a space otherwise.

    >>> _join_lines(["โครงการฝึกอบรม", "คุณธรรม และ", "1 ครั้ง"])
    'โครงการฝึกอบรมคุณธรรม และ 1 ครั้ง'
    """
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
        elif (_is_thai(out[-1]) and _is_thai(ln[0])) or out[-1] in "/-" or ln[0] == "/":
            out += ln
        else:
            out += " " + ln
    return out


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into Tesseract lines, top to bottom, each in reading order."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for wd in words:
        by_line.setdefault(wd.line_key, []).append(wd)
    lines = list(by_line.values())
    lines.sort(key=lambda ws: (min(x.top for x in ws), min(x.left for x in ws)))
    return lines


def _line_text(ws: list[Word]) -> str:
    return "".join((" " if i and wd.space_before else "") + wd.text for i, wd in enumerate(ws))


def _vote(readings: list[tuple[str, float]]) -> str:
    """The best of a line's readings at several sizes: the most confident one (when
    Tesseract drops a mark, ``ที่`` -> ``ที``, its confidence drops too); readings that
    agree add a little. Empty readings only win when there is nothing else.

    >>> _vote([("ที", 86.0), ("ที่", 93.0), ("ที", 81.0)])
    'ที่'
    >>> _vote([("", 0.0), ("4", 83.0), ("q", 76.0)])
    '4'
    """
    counts: dict[str, int] = {}
    for text, _ in readings:
        key = "".join(text.split())
        counts[key] = counts.get(key, 0) + 1
    scored = [(conf + 2.0 * (counts["".join(text.split())] - 1), text) for text, conf in readings if text.strip()]
    return max(scored)[1] if scored else ""


def _is_mark_text(text: str) -> bool:
    """What Tesseract makes of a lone mark: nothing, or at most two characters (Thai
    combining marks not counted) and no digit (``v``, ``/``, ``J``, ``“``, ``เ``).

    >>> [_is_mark_text(t) for t in ("", "v", "/”", "เม", "4", "ครั้ง")]
    [True, True, True, True, False, False]
    """
    s = "".join(text.split())
    if any(ch.isdigit() for ch in s):
        return False
    return len(_MARK_RE.sub("", s)) <= 2


# --------------------------------------------------------------------------- the page


def _image_dpi(image: Image.Image, settings: OcrSettings) -> int:
    info = image.info.get("dpi")
    if isinstance(info, tuple) and info and info[0]:
        try:
            d = int(round(float(info[0])))
        except (TypeError, ValueError):
            d = 0
        if 20 <= d <= 1200:
            return d
    return settings.dpi


def ocr_page(image: Image.Image, page_no: int, settings: OcrSettings | None = None) -> OcrPage:
    """OCR one page image into TextLines and Tables in reading order.

    Raises :class:`ExtractError` when Tesseract or its Thai data is missing; a page
    on which Tesseract fails (timeout, crash) comes back empty with confidence 0 and
    a problem saying why.
    """
    s = settings or OcrSettings()
    if not tesseract_available(s):
        raise ExtractError(MISSING_TESSERACT_MESSAGE)
    if s.mode not in ("lines", "cells", "page") or s.text_mode not in ("lines", "page"):
        raise ValueError(f"unknown OCR mode {s.mode!r} / text mode {s.text_mode!r}")
    dpi = _image_dpi(image, s)
    gray_img = image.convert("L")
    gray = np.asarray(gray_img)
    raw = gray < min(_otsu(gray), 200)
    skew = 0.0
    if s.deskew and raw.any():
        skew = estimate_skew(raw, s.max_skew)
        if abs(skew) >= s.min_skew:
            gray_img = gray_img.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
            gray = np.asarray(gray_img)
        else:
            skew = 0.0
    raw, ink = _binarise(gray, s)
    if not ink.any():
        return OcrPage([], 0.0, 0, skew)
    try:
        return _ocr_clean_page(gray, raw, ink, dpi, page_no, skew, s)
    except _PageFailure as e:
        return OcrPage([], 0.0, 0, skew, [Problem("OCR_FAILED", "warning", f"page {page_no}: {e}",
                                                  SourceRef(page=page_no))])


def _widen(mask: np.ndarray, r: int) -> np.ndarray:
    out = mask.copy()
    for sh in range(1, r + 1):
        out[sh:] |= mask[:-sh]
        out[:-sh] |= mask[sh:]
        out[:, sh:] |= mask[:, :-sh]
        out[:, :-sh] |= mask[:, sh:]
    return out


def _ocr_clean_page(gray: np.ndarray, raw: np.ndarray, ink: np.ndarray, dpi: int, page_no: int, skew: float,
                    s: OcrSettings) -> OcrPage:
    text_mode = "page" if s.mode == "page" else s.text_mode  # page mode reads everything at once
    grids, lines = _find_grids(raw, dpi, s)
    lines_wide = _widen(lines, 2)  # anti-aliased line edges go too
    cells_per_grid = [_cells_of(g, gray, ink, lines_wide, dpi) for g in grids]
    todo = [c for cells in cells_per_grid for c in cells if c.lines]
    prose = _page_lines(gray, ink, lines_wide, grids, dpi) if text_mode == "lines" else []
    scale = _line_scale([ln for c in todo for ln in c.lines] + prose, s)
    line_dpi = round(dpi * scale)
    jobs: list[_Job] = []  # jobs[0] reads the text outside the tables (or the whole page)
    if text_mode == "lines":
        jobs.append(_Job([_scaled(ln.image, scale) for ln in prose], s.line_psm, line_dpi, s.languages))
    else:
        # the page as Tesseract sees it: only real ink (grey levels one pixel around it),
        # no ruling, no specks (scanner noise on an empty page can make Tesseract crawl)
        page = np.where(_widen(ink, 1) & ~lines_wide, gray, 255).astype(np.uint8)
        if s.mode != "page":
            for g in grids:
                x0, y0, x1, y1 = g.box
                page[max(0, y0 - 2): y1 + 3, max(0, x0 - 2): x1 + 3] = 255
        enough = int((page < 128).sum()) >= max(20, (dpi // 20) ** 2)  # anything left to read?
        jobs.append(_Job([Image.fromarray(page)] if enough else [], s.psm, dpi, s.languages))
    if s.mode == "lines" and todo:
        # Thai words read best without the Latin model (it turns short words into Latin
        # look-alikes: นับ -> wu); a lone glyph (a digit, a dash, a tick) needs it.
        # Tesseract reads short lines unsteadily (ที่ loses its tone mark at one size and
        # not at the next, and a header cell decides a whole table), so lines of a few
        # glyphs are read at several sizes and the readings vote.
        refs = [(ci, li) for ci, c in enumerate(todo) for li in range(len(c.lines))]
        long_ = [(ci, li, 0) for ci, li in refs if todo[ci].lines[li].n_base > s.vote_max_glyphs]
        short = [(ci, li, v) for ci, li in refs if 1 < todo[ci].lines[li].n_base <= s.vote_max_glyphs
                 for v in range(len(s.vote_scales))]
        lone = [(ci, li, v) for ci, li in refs if todo[ci].lines[li].lone for v in range(len(s.vote_scales))]
        for group, langs in ((long_ + short, s.cell_languages), (lone, s.languages)):
            if group:
                factors = [1.0 if v == 0 and todo[ci].lines[li].n_base > s.vote_max_glyphs else s.vote_scales[v]
                           for ci, li, v in group]
                jobs.append(_Job([_scaled(todo[ci].lines[li].image, scale * f) for (ci, li, _), f in
                                  zip(group, factors, strict=True)], s.line_psm, line_dpi, langs, group))
    elif s.mode == "cells" and todo:
        jobs.append(_Job([_scaled(_stack_lines([ln.image for ln in c.lines]), scale) for c in todo],
                         s.cell_psm, line_dpi, s.cell_languages, [(ci, 0, 0) for ci in range(len(todo))]))
    if s.max_procs > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=min(s.max_procs, len(jobs))) as ex:
            results = list(ex.map(lambda jb: _run_tesseract(jb.images, jb.psm, jb.dpi, s, jb.languages), jobs))
    else:
        results = [_run_tesseract(jb.images, jb.psm, jb.dpi, s, jb.languages) for jb in jobs]
    page_words = results[0][0] if results[0] and text_mode != "lines" else []
    all_words = [wd for ws in results[0] for wd in ws]
    if s.mode in ("lines", "cells"):
        readings: dict[tuple[int, int], list[tuple[str, float]]] = {}
        for jb, res in zip(jobs[1:], results[1:], strict=True):
            for (ci, li, v), ws in zip(jb.refs, res, strict=True):
                if v == 0:
                    all_words += ws
                text = _join_lines([_line_text(ln) for ln in _group_lines(ws)])
                conf = float(np.mean([x.conf for x in ws])) if ws else 0.0
                readings.setdefault((ci, li), []).append((text, conf))
        for ci, cell in enumerate(todo):
            n = len(cell.lines) if s.mode == "lines" else 1
            cell.text = _join_lines([_vote(readings.get((ci, li), [])) for li in range(n)])
    else:
        _assign_page_words(page_words, cells_per_grid)
    for cells in cells_per_grid:
        for cell in cells:
            if cell.shape == "tick" and _is_mark_text(cell.text):
                cell.text = s.tick
            elif cell.shape == "dash" and _is_mark_text(cell.text):
                cell.text = "-"
    # text outside the tables
    read: list[tuple[float, str, float]] = []  # (top, text, confidence)
    if text_mode == "lines":
        for ln, ws in zip(prose, results[0], strict=True):
            if ws:
                read.append((float(ln.top), " ".join(_line_text(ln) for ln in _group_lines(ws)),
                             float(np.mean([x.conf for x in ws]))))
    else:
        outside = [wd for wd in page_words if not any(_inside(wd, g.box) for g in grids)]
        read = [(float(min(x.top for x in ln)), _line_text(ln), float(np.mean([x.conf for x in ln])))
                for ln in _group_lines(outside)]
    items: list[tuple[float, TextLine | Table, int]] = []
    for top, text, conf in read:
        thai = len(_THAI_LETTER.findall(text))
        if not text.strip() or (conf < s.min_line_conf and thai < 3):
            continue
        if s.drop_page_numbers and _PAGE_NUMBER.match(text):
            continue
        items.append((top, TextLine(text, SourceRef(page=page_no)), 1))
    for g, cells in zip(grids, cells_per_grid, strict=True):
        rows = [["" for _ in range(len(g.xs) - 1)] for _ in range(len(g.ys) - 1)]
        spanned: set[tuple[int, int]] = set()
        for cell in cells:
            for r, c in cell.covered:
                rows[r][c] = cell.text
                if (r, c) != cell.origin:
                    spanned.add((r, c))
        items.append((float(g.ys[0]), Table(rows, SourceRef(page=page_no), spanned=spanned), len(rows)))
    items.sort(key=lambda t: t[0])
    blocks: list[TextLine | Table] = []
    k = 1
    for _, block, n in items:
        block.ref = SourceRef(page=page_no, line=k)
        if isinstance(block, Table):
            block.row_refs = [SourceRef(page=page_no, line=k + r) for r in range(n)]
        blocks.append(block)
        k += n
    confs = [wd.conf for wd in all_words]
    n_words = sum(len(b.text.split()) for b in blocks if isinstance(b, TextLine))
    n_words += sum(len(cell.text.split()) for cells in cells_per_grid for cell in cells)
    return OcrPage(blocks, float(np.mean(confs)) if confs else 0.0, n_words, skew)


@dataclass
class _Job:
    """One Tesseract run: images, segmentation mode, resolution, languages and, for
    cell lines, the (cell, line) each image belongs to."""

    images: list[Image.Image]
    psm: int
    dpi: int
    languages: str
    refs: list[tuple[int, int, int]] = field(default_factory=list)  # (cell, line, variant)


def _line_scale(lines: list[_LineCut], s: OcrSettings) -> float:
    """How much to enlarge (or shrink) this page's line images before OCR."""
    if s.line_scale:
        return s.line_scale
    heights = [ln.height for ln in lines if ln.n_base >= 3] or [ln.height for ln in lines]
    if not heights:
        return 1.0
    return float(min(4.0, max(0.5, s.glyph_height / float(np.median(heights)))))


def _stack_lines(images: list[np.ndarray]) -> np.ndarray:
    """A cell's line images one under the other (``mode="cells"``)."""
    width = max(im.shape[1] for im in images)
    return np.vstack([np.pad(im, ((0, 0), (0, width - im.shape[1])), constant_values=255) for im in images])


def _inside(wd: Word, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return x0 <= wd.cx <= x1 and y0 <= wd.cy <= y1


def _assign_page_words(words: list[Word], cells_per_grid: list[list[_Cell]]) -> None:
    """``mode="page"``: a cell's text is made of the page words whose centre is in it."""
    for cells in cells_per_grid:
        for cell in cells:
            ws = [wd for wd in words if _inside(wd, cell.cell_box)]
            cell.text = _join_lines([_line_text(ln) for ln in _group_lines(ws)])


# --------------------------------------------------------------------------- PDF pages


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int | None) -> float:
    """The resolution to render a page of ``width_pt`` × ``height_pt`` points at: ``dpi``,
    or less when the image would have more than ``max_pixels`` pixels.

    >>> render_dpi(595, 842, 200, 36_000_000)  # A4
    200
    >>> round(render_dpi(14400, 14400, 200, 36_000_000), 1)  # the largest page PDF allows
    30.0
    """
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if not max_pixels or pixels <= max_pixels:
        return dpi
    return dpi * (max_pixels / pixels) ** 0.5


def render_pdf_page(path: str, index: int, dpi: int, max_pixels: int | None = None) -> Image.Image:
    """Render page ``index`` (0-based) of a PDF as an RGB image at ``dpi`` (lower for a
    page that would exceed ``max_pixels``; ``image.info["dpi"]`` says which)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise ExtractError(f"cannot open the PDF to render it ({e})") from e
    try:
        if not 0 <= index < len(pdf):
            raise ExtractError(f"the PDF has no page {index + 1}")
        page = pdf[index]
        try:
            w, h = page.get_size()
            dpi = render_dpi(w, h, dpi, max_pixels)
            bitmap = page.render(scale=dpi / 72)
            try:
                image = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()
    image.info["dpi"] = (dpi, dpi)
    return image
