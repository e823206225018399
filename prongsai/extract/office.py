"""Office documents beyond DOCX: recognising them by their content and reading them.

* ``.xlsx .xlsm .xltx .xltm``: the Excel backend (:mod:`prongsai.extract.xlsx`).
* word-processor files (``.doc .dot .rtf .odt .ott .fodt .wpd .wps .docm .dotx .dotm``;
  a ``.doc`` that is really RTF or a web page too): LibreOffice converts them to DOCX
  (:mod:`prongsai.extract.convert`), then the DOCX backend reads that.
* spreadsheets LibreOffice reads (``.xls .xlt .ods .ots .fods``): converted to XLSX,
  then the Excel backend.

The format is recognised from the file's first bytes (zip members, OLE streams, RTF
and WordPerfect signatures); the name only refines it: ``source_format`` is the
file's extension when the content is of that kind (``.dot`` stays ``dot``), and the
content's own format otherwise (a Word 97 file named ``.rtf`` is a ``doc``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from prongsai.model import Document, ExtractError

#: format -> how it is read: ``docx`` / ``xlsx`` natively, ``writer`` / ``calc`` through LibreOffice
BACKENDS = {
    "docm": "writer", "dotx": "writer", "dotm": "writer",
    "doc": "writer", "dot": "writer", "wps": "writer", "rtf": "writer", "wpd": "writer",
    "odt": "writer", "ott": "writer", "fodt": "writer",
    "xlsx": "xlsx", "xlsm": "xlsx", "xltx": "xlsx", "xltm": "xlsx",
    "xls": "calc", "xlt": "calc", "ods": "calc", "ots": "calc", "fods": "calc",
}
#: the suffixes read by this module (input discovery reads every file with one of them)
SUFFIXES = {f".{fmt}": fmt for fmt in BACKENDS}

#: content kind -> (format when the suffix does not say more, formats of that content)
_KINDS = {
    "docx": ("docx", ("docx", "docm", "dotx", "dotm")),
    "xlsx": ("xlsx", ("xlsx", "xlsm", "xltx", "xltm")),
    "odt": ("odt", ("odt", "ott")),
    "ods": ("ods", ("ods", "ots")),
    "fodt": ("fodt", ("fodt",)),
    "fods": ("fods", ("fods",)),
    "word97": ("doc", ("doc", "dot", "wps")),
    "excel97": ("xls", ("xls", "xlt")),
    "rtf": ("rtf", ("rtf", "doc")),
    "wpd": ("wpd", ("wpd",)),
    "html": ("doc", ("doc",)),
}
#: the suffix a converted file's copy gets, so that LibreOffice picks the right import filter
_CONTENT_SUFFIX = {"word97": "doc", "excel97": "xls", "rtf": "rtf", "wpd": "wpd", "html": "html",
                   "odt": "odt", "ods": "ods", "fodt": "fodt", "fods": "fods", "docx": "docx", "xlsx": "xlsx"}
#: content kind -> LibreOffice import filter (forced: a damaged file must fail, not be read as text)
_FILTERS = {"word97": "MS Word 97", "excel97": "MS Excel 97", "rtf": "Rich Text Format", "wpd": "WordPerfect",
            "html": "HTML (StarWriter)", "odt": "writer8", "ods": "calc8", "fodt": "OpenDocument Text Flat XML",
            "fods": "OpenDocument Spreadsheet Flat XML", "docx": "MS Word 2007 XML"}
_NAMES = {"writer": "word-processor document", "calc": "spreadsheet"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if mime.startswith(b"application/vnd.oasis.opendocument.text"):
                    return "odt"
                if mime.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _ole_kind(path: Path, suffix: str) -> str | None:
    """Word or Excel 97-2003 (an OLE compound file): its stream names tell."""
    if suffix in ("doc", "dot", "wps"):
        return "word97"
    if suffix in ("xls", "xlt"):
        return "excel97"
    word, excel = "WordDocument".encode("utf-16-le"), "Workbook".encode("utf-16-le")
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            if word in block:
                return "word97"
            if excel in block:
                return "excel97"
            tail = block[-32:]
    return None


def content_kind(path: Path, head: bytes) -> str | None:
    """The kind of office document ``path`` holds (``head``: its first bytes), or None."""
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return _ole_kind(path, suffix)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xffWPC"):
        return "wpd"
    if start.startswith(b"<?xml") and b"office:document" in head:
        if b"opendocument.text" in head:
            return "fodt"
        if b"opendocument.spreadsheet" in head:
            return "fods"
    lowered = start[:200].lower()
    if suffix == "doc" and (lowered.startswith((b"<html", b"<!doctype html")) or b"mime-version:" in lowered):
        return "html"  # "save as web page" named .doc: Word and LibreOffice open it
    return None


def office_format(path: Path, head: bytes) -> str | None:
    """The ``source_format`` of an office document (see the module docstring), or None
    when ``path`` is not one. Raises :class:`ExtractError` for a file named like one of
    the formats of this module whose content is not of that kind."""
    suffix = path.suffix.lower().lstrip(".")
    kind = content_kind(path, head)
    if kind is None:
        if suffix in BACKENDS and head.startswith(b"PK\x03\x04"):
            return suffix  # a damaged zip: its backend says what is wrong
        if suffix in BACKENDS:
            raise ExtractError(f"file is named .{suffix} but its content is not a {suffix.upper()} file "
                               "(it may be damaged, or another format renamed)")
        return None
    default, formats = _KINDS[kind]
    return suffix if suffix in formats else default


def read_office(path: Path, fmt: str) -> Document:
    """Read a file :func:`office_format` recognised as ``fmt`` (raw text)."""
    backend = BACKENDS[fmt]
    if backend == "xlsx":
        from prongsai.extract.xlsx import read_xlsx

        return read_xlsx(str(path), fmt)
    from prongsai.extract.convert import converted

    with path.open("rb") as fh:
        head = fh.read(1024)
    kind = content_kind(path, head) or ""
    content = _CONTENT_SUFFIX.get(kind, fmt)
    infilter = None if fmt == "wps" else _FILTERS.get(kind)  # .wps: Works or Word, LibreOffice tells
    target = "docx" if backend == "writer" else "xlsx"
    what = f".{fmt} {_NAMES[backend]}"
    with converted(path, target, name=f"input.{content}", kind=what, infilter=infilter) as out:
        if target == "docx":
            from prongsai.extract.docx import read_docx

            doc = read_docx(str(out))
        else:
            from prongsai.extract.xlsx import read_xlsx

            doc = read_xlsx(str(out), fmt)
    doc.format = fmt
    return doc
