"""Characters of a PDF page: read from pdfium's text page (:func:`page_chars`) or from
pdfplumber's character objects (:func:`plumber_chars`), classified (base, combining mark,
space, line break) and kept in top-down page coordinates (``top`` grows downwards, as in
pdfplumber), so both sources and the ruling lines agree."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.pdf.objects import Matrix, page_objects
from prongsai.normalize.thai_chars import MARKS, THAI_BLOCK, WINDOWS_PUA_MARKS, chars_of

# --- characters -----------------------------------------------------------------

BASE, MARK, SPACE, BREAK = 0, 1, 2, 3

_THAI_MARKS = frozenset(chars_of(MARKS))
# Legacy "shifted" glyph code points (Windows PUA) that stand for combining marks.
_PUA_MARKS = frozenset(chars_of(WINDOWS_PUA_MARKS))


def char_kind(ch: str) -> int:
    """Classify one character.

    >>> [char_kind(c) for c in ("ก", "\\u0e49", " ", "\\n", "\\uf70a")]
    [0, 1, 2, 3, 1]
    """
    if ch in ("\r", "\n"):
        return BREAK
    if ch in _THAI_MARKS or ch in _PUA_MARKS:
        return MARK
    if ch.isspace() or ch == "\x00":
        return SPACE
    return BASE


@dataclass(slots=True)
class Char:
    """One pdfium character in top-down page coordinates."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    kind: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


def plumber_chars(
    objs: Iterable[dict], cid_map: dict[str, str] | None = None, *, space_gap_em: float = 0.2
) -> list[Char]:
    """Characters from pdfplumber's ``page.chars`` (content-stream order, the text flow).

    pdfminer keeps the order in which the PDF draws the glyphs, which is the logical
    order even where a broken font draws a mark over the next letter; it draws no
    spaces, so a space is put where a base character starts more than ``space_gap_em``
    font sizes after the right edge of the base characters before it on the same
    line. ``(cid:NNN)`` glyphs are replaced from ``cid_map`` (unmapped ones stay as
    the string ``(cid:NNN)``, a mark when drawn without width); control characters
    are dropped.

    >>> objs = [dict(text=t, x0=x, x1=x + w, top=0, bottom=14, size=14) for t, x, w in
    ...         [("ด", 0, 5), ("(cid:202)", 6.5, 0), ("ว", 5, 4), ("ย", 9, 5), ("ก", 20, 5)]]
    >>> "".join(c.text for c in plumber_chars(objs, {"(cid:202)": "\u0e49"}))
    'ด้วย ก'
    """
    out: list[Char] = []
    right: float | None = None  # right edge of the base characters of the current line
    top = bottom = 0.0
    for o in objs:
        text = o["text"]
        if text.startswith("(cid:") and cid_map:
            text = cid_map.get(text, text)
        if len(text) == 1:
            if ord(text) < 0x20 and text not in "\t\n\r" or text in "\ufffe\ufeff":
                continue
            kind = char_kind(text)
        elif not text:
            continue
        else:  # a ligature or an unmapped (cid:NNN); without width it sits on the glyph before it
            kind = MARK if text.startswith("(cid:") and float(o["x1"]) - float(o["x0"]) < 0.01 else BASE
        x0, x1, c_top, c_bottom = float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"])
        if kind == BREAK:
            right = None
        elif kind == SPACE:
            right = None
            out.append(Char(" ", x0, x1, c_top, c_bottom, SPACE))
            continue
        elif kind == BASE:
            h = min(bottom - top, c_bottom - c_top)
            if right is not None and overlap(top, bottom, c_top, c_bottom) >= 0.5 * h:
                size = float(o.get("size") or h)
                if x0 - right > space_gap_em * size:
                    out.append(Char(" ", right, x0, c_top, c_bottom, SPACE))
                right = max(right, x1) if x0 >= right - size else x1
            else:
                right = x1
            top, bottom = c_top, c_bottom
        out.append(Char(text, x0, x1, c_top, c_bottom, kind))
    return out






def page_matrix(page: pdfium.PdfPage) -> tuple[Matrix, float, float]:
    """pdfminer's page matrix (so pdfium and pdfplumber coordinates agree) and the
    displayed width and height."""
    # pdfium does not inherit a MediaBox from the page tree (crbug.com/pdfium/1786); the
    # bounding box does (it is the crop box, the same in all but rare files)
    x0, y0, x1, y1 = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    rot = page.get_rotation() % 360
    if rot == 90:
        m: Matrix = (0, -1, 1, 0, -y0, x1)
    elif rot == 180:
        m = (-1, 0, 0, -1, x1, y1)
    elif rot == 270:
        m = (0, 1, -1, 0, y1, -x0)
    else:
        m = (1, 0, 0, 1, -x0, -y0)
    w, h = x1 - x0, y1 - y0
    return m, (h if rot in (90, 270) else w), (w if rot in (90, 270) else h)


