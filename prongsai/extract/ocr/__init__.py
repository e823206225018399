"""OCR engine: one page image -> blocks of the document model (Tesseract, Thai).

The steps of :func:`ocr_page` (``page``), one module each:

1. ``orientation``: a page on its side or upside down is turned upright (a cheap look at
   the ink, then Tesseract's OSD when in doubt).
2. ``image``: greyscale, global Otsu threshold, speck removal and a light deskew (the
   angle that makes the horizontal ink profile sharpest, within ``±max_skew`` degrees).
3. ``grid``: ruling lines, the table grids they make and their merged cells (a merged
   cell's text goes to every position it covers; :attr:`Table.spanned` holds the copies).
4. ``cells`` (with ``components``): the ink of every cell, and outside the tables, cut
   into text lines, Thai marks kept with their line; tick and dash shapes from pixels.
5. ``tesseract``: every line image read as one line (``--psm 7``), all lines of a page in
   one Tesseract process per language set, TSV + text output. Cell words are read with
   ``cell_languages`` (``tha``: with ``eng`` short Thai words become Latin look-alikes,
   ``นับ`` -> ``wu``); running text and lone glyphs with ``languages`` (``tha+eng``). Line
   images are scaled so the page's typical glyph body is ``glyph_height`` pixels; short
   cell lines are read at three sizes and the most confident reading wins (``words``).
6. ``words``: cell lines joined the Thai way (nothing between two Thai characters, a space
   otherwise); a cell whose ink is one tick (dash) shape and whose text is at most a
   mark's reading becomes ``"✓"`` (``"-"``).

Measured on the corpus scan (``d5_huathanon.pdf``, 200 dpi, skewed, noisy, JPEG): cell
lines read this way give a clean table; page-level OCR (``mode="page"``) loses the header
cells and with them the table. No Thai repair is done here (SARA AM comes out as
NIKHAHIT + SARA AA; the shared ``repair_thai`` fixes it later).

References: ``SourceRef(page=page_no, line=k)``, k counting the page's visual lines
from the top (each table row counts as one line), 1-based.

``render`` renders PDF pages for it. The Tesseract runner is injectable
(``ocr_page(..., tesseract=...)``, any :class:`TesseractRunner`).
"""

from __future__ import annotations

from prongsai.extract.ocr.image import estimate_skew
from prongsai.extract.ocr.page import OcrPage, ocr_page
from prongsai.extract.ocr.render import render_dpi, render_pdf_page
from prongsai.extract.ocr.settings import TICK, OcrSettings
from prongsai.extract.ocr.tesseract import (
    MISSING_TESSERACT_MESSAGE,
    TesseractCli,
    TesseractRunner,
    Word,
    tesseract_available,
)

__all__ = [
    "MISSING_TESSERACT_MESSAGE",
    "TICK",
    "OcrPage",
    "OcrSettings",
    "TesseractCli",
    "TesseractRunner",
    "Word",
    "estimate_skew",
    "ocr_page",
    "render_dpi",
    "render_pdf_page",
    "tesseract_available",
]
