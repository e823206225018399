"""DOCX backend: a Word ``.docx`` file -> :class:`prongsai.model.Document`.

The document body is walked in order, straight from the WordprocessingML XML
(python-docx is used to open the package and for style names only):

* every paragraph becomes one :class:`TextLine` per visual line (a soft line
  break ``w:br``/``w:cr`` starts a new line; empty lines are skipped); text in
  content controls (``w:sdt``) is read in place and text boxes
  (``w:txbxContent``) are emitted right after their anchor paragraph;
* every table becomes a :class:`Table` with merged cells resolved from the XML
  (``w:gridSpan``, legacy ``w:hMerge``, ``w:vMerge``, ``w:gridBefore``/``w:gridAfter``);
  tables nested in a cell follow the outer table as blocks of their own;
* page numbers come from page breaks (``w:br w:type="page"``, ``w:pageBreakBefore``,
  page-starting section breaks, Word's ``w:lastRenderedPageBreak``).
  ``SourceRef.line`` is the 1-based ordinal of the paragraph in the file
  (all ``w:p`` in reading order, empty ones and those in tables included).

No text repair is done here, except that tabs become spaces.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from prongsai.model import Block, Document, ExtractError, Problem, SourceRef, Table, TextLine

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["read_docx", "MAX_XML_PART_BYTES", "MAX_TOTAL_BYTES"]

#: Largest declared uncompressed size accepted for one XML part (e.g. word/document.xml).
MAX_XML_PART_BYTES = 200 * 1024 * 1024
#: Largest declared uncompressed size of the whole package (python-docx loads every part).
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: How far into an XML part the prolog (before the root element) may reach.
_PROLOG_MAX = 64 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


W_P, W_TBL, W_TR, W_TC, W_R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_PPR, W_PSTYLE, W_SECTPR, W_TYPE = _w("pPr"), _w("pStyle"), _w("sectPr"), _w("type")
W_PAGEBREAKBEFORE = _w("pageBreakBefore")
W_T, W_TAB, W_PTAB, W_BR, W_CR = _w("t"), _w("tab"), _w("ptab"), _w("br"), _w("cr")
W_LRPB = _w("lastRenderedPageBreak")
W_NOBREAKHYPHEN, W_SYM = _w("noBreakHyphen"), _w("sym")
W_TXBXCONTENT, W_ALTCHUNK = _w("txbxContent"), _w("altChunk")
W_TCPR, W_TRPR, W_GRIDSPAN, W_VMERGE, W_HMERGE = _w("tcPr"), _w("trPr"), _w("gridSpan"), _w("vMerge"), _w("hMerge")
W_GRIDBEFORE, W_GRIDAFTER = _w("gridBefore"), _w("gridAfter")
W_VAL, W_CHAR, W_FONT = _w("val"), _w("char"), _w("font")
MC_FALLBACK = f"{{{_MC}}}Fallback"

# Subtrees whose text is not part of the visible document text.
_SKIP_INLINE = {_w("del"), _w("moveFrom"), _w("delText"), _w("instrText"), _w("delInstrText"), _w("rt"), MC_FALLBACK}
_PAGE_SECTION_TYPES = {"nextPage", "oddPage", "evenPage"}
_OFF = {"0", "false", "off"}
_MAX_SPAN = 64  # Word allows 63 columns; larger spans are garbage

# Check marks and boxes written as w:sym in symbol fonts (common in plan tables).
_SYMBOLS = {
    ("wingdings", 0xFC): "✓",
    ("wingdings", 0xFB): "✗",
    ("wingdings", 0xFD): "☒",
    ("wingdings", 0xFE): "☑",
    ("wingdings", 0xA8): "☐",
    ("wingdings 2", 0x50): "✓",
    ("wingdings 2", 0x4F): "✗",
    ("wingdings 2", 0x52): "☑",
    ("wingdings 2", 0x54): "☒",
}

_PROLOG_RE = re.compile(r"\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ROOT_START_RE = re.compile(r"<[A-Za-z_:]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------- opening


def _fail(reason: str) -> ExtractError:
    return ExtractError(f"not a valid DOCX file: {reason}")


def _check_package(path: str) -> list[str]:
    """Cheap safety checks before python-docx unpacks anything; returns the member names."""
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise ExtractError(f"cannot read file: {e.strerror or e}") from None
    if magic == _OLE_MAGIC:
        raise _fail("password-protected or old binary Word (.doc) file, not a zip archive")
    if not zipfile.is_zipfile(path):
        raise _fail("not a zip archive")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if _is_xml_part(info.filename) and info.file_size > MAX_XML_PART_BYTES:
                    raise _fail(
                        f"{info.filename} would unpack to {info.file_size / 2**20:,.0f} MB "
                        f"(limit {MAX_XML_PART_BYTES // 2**20} MB), refused as a possible zip bomb"
                    )
            if total > MAX_TOTAL_BYTES:
                raise _fail(
                    f"archive would unpack to {total / 2**20:,.0f} MB "
                    f"(limit {MAX_TOTAL_BYTES // 2**20} MB), refused as a possible zip bomb"
                )
            for info in infos:
                if _is_xml_part(info.filename) and _has_doctype(zf, info):
                    raise _fail(f"{info.filename} contains a DOCTYPE/ENTITY declaration (not allowed in DOCX)")
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
        raise _fail(f"damaged zip archive ({e})") from None


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


def _open(path: str) -> Any:
    names = _check_package(path)
    import docx  # local import: python-docx is slow to import

    try:
        doc = docx.Document(path)
    except etree.XMLSyntaxError as e:
        raise _fail(f"corrupt XML ({e.msg})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise _fail(f"damaged zip archive ({e})") from None
    except Exception as e:  # python-docx raises KeyError/ValueError/... on broken packages
        if "word/document.xml" not in names:
            raise _fail("word/document.xml is missing (not a Word document)") from None
        if isinstance(e, ValueError) and "content type" in str(e):
            ct = str(e).rsplit("content type is", 1)[-1].strip(" '")
            raise _fail(f"unsupported Word content type {ct!r} (template or macro-enabled file?)") from None
        raise _fail(f"broken package ({type(e).__name__}: {e})") from None
    if getattr(doc.element, "body", None) is None:
        raise _fail("the main document part has no w:body")
    return doc


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _StyleInfo:
    name: str
    page_break_before: bool


def _style_map(doc: Any) -> tuple[dict[str, _StyleInfo], _StyleInfo | None]:
    """Paragraph style id -> (name, inherited pageBreakBefore); plus the default style."""
    from docx.enum.style import WD_STYLE_TYPE

    out: dict[str, _StyleInfo] = {}
    default: _StyleInfo | None = None
    try:
        styles = list(doc.styles)
        default_style = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    except Exception:  # a damaged styles part only costs us the style hints
        return out, None
    for st in styles:
        try:
            if st.type != WD_STYLE_TYPE.PARAGRAPH or not st.style_id:
                continue
            pbb: bool | None = None
            base, depth = st, 0
            while base is not None and pbb is None and depth < 20:  # inherit through basedOn
                fmt = getattr(base, "paragraph_format", None)
                pbb = fmt.page_break_before if fmt is not None else None
                base, depth = base.base_style, depth + 1
            info = _StyleInfo(st.name or st.style_id, bool(pbb))
        except Exception:  # one odd style definition must not stop the document
            continue
        out[st.style_id] = info
        if default_style is not None and st.style_id == default_style.style_id:
            default = info
    return out, default


# --------------------------------------------------------------------------- helpers


def _on(el: Any) -> bool:
    """Value of an on/off property element (``<w:x/>`` is on, ``w:val="0"`` is off)."""
    val = el.get(W_VAL)
    return val is None or val.lower() not in _OFF


def _int_attr(el: Any, default: int) -> int:
    """A small integer property (gridSpan, gridBefore ...), clamped to a sane range."""
    if el is None:
        return default
    try:
        return min(_MAX_SPAN, max(0, int(el.get(W_VAL, default))))
    except (TypeError, ValueError):
        return default


def _children(el: Any, wrappers: frozenset[str] = frozenset({W_SDT, W_CUSTOMXML})) -> Iterator[Any]:
    """Child elements, looking through content controls and custom-XML wrappers."""
    for ch in el.iterchildren():
        tag = ch.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        if tag in wrappers:
            content = ch.find(W_SDTCONTENT) if tag == W_SDT else ch
            if content is not None:
                yield from _children(content, wrappers)
        else:
            yield ch


@dataclass
class _Cell:
    col: int
    span: int
    vmerge: str | None  # None | "restart" | "continue"
    hmerge_continue: bool
    text: str


@dataclass
class _Segment:
    parts: list[str]
    page: int | None = None


# --------------------------------------------------------------------------- walker


class _Walker:
    def __init__(self, doc: Any) -> None:
        self.styles, self.default_style = _style_map(doc)
        body = doc.element.body
        self.body = body
        # Section i's break type is written in section i+1's sectPr (w:type = how a section starts).
        self.sect_types = [
            (s.find(W_TYPE).get(W_VAL) if s.find(W_TYPE) is not None else None) or "nextPage"
            for s in body.iter(W_SECTPR)
            if s.getparent() is body or (s.getparent().tag == W_PPR and s.getparent().getparent().tag == W_P)
        ]
        self.sect_index = 0
        self.page = 1
        self.breaks = 0
        self.ordinal = 0
        self.textbox_depth = 0
        self.table_depth = 0
        self.explicit_pending = False  # an explicit break was counted, no text since
        self.seen_text = False
        self.marks: list[list[int | None]] = []  # open "page of first text" marks (table rows)
        self.problems: list[Problem] = []

    # ---- page bookkeeping

    def _break(self, explicit: bool) -> None:
        if self.textbox_depth:
            return  # text boxes float; their breaks are not in the page flow
        if not explicit and self.explicit_pending:
            self.explicit_pending = False  # Word's rendered break right after an explicit one
            return
        self.page += 1
        self.breaks += 1
        self.explicit_pending = explicit

    def _saw_text(self, text: str) -> None:
        if text.strip():
            self.explicit_pending = False
            self.seen_text = True
            for m in self.marks:
                if m[0] is None:
                    m[0] = self.page

    def _ref(self, page: int | None, line: int) -> SourceRef:
        return SourceRef(page=page if page is not None else self.page, line=line)

    # ---- blocks

    def blocks(self, container: Any) -> list[Block]:
        out: list[Block] = []
        for el in _children(container):
            if el.tag == W_P:
                out.extend(self.paragraph(el))
            elif el.tag == W_TBL:
                out.extend(self.table(el))
            elif el.tag == W_ALTCHUNK:
                self.problems.append(
                    Problem(
                        "DOCX_ALTCHUNK",
                        "warning",
                        "embedded document (altChunk) not read",
                        SourceRef(line=self.ordinal + 1),
                    )
                )
        return out

    def paragraph(self, p: Any) -> list[Block]:
        self.ordinal += 1
        line_no = self.ordinal
        ppr = p.find(W_PPR)
        pstyle = ppr.find(W_PSTYLE) if ppr is not None else None
        style_id = pstyle.get(W_VAL) if pstyle is not None else None
        info = self.styles.get(style_id) if style_id else self.default_style
        style = info.name if info is not None else style_id
        pbb_el = ppr.find(W_PAGEBREAKBEFORE) if ppr is not None else None
        pbb = _on(pbb_el) if pbb_el is not None else (info.page_break_before if info is not None else False)
        if pbb and self.seen_text and not self.table_depth:
            self._break(explicit=True)

        segments = [_Segment([])]
        textboxes: list[Any] = []
        self._inline(p, segments, textboxes)

        out: list[Block] = []
        for seg in segments:
            text = "".join(seg.parts)
            if text.strip():
                out.append(TextLine(text, self._ref(seg.page, line_no), style))
        for txbx in textboxes:
            self.textbox_depth += 1
            try:
                out.extend(self.blocks(txbx))
            finally:
                self.textbox_depth -= 1

        sect = ppr.find(W_SECTPR) if ppr is not None else None
        if sect is not None:
            self.sect_index += 1
            nxt = self.sect_types[self.sect_index] if self.sect_index < len(self.sect_types) else "nextPage"
            if nxt in _PAGE_SECTION_TYPES and not self.table_depth:
                self._break(explicit=True)  # (ignored in text boxes by _break)
        return out

    def _inline(self, el: Any, segments: list[_Segment], textboxes: list[Any]) -> None:
        for ch in el.iterchildren():
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP_INLINE:
                continue
            if tag == W_T:
                self._add(segments, (ch.text or "").replace("\t", " "))
            elif tag in (W_TAB, W_PTAB):
                self._add(segments, " ")
            elif tag == W_BR:
                if ch.get(W_TYPE) == "page":
                    self._break(explicit=True)
                segments.append(_Segment([]))
            elif tag == W_CR:
                segments.append(_Segment([]))
            elif tag == W_LRPB:
                self._break(explicit=False)
            elif tag == W_NOBREAKHYPHEN:
                self._add(segments, "-")
            elif tag == W_SYM:
                self._add(segments, _sym_text(ch))
            elif tag == W_TXBXCONTENT:
                textboxes.append(ch)
            elif tag.startswith(f"{{{_W}}}") and tag.endswith("Pr"):
                continue  # pPr, rPr, sdtPr ... (properties, no text)
            else:
                self._inline(ch, segments, textboxes)  # runs, hyperlinks, fields, sdt, drawings ...

    def _add(self, segments: list[_Segment], text: str) -> None:
        if not text:
            return
        seg = segments[-1]
        if seg.page is None and text.strip():
            seg.page = self.page
        seg.parts.append(text)
        self._saw_text(text)

    # ---- tables

    def table(self, tbl: Any) -> list[Block]:
        self.table_depth += 1
        try:
            return self._table(tbl)
        finally:
            self.table_depth -= 1

    def _table(self, tbl: Any) -> list[Block]:
        rows: list[list[_Cell]] = []
        refs: list[SourceRef] = []
        widths: list[int] = []
        nested: list[Block] = []
        for tr in _children(tbl):
            if tr.tag != W_TR:
                continue
            trpr = tr.find(W_TRPR)
            if trpr is not None and trpr.find(_w("del")) is not None:
                continue  # row deleted with tracked changes
            before = _int_attr(trpr.find(W_GRIDBEFORE) if trpr is not None else None, 0)
            after = _int_attr(trpr.find(W_GRIDAFTER) if trpr is not None else None, 0)
            mark: list[int | None] = [None]
            self.marks.append(mark)
            first_line = self.ordinal + 1
            start_page = self.page
            cells: list[_Cell] = []
            col = before
            try:
                for tc in _children(tr):
                    if tc.tag != W_TC:
                        continue
                    tcpr = tc.find(W_TCPR)
                    span = max(1, _int_attr(tcpr.find(W_GRIDSPAN) if tcpr is not None else None, 1))
                    vm = tcpr.find(W_VMERGE) if tcpr is not None else None
                    hm = tcpr.find(W_HMERGE) if tcpr is not None else None
                    vmerge = None if vm is None else ("restart" if vm.get(W_VAL) == "restart" else "continue")
                    hcont = hm is not None and hm.get(W_VAL) != "restart"
                    lines: list[str] = []
                    for b in self.blocks(tc):
                        if isinstance(b, TextLine):
                            lines.append(b.text)
                        else:
                            nested.append(b)
                    cells.append(_Cell(col, span, vmerge, hcont, "\n".join(lines)))
                    col += span
            finally:
                self.marks.pop()
            rows.append(cells)
            widths.append(col + after)
            refs.append(SourceRef(page=mark[0] if mark[0] is not None else start_page, line=first_line))
        if not rows:
            return nested
        grid, spanned = _resolve(rows, max(widths))
        return [Table(grid, refs[0], refs, spanned), *nested]


def _sym_text(el: Any) -> str:
    try:
        code = int(el.get(W_CHAR, ""), 16)
    except ValueError:
        return ""
    font = (el.get(W_FONT) or "").lower()
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    if (font, low) in _SYMBOLS:
        return _SYMBOLS[(font, low)]
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""


def _resolve(rows: list[list[_Cell]], width: int) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """Lay cells out on the grid; every merged cell's text goes to all positions it covers."""
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    parts: dict[tuple[int, int], list[str]] = {}
    for r, cells in enumerate(rows):
        for cell in cells:
            left = (r, cell.col - 1)
            above = (r - 1, cell.col)
            if cell.hmerge_continue and left in origin:
                o = origin[left]
            elif cell.vmerge == "continue" and above in origin:
                o = origin[above]
            else:
                o = (r, cell.col)
                parts[o] = []
            if cell.text:
                parts[o].append(cell.text)  # text in a continuation cell is kept with its origin
            for c in range(cell.col, cell.col + cell.span):
                origin[(r, c)] = o
    grid = [[""] * width for _ in rows]
    spanned: set[tuple[int, int]] = set()
    for pos, o in origin.items():
        grid[pos[0]][pos[1]] = "\n".join(parts[o])
        if pos != o:
            spanned.add(pos)
    return grid, spanned


# --------------------------------------------------------------------------- API


def read_docx(path: str) -> Document:
    """Read a ``.docx`` file into the common document model.

    Raises :class:`ExtractError` (with a plain message) if the file is not a
    readable DOCX: not a zip, no ``word/document.xml``, corrupt XML, a DOCTYPE
    declaration, or an archive that would unpack to more than the size limits.
    """
    path = str(path)
    doc = _open(path)
    walker = _Walker(doc)
    try:
        blocks = walker.blocks(walker.body)
    except RecursionError:
        raise _fail("document structure is nested too deeply") from None
    if walker.breaks == 0:  # no page information at all: paragraph ordinals only
        for b in blocks:
            if isinstance(b, TextLine):
                b.ref = SourceRef(line=b.ref.line)
            else:
                b.row_refs = [SourceRef(line=r.line) for r in b.row_refs]
                b.ref = b.row_refs[0]
    return Document(path=path, format="docx", blocks=blocks, n_pages=None, problems=walker.problems)
