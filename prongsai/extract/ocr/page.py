"""One page image -> an :class:`OcrPage`: the steps of :func:`ocr_page` in order.

1. :func:`clean_image`: greyscale, deskew, binarise (``image``).
2. :func:`cut_page`: ruling grids (``grid``), the text lines of every cell and of the
   page outside the tables (``cells``). When their marks do not show an upright page,
   OSD is asked and a turned page is cleaned and cut again (``orientation``).
3. :func:`plan_jobs` / :func:`run_jobs`: the Tesseract calls, one per language set.
4. :func:`read_cells`, :func:`apply_marks`: cell texts from the readings (the vote), ticks
   and dashes from pixels.
5. :func:`outside_text`, :func:`assemble`: text lines outside tables, blocks in reading
   order with their references, confidence and word count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from prongsai.diagnostics import WarningCode
from prongsai.extract.ocr.cells import Cell, LineCut, cells_of, line_scale, page_lines, scaled
from prongsai.extract.ocr.grid import Grid, find_grids
from prongsai.extract.ocr.image import binarise, estimate_skew, image_dpi, otsu, widen
from prongsai.extract.ocr.orientation import marks_upright, osd_turn, turned
from prongsai.extract.ocr.settings import OcrSettings
from prongsai.extract.ocr.tesseract import (
    MISSING_TESSERACT_MESSAGE,
    PageFailure,
    TesseractCli,
    TesseractRunner,
    Word,
)
from prongsai.extract.ocr.words import (
    PAGE_NUMBER,
    THAI_LETTER,
    assign_page_words,
    group_lines,
    inside,
    is_mark_text,
    join_lines,
    line_text,
    vote,
)
from prongsai.model import ExtractError, Problem, SourceRef, Table, TextLine


@dataclass
class OcrPage:
    """The blocks of one page in reading order; the mean Tesseract confidence (0-100,
    over the symbols it read: Thai comes out one character per TSV "word"); the number
    of words in the page's text (space-separated, table cells counted once); the skew
    corrected (degrees); the turn that made the page upright (clockwise degrees: 0, 90,
    180, 270); ``problems`` says what went wrong on a page that gave nothing."""

    blocks: list[TextLine | Table]
    mean_confidence: float
    n_words: int
    skew: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    rotation: int = 0


def ocr_page(image: Image.Image, page_no: int, settings: OcrSettings | None = None,
             tesseract: TesseractRunner | None = None) -> OcrPage:
    """OCR one page image into TextLines and Tables in reading order.

    ``tesseract`` runs Tesseract (default: the program, :class:`TesseractCli`); tests
    pass a fake. Raises :class:`ExtractError` when Tesseract or its Thai data is
    missing; a page on which Tesseract fails (timeout, crash) comes back empty with
    confidence 0 and a problem saying why.
    """
    s = settings or OcrSettings()
    tess = tesseract if tesseract is not None else TesseractCli(s)
    if not tess.available():
        raise ExtractError(MISSING_TESSERACT_MESSAGE)
    if s.mode not in ("lines", "page") or s.text_mode not in ("lines", "page"):
        raise ValueError(f"unknown OCR mode {s.mode!r} / text mode {s.text_mode!r}")
    dpi = image_dpi(image, s)
    gray_img = image.convert("L")
    rotation, skew = 0, 0.0
    try:
        gray, raw, ink, skew = clean_image(gray_img, s)
        if not ink.any():
            return OcrPage([], 0.0, 0, skew)
        cuts = cut_page(gray, raw, ink, dpi, s)
        if s.orient and not marks_upright(cuts.all_lines()):
            rotation = osd_turn(gray_img, dpi, s, tess)
            if rotation:
                gray_img = turned(gray_img, rotation)
                gray, raw, ink, skew = clean_image(gray_img, s)
                cuts = cut_page(gray, raw, ink, dpi, s)
        return read_page(gray, ink, cuts, dpi, page_no, skew, s, tess, rotation)
    except PageFailure as e:
        return OcrPage([], 0.0, 0, skew, [Problem.of(WarningCode.OCR_FAILED, f"page {page_no}: {e}",
                                                  SourceRef(page=page_no))], rotation)


def clean_image(gray_img: Image.Image, s: OcrSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(grey levels, raw ink, ink without specks, skew corrected) of an upright page."""
    gray = np.asarray(gray_img)
    raw = gray < min(otsu(gray), 200)
    skew = 0.0
    if s.deskew and raw.any():
        skew = estimate_skew(raw, s.max_skew)
        if abs(skew) >= s.min_skew:
            gray_img = gray_img.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
            gray = np.asarray(gray_img)
        else:
            skew = 0.0
    raw, ink = binarise(gray, s)
    return gray, raw, ink, skew


