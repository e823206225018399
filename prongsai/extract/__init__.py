"""Format backends: every file becomes one :class:`prongsai.model.Document`.

``read_document`` picks the backend from the file's content (magic bytes), not
only its name, so a PDF named ``.docx`` is still read as a PDF. Besides PDF, DOCX
and text, Excel workbooks and the files LibreOffice converts (``.doc .rtf .odt
.xls .ods`` ...) are read by :mod:`prongsai.extract.office`. The returned
document's text is raw (as the backend read it); ``clean_document`` applies the
shared Thai repair and digit folding to every line and cell, then the dictionary repairs
the whole document calls for (spaced-out letters, lost SARA AM), each reported by an info
row.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from prongsai.diagnostics import WarningCode
from prongsai.extract.office import SUFFIXES as OFFICE_SUFFIXES
from prongsai.extract.office import office_format
from prongsai.model import Document, ExtractError, Problem, Table, TextLine
from prongsai.normalize.clean import clean_text
from prongsai.normalize.words import plan_word_repair

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".md": "md", **OFFICE_SUFFIXES}
#: page images, read by OCR (prongsai.extract.image); the format is the extension
IMAGE_SUFFIXES = {".jpg": "jpg", ".jpeg": "jpeg", ".png": "png", ".tif": "tif", ".tiff": "tiff"}
SUFFIXES.update(IMAGE_SUFFIXES)
_IMAGE_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"II*\x00": "tif", b"MM\x00*": "tif"}


def sniff_format(path: Path) -> str:
    """The format of a file from its first bytes, falling back to its suffix."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise ExtractError("file is empty (0 bytes)")
    if head.startswith(b"%PDF") or (b"%PDF-" in head and path.suffix.lower() == ".pdf"):
        return "pdf"  # PDF readers accept junk before the header in the first 1,024 bytes
    if office := office_format(path, head):  # Word, Excel, OpenDocument, RTF, WordPerfect
        return office
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    magic = next((fmt for m, fmt in _IMAGE_MAGIC.items() if head.startswith(m)), None)
    if magic:  # an image: its own extension when it has one (.jpeg, .tiff), else its kind
        return IMAGE_SUFFIXES.get(path.suffix.lower(), magic)
    suffix = SUFFIXES.get(path.suffix.lower())
    if suffix in ("pdf", "docx", *IMAGE_SUFFIXES.values()):
        raise ExtractError(f"file is named {path.suffix} but its content is not a {suffix.upper()} file")
    return suffix or "txt"


def read_document(path: str | Path, pages: Iterable[int] | None = None) -> Document:
    """Read any supported file into the document model (raw text).

    ``pages``: 1-based page numbers; a PDF opens and reads only those (other formats
    are read whole: the caller filters by ``ref.page``)."""
    p = Path(path)
    fmt = sniff_format(p)
    if fmt == "pdf":
        from prongsai.extract.pdf import read_pdf

        doc = read_pdf(str(p), pages=pages)
    elif fmt == "docx":
        from prongsai.extract.docx import read_docx

        doc = read_docx(str(p))
    elif f".{fmt}" in OFFICE_SUFFIXES:
        from prongsai.extract.office import read_office

        doc = read_office(p, fmt)
    elif fmt in IMAGE_SUFFIXES.values():
        from prongsai.extract.image import read_image

        doc = read_image(str(p))
        doc.format = fmt
    else:
        from prongsai.extract.text import read_text

        doc = read_text(str(p))
        if p.suffix.lower() == ".md":
            doc.format = "md"
    doc.path = str(path)
    return doc


def _texts(doc: Document) -> list[str]:
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, TextLine):
            out.append(b.text)
        elif isinstance(b, Table):
            out.extend(c for row in b.rows for c in row)
    return out


def clean_document(doc: Document) -> Document:
    """The document with Thai text repaired and digits made Arabic everywhere."""
    cleaned = doc.map_text(clean_text)
    words = plan_word_repair(_texts(cleaned))
    if not words.letters_joined and not words.lost_sara_am:
        return cleaned
    repaired = cleaned.map_text(words.apply)
    if words.letters_joined:
        repaired.problems.append(Problem.of(WarningCode.LETTERS_JOINED, words.letters_message()))
    if words.lost_sara_am:
        repaired.problems.append(Problem.of(WarningCode.GLYPHS_MAPPED, words.sara_am_message()))
    return repaired
