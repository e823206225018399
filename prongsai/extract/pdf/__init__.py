"""Backend for PDF files: born-digital text, broken text layers, scans.

pdfium is the engine: every page is loaded once, and its characters, ruling lines
and (where needed) content-stream glyph order are all taken from that one load.
pdfplumber is only the exception: its table-grid arithmetic runs on the edges
pdfium found, and its pdfminer text flow is an opt-in (``PdfSettings(text_flow=
"pdfplumber")``). Only the pages asked for are opened (``read_pdf(pages=...)``).

Modules, one job each:

* :mod:`~prongsai.extract.pdf.objects` - page objects in content-stream order;
* :mod:`~prongsai.extract.pdf.chars` - characters from pdfium (text page order, and
  content-stream order for the text flow) or pdfplumber, classified;
* :mod:`~prongsai.extract.pdf.rulings` - ruling lines from pdfium's path objects and
  the table cells they make;
* :mod:`~prongsai.extract.pdf.lines` - visual lines and the wrap rule;
* :mod:`~prongsai.extract.pdf.clusters` - a line's characters as clusters (a letter and
  its marks) and their x order;
* :mod:`~prongsai.extract.pdf.tables` - page tables (grid, cell text and line tops)
  and their stitching over page breaks;
* :mod:`~prongsai.extract.pdf.page` - one page read and diagnosed;
* :mod:`~prongsai.extract.pdf.textflow` - the second reading of pages whose text is
  not good (stream order, unmapped glyphs inferred);
* :mod:`~prongsai.extract.pdf.ocr_pages` - OCR of scanned/unusable pages through an
  injected engine;
* :mod:`~prongsai.extract.pdf.spool` - the pages between their reading and the
  document-wide steps, packed beyond ``PdfSettings.resident_pages`` (memory flat over
  long files);
* :mod:`~prongsai.extract.pdf.assemble` - running headers, paragraphs, the document;
* :mod:`~prongsai.extract.pdf.reader` - :func:`read_pdf`, :func:`diagnose_pdf`;
* :mod:`~prongsai.extract.pdf.settings` - :class:`PdfSettings`.

* **Text comes from pypdfium2**, character by character with its box. pdfium
  honours ``/ActualText`` (LibreOffice writes SARA AM and below-vowel + tone
  clusters that way), where pdfplumber/pdfminer doubles SARA AM (``ำา``), reads
  SARA UU as a tone mark and reorders vowels.
* **Table geometry comes from the page's ruling lines** read from pdfium's path
  objects (built as pdfminer builds lines, rects and curves), put into a grid by
  pdfplumber's table-finder arithmetic (lines strategy, see :class:`PdfSettings`)
  without pdfminer; a page without horizontal and vertical rules has no table to
  find. Each cell's text is made of the characters whose centre lies in the cell
  box; ``Table.line_tops`` holds the top of each of its lines.
* Visual lines are built from the character boxes. A line that reaches the right
  text margin is joined with the next one unless that one starts with a list or
  section number (:func:`prongsai.extract.pdf.lines.is_wrap`): no space between
  two Thai characters, a space where the producer kept one at the wrap.
* Running headers/footers (a line repeated at the top or bottom of most pages,
  digits masked) and bare page numbers are dropped. A table that continues on the
  next page becomes one :class:`~prongsai.model.Table` without the repeated header
  rows.
* **Every page is diagnosed** (:func:`prongsai.extract.diagnose.diagnose_text`:
  ``good`` | ``repairable`` | ``unusable`` | ``empty``, from measured signals only).
  Good pages stay on the fast pypdfium2 path. A page whose pypdfium2 text is not
  good is also read from **its glyphs in content-stream order** (the text flow,
  taken from pdfium while the page is open), put through the same line and table building without any
  geometric reordering (broken fonts draw marks over the next letter, but the
  stream has them in logical order), with ``(cid:NNN)`` glyphs mapped from the
  document's own context (:func:`infer_cid_map`); the candidate with the higher
  dictionary-word share after repair is kept (ties: pypdfium2).
* Pages left ``empty`` (a scan: few characters and an image, or a page drawn only
  as paths) or ``unusable`` are **OCR'd** with the injected OCR engine (default
  :mod:`prongsai.extract.ocr`: tesseract, ``OMP_THREAD_LIMIT=1``), whose blocks replace the page's text;
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

from prongsai.extract.pdf.reader import PageReport, diagnose_pdf, read_pdf
from prongsai.extract.pdf.settings import PdfSettings
from prongsai.extract.pdf.textflow import CidSettings, infer_cid_map

__all__ = ["CidSettings", "PageReport", "PdfSettings", "diagnose_pdf", "infer_cid_map", "read_pdf"]
