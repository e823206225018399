"""The settings object of the OCR engine (defaults measured on the corpus scan)."""

from __future__ import annotations

from dataclasses import dataclass

TICK = "\u2713"  # ✓


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
    #: (A4 at 200 dpi is 3.7 million pixels, A2 at 200 dpi 15.6 million); an image file
    #: larger than this is scaled down to it before OCR
    max_page_pixels: int = 36_000_000
    #: how text outside tables is read: ``"lines"``: cut into lines like cell text and
    #: read line by line; ``"page"``: Tesseract's own layout analysis (``psm``)
    text_mode: str = "lines"
    #: Tesseract page segmentation mode for ``text_mode="page"``
    psm: int = 3
    #: how table cells are read: ``"lines"``: every text line of every cell is cut out
    #: (Thai marks kept with their line) and read as one line (``line_psm``);
    #: ``"page"``: the page is read once and words go to the cell holding their box centre
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
    #: shortest ruling line, in inches (the strokes of large letters must stay below it)
    min_line_inch: float = 0.35
    #: a drawn separator must cover this share of the grid cell's side
    min_separator_cover: float = 0.75
    #: turn pages lying on their side or upside down (90/180/270 degrees) upright, as
    #: Tesseract's orientation detection (OSD, ``--psm 0``) says
    orient: bool = True
    #: OSD's orientation confidence needed to turn a page
    min_orientation_conf: float = 1.0
    deskew: bool = True
    max_skew: float = 2.0  # degrees searched either way
    min_skew: float = 0.05  # do not rotate for less than this
    despeckle: bool = True
    #: seconds allowed for one Tesseract call
    timeout: float = 120.0
    tesseract_cmd: str = "tesseract"
    #: text lines outside tables whose mean word confidence is below this and that have
    #: fewer than 3 Thai letters are dropped as noise
    min_line_conf: float = 45.0
    drop_page_numbers: bool = True
    tick: str = TICK