@dataclass
class Cuts:
    """What :func:`cut_page` found: the grids, their cells, the lines outside them."""

    grids: list[Grid]
    cells_per_grid: list[list[Cell]]
    lines_wide: np.ndarray
    prose: list[LineCut]

    @property
    def todo(self) -> list[Cell]:
        """The cells with ink to read."""
        return [c for cells in self.cells_per_grid for c in cells if c.lines]

    def all_lines(self) -> list[LineCut]:
        """Every text line cut, in cells and outside them."""
        return [ln for c in self.todo for ln in c.lines] + self.prose


@dataclass
class Job:
    """One Tesseract run: images, segmentation mode, resolution, languages and, for
    cell lines, the (cell, line, variant) each image belongs to."""

    images: list[Image.Image]
    psm: int
    dpi: int
    languages: str
    refs: list[tuple[int, int, int]] = field(default_factory=list)


def cut_page(gray: np.ndarray, raw: np.ndarray, ink: np.ndarray, dpi: int, s: OcrSettings) -> Cuts:
    grids, lines = find_grids(raw, dpi, s)
    lines_wide = widen(lines, 2)  # anti-aliased line edges go too
    cells_per_grid = [cells_of(g, gray, ink, lines_wide, dpi) for g in grids]
    prose = page_lines(gray, ink, lines_wide, grids, dpi) if _text_mode(s) == "lines" else []
    return Cuts(grids, cells_per_grid, lines_wide, prose)


def _text_mode(s: OcrSettings) -> str:
    return "page" if s.mode == "page" else s.text_mode  # page mode reads everything at once


