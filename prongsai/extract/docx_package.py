"""Opening a Word ``.docx`` package for :mod:`prongsai.extract.docx`: cheap safety checks
before python-docx unpacks anything (zip bombs, DOCTYPE/entity tricks in an XML prolog, an
OLE ``.doc`` renamed to ``.docx``), then python-docx, with errors that say what is wrong.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Any

from lxml import etree

from prongsai.model import ExtractError

__all__ = ["MAX_TOTAL_BYTES", "MAX_XML_PART_BYTES", "not_a_docx", "open_docx"]

#: Largest declared uncompressed size accepted for one XML part (e.g. word/document.xml).
MAX_XML_PART_BYTES = 200 * 1024 * 1024
#: Largest declared uncompressed size of the whole package (python-docx loads every part).
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: How far into an XML part the prolog (before the root element) may reach.
_PROLOG_MAX = 64 * 1024
_PROLOG_RE = re.compile(r"\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ROOT_START_RE = re.compile(r"<[A-Za-z_:]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"




def not_a_docx(reason: str) -> ExtractError:
    """The error for a file that is not a usable Word document, saying why."""
    return ExtractError(f"not a valid DOCX file: {reason}")


def _check_package(path: str) -> list[str]:
    """Cheap safety checks before python-docx unpacks anything; returns the member names."""
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise ExtractError(f"cannot read file: {e.strerror or e}") from None
    if magic == _OLE_MAGIC:
        raise not_a_docx("password-protected or old binary Word (.doc) file, not a zip archive")
    if not zipfile.is_zipfile(path):
        raise not_a_docx("not a zip archive")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if _is_xml_part(info.filename) and info.file_size > MAX_XML_PART_BYTES:
                    raise not_a_docx(
                        f"{info.filename} would unpack to {info.file_size / 2**20:,.0f} MB "
                        f"(limit {MAX_XML_PART_BYTES // 2**20} MB), refused as a possible zip bomb"
                    )
            if total > MAX_TOTAL_BYTES:
                raise not_a_docx(
                    f"archive would unpack to {total / 2**20:,.0f} MB "
                    f"(limit {MAX_TOTAL_BYTES // 2**20} MB), refused as a possible zip bomb"
                )
            for info in infos:
                if _is_xml_part(info.filename) and _has_doctype(zf, info):
                    raise not_a_docx(f"{info.filename} contains a DOCTYPE/ENTITY declaration (not allowed in DOCX)")
            return [i.filename for i in infos]
    except ExtractError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
    ) as e:
        raise not_a_docx(f"damaged zip archive ({e})") from None


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _has_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True if the XML prolog of a part declares a DOCTYPE (possible entity expansion),
    or is too long to inspect."""
    with zf.open(info) as f:
        head = f.read(_PROLOG_MAX)
    text = head.decode("utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8", "ignore")
    m = _PROLOG_RE.match(text)
    rest = text[m.end() :] if m else text
    if rest.startswith(("<!DOCTYPE", "<!ENTITY")):
        return True
    if _ROOT_START_RE.match(rest) or not text.lstrip("\ufeff \t\r\n").startswith("<"):
        return False  # root element reached, or not XML at all (left to the parser)
    return len(head) >= _PROLOG_MAX  # an unfinished prolog this long is refused


def open_docx(path: str) -> Any:
    """The python-docx document of ``path`` after the package checks; an :class:`ExtractError`
    that says what is wrong otherwise."""
    names = _check_package(path)
    import docx  # local import: python-docx is slow to import

    try:
        doc = docx.Document(path)
    except etree.XMLSyntaxError as e:
        raise not_a_docx(f"corrupt XML ({e.msg})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise not_a_docx(f"damaged zip archive ({e})") from None
    except Exception as e:  # python-docx raises KeyError/ValueError/... on broken packages
        if "word/document.xml" not in names:
            raise not_a_docx("word/document.xml is missing (not a Word document)") from None
        if isinstance(e, ValueError) and "content type" in str(e):
            ct = str(e).rsplit("content type is", 1)[-1].strip(" '")
            raise not_a_docx(f"unsupported Word content type {ct!r} (template or macro-enabled file?)") from None
        raise not_a_docx(f"broken package ({type(e).__name__}: {e})") from None
    if getattr(doc.element, "body", None) is None:
        raise not_a_docx("the main document part has no w:body")
    return doc
