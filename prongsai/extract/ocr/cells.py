"""Cutting text out of the page: the text lines of every cell and of the page outside
the tables, and the tick/dash shape of a cell's ink.

Thai stacks vowels and tone marks above and below the consonants; Tesseract's own
layout analysis takes a row of stacked marks (``ี้``, ``ื่``) for a line of its own and
then reads both wrongly (``ตัวชี้วัด`` -> ``av du`` + ``ตวชวด``). Here big components make
the lines and every mark joins the nearest line body. A cell whose ink is one
check-mark shaped stroke is a ``"tick"``, one short flat bar a ``"dash"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from prongsai.extract.ocr.components import Comp, components
from prongsai.extract.ocr.grid import Grid
from prongsai.extract.ocr.image import widen
from prongsai.extract.ocr.settings import OcrSettings


@dataclass
class LineCut:
    """One text line cut out of a cell or the page."""

    image: np.ndarray
    n_base: int  # big glyphs in it (1: a lone glyph such as ``4``, ``-``, a tick or ``ที่``)
    height: float  # their median height, pixels
    top: int  # y on the page
    #: its small components (marks) above and below the letter bodies (upright text: most
    #: above; see ``orientation``)
    above: int = 0
    below: int = 0

    @property
    def lone(self) -> bool:
        return self.n_base == 1


@dataclass
class Cell:
    origin: tuple[int, int]
    covered: list[tuple[int, int]]
    cell_box: tuple[int, int, int, int]  # page pixels (x0, y0, x1, y1) between the ruling lines
    lines: list[LineCut] = field(default_factory=list)
    shape: str | None = None  # "tick" | "dash" when the ink is one such mark
    text: str = ""


def cell_box(grid: Grid, cells: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    r0 = min(r for r, _ in cells)
    r1 = max(r for r, _ in cells)
    c0 = min(c for _, c in cells)
    c1 = max(c for _, c in cells)
    return grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1]


def mark_shape(comps: list[Comp], dpi: int) -> str | None:
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


def text_lines(comps: list[Comp]) -> list[tuple[list[Comp], int, float, tuple[int, int]]]:
    """Group a cell's components into text lines, top to bottom.

    Thai stacks vowels and tone marks above and below the consonants; those marks are
    separate components that a line finder easily takes for lines of their own. Here
    the big components (consonants, full vowels, digits) make the lines, and every
    small one joins the line whose body is nearest. Returns each line's components,
    how many big ones it has (1: a lone glyph such as ``4``, ``-`` or a tick), their
    median height and how many small ones sit above and below the line's body.
    """
    comp_heights = sorted(c.h for c in comps)
    ref = comp_heights[min(len(comp_heights) - 1, int(0.75 * len(comp_heights)))]
    base = [c for c in comps if c.h >= 0.55 * ref]
    small = [c for c in comps if c.h < 0.55 * ref]
    xh = float(np.median([c.h for c in base]))
    base.sort(key=lambda c: c.cy)
    lines: list[list[Comp]] = []
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
    sides = [[0, 0] for _ in lines]
    for c in small:
        cy = c.cy
        best = min(range(len(lines)), key=lambda i: max(bodies[i][0] - cy, cy - bodies[i][1], 0.0) + 0.01 * i)
        lines[best].append(c)
        if cy < bodies[best][0]:
            sides[best][0] += 1
        elif cy > bodies[best][1]:
            sides[best][1] += 1
    return [(ln, n, hgt, (a, b)) for ln, n, hgt, (a, b) in zip(lines, n_base, heights, sides, strict=True)]


def line_image(gray: np.ndarray, comps: list[Comp], ox: int, oy: int, pad: int) -> np.ndarray:
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
    keep = widen(mask, 1) | (widen(mask, 3) & (src < 215))
    out = np.where(keep, src, 255).astype(np.uint8)
    return np.pad(out, pad, constant_values=255)


def scaled(a: np.ndarray, scale: float) -> Image.Image:
    im = Image.fromarray(a)
    if abs(scale - 1) < 1e-3:
        return im
    return im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.LANCZOS)


def read_cell(gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, box: tuple[int, int, int, int],
              dpi: int) -> tuple[list[LineCut], str | None]:
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
    comps = [c for c in components(sub) if c.area >= min_area
             and not (c.h <= thin and c.w >= 0.5 * sw)  # leftovers of a ruling line
             and not (c.w <= thin and c.h >= 0.5 * sh)]
    if not comps:
        return [], None
    pad = max(8, dpi // 20)
    # a glyph alone (a digit, a dash) reads better with more white around it; not a
    # glyph with marks (ที่ loses its tone mark that way)
    lines = [LineCut(line_image(gray, ln, cx0, cy0, 3 * pad if len(ln) == 1 else pad), n, hgt,
                     cy0 + min(c.y0 for c in ln), *sides)
             for ln, n, hgt, sides in text_lines(comps)]
    return lines, mark_shape(comps, dpi)


def page_lines(gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, grids: list[Grid],
               dpi: int) -> list[LineCut]:
    """The text lines outside the tables, top to bottom.

    Cut the same way as cell lines, so that stacked Thai marks stay on their line
    (Tesseract's own page layout analysis splits them off in bold or large text)."""
    sub = ink & ~lines_mask
    for g in grids:
        x0, y0, x1, y1 = g.box
        sub[max(0, y0 - 3): y1 + 4, max(0, x0 - 3): x1 + 4] = False
    min_area = max(4, round(6 * (dpi / 200) ** 2))
    big = 0.12 * max(sub.shape)  # logos, stamps, signatures: not text
    comps = [c for c in components(sub) if c.area >= min_area and c.h < big and c.w < 4 * big]
    if not comps:
        return []
    pad = max(8, dpi // 20)
    return [LineCut(line_image(gray, ln, 0, 0, pad), n, hgt, min(c.y0 for c in ln), *sides)
            for ln, n, hgt, sides in text_lines(comps)]


def cells_of(grid: Grid, gray: np.ndarray, ink: np.ndarray, lines_mask: np.ndarray, dpi: int) -> list[Cell]:
    out: list[Cell] = []
    for origin, covered in sorted(grid.regions.items()):
        box = cell_box(grid, covered)
        cell = Cell(origin, covered, box)
        cell.lines, cell.shape = read_cell(gray, ink, lines_mask, box, dpi)
        out.append(cell)
    return out


def line_scale(lines: list[LineCut], s: OcrSettings) -> float:
    """How much to enlarge (or shrink) this page's line images before OCR."""
    if s.line_scale:
        return s.line_scale
    heights = [ln.height for ln in lines if ln.n_base >= 3] or [ln.height for ln in lines]
    if not heights:
        return 1.0
    return float(min(4.0, max(0.5, s.glyph_height / float(np.median(heights)))))