def page_job(gray: np.ndarray, ink: np.ndarray, cuts: Cuts, dpi: int, s: OcrSettings) -> Job:
    """The page as Tesseract sees it (``text_mode="page"``): only real ink (grey levels
    one pixel around it), no ruling, no specks (scanner noise on an empty page can make
    Tesseract crawl); in ``mode="lines"`` without the tables."""
    page = np.where(widen(ink, 1) & ~cuts.lines_wide, gray, 255).astype(np.uint8)
    if s.mode != "page":
        for g in cuts.grids:
            x0, y0, x1, y1 = g.box
            page[max(0, y0 - 2): y1 + 3, max(0, x0 - 2): x1 + 3] = 255
    enough = int((page < 128).sum()) >= max(20, (dpi // 20) ** 2)  # anything left to read?
    return Job([Image.fromarray(page)] if enough else [], s.psm, dpi, s.languages)


def plan_jobs(gray: np.ndarray, ink: np.ndarray, cuts: Cuts, dpi: int, s: OcrSettings) -> list[Job]:
    """The Tesseract runs of a page; ``jobs[0]`` reads the text outside the tables (or
    the whole page).

    Thai words read best without the Latin model (it turns short words into Latin
    look-alikes: นับ -> wu); a lone glyph (a digit, a dash, a tick) needs it. Tesseract
    reads short lines unsteadily (ที่ loses its tone mark at one size and not at the
    next, and a header cell decides a whole table), so lines of a few glyphs are read
    at several sizes and the readings vote.
    """
    todo = cuts.todo
    scale = line_scale([ln for c in todo for ln in c.lines] + cuts.prose, s)
    line_dpi = round(dpi * scale)
    if _text_mode(s) == "lines":
        jobs = [Job([scaled(ln.image, scale) for ln in cuts.prose], s.line_psm, line_dpi, s.languages)]
    else:
        jobs = [page_job(gray, ink, cuts, dpi, s)]
    if s.mode != "lines" or not todo:
        return jobs
    refs = [(ci, li) for ci, c in enumerate(todo) for li in range(len(c.lines))]
    n_scales = range(len(s.vote_scales))
    long_ = [(ci, li, 0) for ci, li in refs if todo[ci].lines[li].n_base > s.vote_max_glyphs]
    short = [(ci, li, v) for ci, li in refs if 1 < todo[ci].lines[li].n_base <= s.vote_max_glyphs for v in n_scales]
    lone = [(ci, li, v) for ci, li in refs if todo[ci].lines[li].lone for v in n_scales]
    for group, langs in ((long_ + short, s.cell_languages), (lone, s.languages)):
        if group:
            factors = [1.0 if v == 0 and todo[ci].lines[li].n_base > s.vote_max_glyphs else s.vote_scales[v]
                       for ci, li, v in group]
            jobs.append(Job([scaled(todo[ci].lines[li].image, scale * f) for (ci, li, _), f in
                             zip(group, factors, strict=True)], s.line_psm, line_dpi, langs, group))
    return jobs


def run_jobs(jobs: list[Job], tess: TesseractRunner) -> list[list[list[Word]]]:
    """The words of every image of every job. Jobs with the same segmentation mode,
    resolution and languages run in one Tesseract call (each start loads the language
    models again: ~0.25 s for ``tha+eng``); Tesseract reads every image of a call on its
    own, so the words are the same."""
    calls: dict[tuple[int, int, str], list[int]] = {}
    for i, jb in enumerate(jobs):
        if jb.images:
            calls.setdefault((jb.psm, jb.dpi, jb.languages), []).append(i)
    results: list[list[list[Word]]] = [[] for _ in jobs]
    for (psm, dpi, languages), members in calls.items():
        words = tess.read([im for i in members for im in jobs[i].images], psm, dpi, languages)
        start = 0
        for i in members:
            results[i] = words[start: start + len(jobs[i].images)]
            start += len(jobs[i].images)
    return results


def read_cells(todo: list[Cell], jobs: list[Job], results: list[list[list[Word]]]) -> list[Word]:
    """Set the text of every cell with ink from its lines' readings; the words read at
    the lines' own size (for the page's confidence)."""
    words: list[Word] = []
    readings: dict[tuple[int, int], list[tuple[str, float]]] = {}
    for jb, res in zip(jobs[1:], results[1:], strict=True):
        for (ci, li, v), ws in zip(jb.refs, res, strict=True):
            if v == 0:
                words += ws
            text = join_lines([line_text(ln) for ln in group_lines(ws)])
            conf = float(np.mean([x.conf for x in ws])) if ws else 0.0
            readings.setdefault((ci, li), []).append((text, conf))
    for ci, cell in enumerate(todo):
        cell.text = join_lines([vote(readings.get((ci, li), [])) for li in range(len(cell.lines))])
    return words


def apply_marks(cells_per_grid: list[list[Cell]], s: OcrSettings) -> None:
    """A cell whose ink is one tick (dash) shape and whose text is at most a mark's
    reading becomes the tick (``-``)."""
    for cells in cells_per_grid:
        for cell in cells:
            if cell.shape == "tick" and is_mark_text(cell.text):
                cell.text = s.tick
            elif cell.shape == "dash" and is_mark_text(cell.text):
                cell.text = "-"


def outside_text(cuts: Cuts, first: list[list[Word]], s: OcrSettings) -> list[tuple[float, str, float]]:
    """(top, text, confidence) of the text lines outside the tables."""
    if _text_mode(s) == "lines":
        return [(float(ln.top), " ".join(line_text(g) for g in group_lines(ws)), float(np.mean([x.conf for x in ws])))
                for ln, ws in zip(cuts.prose, first, strict=True) if ws]
    page_words = first[0] if first else []
    outside = [wd for wd in page_words if not any(inside(wd, g.box) for g in cuts.grids)]
    return [(float(min(x.top for x in ln)), line_text(ln), float(np.mean([x.conf for x in ln])))
            for ln in group_lines(outside)]


def keep_line(text: str, conf: float, s: OcrSettings) -> bool:
    """Not noise (low confidence and hardly any Thai) and not a bare page number."""
    thai = len(THAI_LETTER.findall(text))
    if not text.strip() or (conf < s.min_line_conf and thai < 3):
        return False
    return not (s.drop_page_numbers and PAGE_NUMBER.match(text))


def assemble(read: list[tuple[float, str, float]], cuts: Cuts, page_no: int,
             s: OcrSettings) -> list[TextLine | Table]:
    """Text lines and tables in reading order, with ``SourceRef(page, line=k)``, k counting
    the page's visual lines from the top (each table row one line)."""
    items: list[tuple[float, TextLine | Table, int]] = [
        (top, TextLine(text, SourceRef(page=page_no)), 1) for top, text, conf in read if keep_line(text, conf, s)]
    for g, cells in zip(cuts.grids, cuts.cells_per_grid, strict=True):
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
    return blocks


def read_page(gray: np.ndarray, ink: np.ndarray, cuts: Cuts, dpi: int, page_no: int, skew: float,
              s: OcrSettings, tess: TesseractRunner, rotation: int = 0) -> OcrPage:
    """Read and assemble a cut page."""
    jobs = plan_jobs(gray, ink, cuts, dpi, s)
    results = run_jobs(jobs, tess)
    all_words = [wd for ws in results[0] for wd in ws]
    if s.mode == "lines":
        all_words += read_cells(cuts.todo, jobs, results)
    else:
        assign_page_words(results[0][0] if results[0] else [], cuts.cells_per_grid)
    apply_marks(cuts.cells_per_grid, s)
    blocks = assemble(outside_text(cuts, results[0], s), cuts, page_no, s)
    confs = [wd.conf for wd in all_words]
    n_words = sum(len(b.text.split()) for b in blocks if isinstance(b, TextLine))
    n_words += sum(len(cell.text.split()) for cells in cuts.cells_per_grid for cell in cells)
    return OcrPage(blocks, float(np.mean(confs)) if confs else 0.0, n_words, skew, rotation=rotation)