def page_chars(textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> tuple[list[Char], int]:
    """The page's characters in pdfium order, in top-down displayed coordinates, and
    the number of control characters dropped (unmapped glyphs, for the diagnosis).

    Horizontal extent is the tight glyph box. The vertical extent is the font's em
    box on the baseline (the same for every glyph of a line, so lines group and
    compare cleanly); the tight box when the font size is not plausible.
    """
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    a, b, c, d, e, f = m
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    tm = pdfium_c.FS_MATRIX()
    out: list[Char] = []
    controls = 0
    for i in range(n):
        if pdfium_c.FPDFText_IsHyphen(raw, i):
            ch = "-"  # pdfium takes a hyphen at a line end for a soft hyphen; in Thai it is real (รับ-จ่าย)
        else:
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code < 0x20 and code not in (9, 10, 13) or code in (0xFFFE, 0xFEFF) or code >= 0x110000:
                controls += code < 0x20 or code >= 0x110000
                continue
            ch = chr(code)
        kind = char_kind(ch)
        if kind == BREAK:
            out.append(Char(ch, 0.0, 0.0, 0.0, 0.0, BREAK))
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            continue
        lx, rx, by, ty = left.value, right.value, bottom.value, top.value
        xa, ya = a * lx + c * by + e, b * lx + d * by + f
        xb, yb = a * rx + c * ty + e, b * rx + d * ty + f
        x0, x1, y_top, y_bottom = min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb)
        if kind != MARK and pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy):
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, tm):
                size *= math.sqrt(abs(tm.a * tm.d - tm.b * tm.c))  # font size 1 scaled by the text matrix
            if size > 0 and size >= 0.5 * (y_bottom - y_top):
                base = height - (b * ox.value + d * oy.value + f)
                y_top, y_bottom = base - 0.75 * size, base + 0.25 * size
        out.append(Char(ch, x0, x1, y_top, y_bottom, kind))
    return out, controls



def _address_fn(name: str, argtypes: tuple[Any, ...]) -> Any:
    """A private binding of pdfium's ``name`` that returns the object's address (an int),
    so objects can be compared and looked up without a ``ctypes.cast`` per character."""
    from pypdfium2_raw.bindings import _libs

    fn = _libs["pdfium"][name]
    fn.argtypes = argtypes
    fn.restype = ctypes.c_void_p
    return fn


_GET_TEXT_OBJECT = _address_fn("FPDFText_GetTextObject", (pdfium_c.FPDF_TEXTPAGE, ctypes.c_int))
_GET_FONT = _address_fn("FPDFTextObj_GetFont", (ctypes.c_void_p,))
_GLYPH_WIDTH = _address_fn("FPDFFont_GetGlyphWidth", (ctypes.c_void_p, ctypes.c_uint32, ctypes.c_float, ctypes.POINTER(ctypes.c_float)))
_GLYPH_WIDTH.restype = pdfium_c.FPDF_BOOL


def _text_objects(page: pdfium.PdfPage) -> dict[int, tuple[int, Any, Matrix]]:
    """Content-stream position, object and matrix to page space of every text object of the
    page (form XObjects included), by the object's address."""
    texts = page_objects(page, frozenset({pdfium_c.FPDF_PAGEOBJ_TEXT}))
    return {ctypes.cast(obj, ctypes.c_void_p).value or 0: (i, obj, mt) for i, (obj, mt) in enumerate(texts)}


def _dropped_space(obj: Any, mt: Matrix, m: Matrix, height: float) -> dict[str, Any] | None:
    """The space glyph of a text object pdfium's text page left out: a space drawn as an
    object of its own (its box has no width or no height, and pdfium skips it). It starts
    at the object's origin and is one space advance wide. An object that draws something
    (a glyph whose text an ``/ActualText`` span gave to another object) is no space."""
    fs = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj, fs):
        return None
    a, b, c, d, e, f = mt
    size = fs.value * math.sqrt(abs(a * d - b * c))
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if size <= 0 or not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    if min(right.value - left.value, top.value - bottom.value) > 0.01 * size:
        return None  # it draws something: a glyph of an /ActualText span (SARA AA of a SARA AM)
    width = ctypes.c_float()
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    adv = width.value if font and pdfium_c.FPDFFont_GetGlyphWidth(font, 0x20, size, width) else 0.25 * size
    pa, pb, pc, pd, pe, pf = m
    x0 = pa * e + pc * f + pe
    x1 = pa * (e + adv) + pc * f + pe
    base = height - (pb * e + pd * f + pf)
    return {"text": " ", "x0": min(x0, x1), "x1": max(x0, x1), "top": base - 0.75 * size, "bottom": base + 0.25 * size, "size": size}


