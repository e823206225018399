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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prongsai.diagnostics import WarningCode
from prongsai.extract.docx_package import not_a_docx, open_docx
from prongsai.extract.docx_styles import style_map
from prongsai.model import Block, Document, Problem, SourceRef, Table, TextLine

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


W_P, W_TBL, W_TR, W_TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
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
        self.styles, self.default_style = style_map(doc)
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
                    Problem.of(
                        WarningCode.DOCX_ALTCHUNK,
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
    doc = open_docx(path)
    walker = _Walker(doc)
    try:
        blocks = walker.blocks(walker.body)
    except RecursionError:
        raise not_a_docx("document structure is nested too deeply") from None
    if walker.breaks == 0:  # no page information at all: paragraph ordinals only
        for b in blocks:
            if isinstance(b, TextLine):
                b.ref = SourceRef(line=b.ref.line)
            else:
                b.row_refs = [SourceRef(line=r.line) for r in b.row_refs]
                b.ref = b.row_refs[0]
    return Document(path=path, format="docx", blocks=blocks, n_pages=None, problems=walker.problems)
