"""Pages on their side or upside down (a photographed page, a sheet fed the wrong way):
detect them and say how to turn them upright.

Tesseract's orientation detection (OSD, ``--psm 0``, Debian ``tesseract-ocr-osd``)
decides, but it costs about as much as reading the page. The page's text lines are cut
anyway (``cells``), and they tell for free whether a page is upright: in upright text
(Thai and Latin alike) the small pieces of ink (Thai vowel and tone marks, the dots of
``i``, accents) sit mostly *above* the bodies of their letters. A page where they clearly
do is upright and OSD is not asked; a page where they do not (upside down: marks below
the letters; on its side: lines cut across the text, marks anywhere; too few marks to
tell) goes to OSD.
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image

from prongsai.extract.ocr.cells import LineCut
from prongsai.extract.ocr.settings import OcrSettings
from prongsai.extract.ocr.tesseract import TesseractRunner

#: a page is upright without asking OSD when at least this many marks sit above letter
#: bodies and they outnumber the marks below by this factor
MIN_MARKS = 12
ABOVE_BELOW = 3.0


def marks_upright(lines: Iterable[LineCut]) -> bool:
    """Do the small marks of these text lines clearly sit above the letter bodies?

    >>> import numpy as np
    >>> line = lambda above, below: LineCut(np.zeros((1, 1), np.uint8), 5, 20.0, 0, above, below)
    >>> marks_upright([line(10, 1), line(6, 2)]), marks_upright([line(1, 9), line(2, 8)]), marks_upright([line(3, 0)])
    (True, False, False)
    """
    above = below = 0
    for ln in lines:
        above += ln.above
        below += ln.below
    return above >= MIN_MARKS and above >= ABOVE_BELOW * below


def osd_turn(gray: Image.Image, dpi: int, s: OcrSettings, tess: TesseractRunner) -> int:
    """The clockwise turn (0, 90, 180, 270) OSD says makes the page upright (0 when OSD
    is not sure enough: ``min_orientation_conf``)."""
    turn, conf = tess.orientation(gray, dpi)
    return turn if conf >= s.min_orientation_conf else 0


def turned(gray: Image.Image, turn: int) -> Image.Image:
    """The page turned clockwise by ``turn`` degrees (lossless)."""
    return gray.transpose(_TRANSPOSE[turn]) if turn in _TRANSPOSE else gray


_TRANSPOSE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