def _latin1_stand_in(codes: list[int], k: int) -> bool:
    """A Latin-1 code point next to Thai: a glyph without a Unicode mapping, for which
    pdfium gives the raw character code (where pdfminer writes ``(cid:NNN)``)."""
    if not 0x80 <= codes[k] <= 0xFF:
        return False
    return (k > 0 and codes[k - 1] in THAI_BLOCK) or (k + 1 < len(codes) and codes[k + 1] in THAI_BLOCK)


def flow_chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> list[dict[str, Any]]:
    """The page's glyphs in content-stream order (the text flow), from pdfium.

    pdfium's text page orders characters by position; broken fonts (marks drawn over
    the next letter) need the order in which the PDF draws them, which is the logical
    one: the characters are sorted by the stream position of their text object, then
    by their order inside it (spaces and line breaks pdfium generates have no object
    and are left out). A text object of which the text page has no character and whose
    box is empty holds spaces (pdfium skips a lone space glyph): it becomes one space at
    its origin, where pdfminer has its space glyph. A Latin-1 code point beside Thai is an unmapped glyph and
    becomes ``(cid:NNN)``. Each glyph is a dict like pdfplumber's ``page.chars``
    (``text``; ``x0``/``x1`` the advance box, as pdfminer has it: a glyph without
    advance is a point at its origin; ``top``/``bottom`` the em box on the baseline;
    ``size``), for :func:`plumber_chars`. On the corpus the glyph sequence equals
    pdfminer's except where pdfium honours ``/ActualText`` (SARA AM, below-vowel +
    tone clusters) and runs of spaces (one space here).
    """
    raw = textpage.raw
    objects = _text_objects(page)
    a, b, c, d, e, f = m
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    tm = pdfium_c.FS_MATRIX()
    width = ctypes.c_float()
    keyed: list[tuple[int, int, int, int]] = []
    seen: set[int] = set()
    get_object, get_unicode = _GET_TEXT_OBJECT, pdfium_c.FPDFText_GetUnicode
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        addr = get_object(raw, i)
        if addr:
            seen.add(addr)
            at = objects[addr][0] if addr in objects else -1
            keyed.append((at, i, get_unicode(raw, i), addr))
    # text objects without a character in the text page: spaces pdfium dropped (i = -1)
    keyed += [(at, -1, 0x20, addr) for addr, (at, _, _) in objects.items() if addr not in seen]
    keyed.sort(key=lambda t: (t[0], t[1]))
    codes = [t[2] for t in keyed]
    out: list[dict[str, Any]] = []
    fonts: dict[int, int] = {}
    widths: dict[tuple[int, int, float], float | None] = {}
    for k, (_, i, code, obj) in enumerate(keyed):
        if i < 0:
            _, text_obj, mt = objects[obj]
            if (space := _dropped_space(text_obj, mt, m, height)) is not None:
                out.append(space)
            continue
        if code >= 0x110000 or not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            continue
        stand_in = _latin1_stand_in(codes, k)
        text = f"(cid:{code})" if stand_in else chr(code)
        left, right = rect.left, rect.right
        size = pdfium_c.FPDFText_GetFontSize(raw, i)
        if pdfium_c.FPDFText_GetMatrix(raw, i, tm):
            size *= math.sqrt(abs(tm.a * tm.d - tm.b * tm.c))  # font size 1 scaled by the text matrix
        has_origin = pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
        if has_origin:
            if stand_in:  # no Unicode to ask the width of: a glyph drawn left of its origin has no advance
                if ox.value - left > right - ox.value:
                    left = right = ox.value
            else:
                if (font := fonts.get(obj)) is None:
                    font = fonts[obj] = _GET_FONT(obj) or 0
                if (key := (font, code, size)) not in widths:
                    ok = font and _GLYPH_WIDTH(font, code, size, width)
                    widths[key] = width.value if ok else None
                if (advance := widths[key]) is not None:
                    left, right = ox.value, ox.value + advance
        xa, xb = a * left + c * rect.bottom + e, a * right + c * rect.top + e
        ya, yb = b * left + d * rect.bottom + f, b * right + d * rect.top + f
        x0, x1, top, bottom = min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb)
        if size > 0 and has_origin:
            base = height - (b * ox.value + d * oy.value + f)
            top, bottom = base - 0.75 * size, base + 0.25 * size
        else:
            size = bottom - top
        out.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size})
    # A SARA AM read from /ActualText stands for two glyphs (NIKHAHIT without advance, then
    # SARA AA): it reaches to where the next glyph on its line starts.
    for k in range(len(out) - 1):
        o, nxt = out[k], out[k + 1]
        if o["text"] == "\u0e33" and 0 < nxt["x0"] - o["x1"] < 0.6 * o["size"] and abs(nxt["top"] - o["top"]) < 0.5 * o["size"]:
            o["x1"] = nxt["x0"]
    return out
