"""The settings object of the PDF backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prongsai.extract.diagnose import DiagnosisSettings


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

    #: pdfplumber's table-finder settings (applied to the ruling lines pdfium reads)
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
    #: read pages whose pypdfium2 text is not ``good`` again in content-stream order, keep the better text
    text_fallback: bool = True
    #: where that second reading's characters come from: ``pdfium`` (its glyphs in content-stream
    #: order, taken while the page is open) or ``pdfplumber`` (pdfminer's, 50-100x slower)
    text_flow: str = "pdfium"
    #: ... only if the text flow keeps at least this share of the Thai characters of pypdfium2's
    min_fallback_thai_share: float = 0.9
    #: in the text flow, a gap wider than this many font sizes is a space
    space_gap_em: float = 0.2
    #: OCR pages that are ``empty`` (a scan) or ``unusable`` (needs tesseract, see :mod:`prongsai.extract.ocr`)
    ocr: bool = True
    #: an ``ocr.OcrSettings``; None: its defaults
    ocr_settings: Any = None
    #: an empty page without images is OCR'd only when it draws at least this many paths (text as outlines)
    ocr_min_paths: int = 50
    #: pages held as objects until the document is put together; the others are packed
    #: (:mod:`prongsai.extract.pdf.spool`), so memory does not grow with the file's length
    resident_pages: int = 64
    #: pdfium is opened again after this many pages: it keeps every font and object it
    #: parsed until its document is closed (0: never)
    reopen_pages: int = 50

