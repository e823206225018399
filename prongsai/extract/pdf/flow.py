"""The glyphs of a PDF page in content-stream order (the text flow), from what one pass
over pdfium's text page read (:class:`~prongsai.extract.pdf.chars.PageChars`).

pdfium's text page orders characters by position; broken fonts (marks drawn over the next
letter) need the order in which the PDF draws them, which is the logical one.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.pdf.chars import Glyph, PageChars, prototype, read_chars
from prongsai.extract.pdf.objects import Matrix, object_matrix, page_objects
from prongsai.normalize.thai_chars import THAI_BLOCK

_GET_FONT = prototype(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)
_GLYPH_WIDTH = prototype(
    pdfium_c.FPDFFont_GetGlyphWidth, pdfium_c.FPDF_BOOL, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_float, ctypes.POINTER(ctypes.c_float)
)


_COUNT = prototype(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, ctypes.c_void_p)
_GET = prototype(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_FORM_COUNT = prototype(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, ctypes.c_void_p)
_FORM_GET = prototype(pdfium_c.FPDFFormObj_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
_TYPE = prototype(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)


def _text_objects(page: pdfium.PdfPage) -> dict[int, tuple[int, int]]:
    """Content-stream position and enclosing form XObject (0: none) of every text object of
    the page (form XObjects entered where they are drawn), by the object's address."""
    out: dict[int, tuple[int, int]] = {}
    text, form = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM

    def walk(holder: int, in_form: int) -> None:
        count, get = (_FORM_COUNT, _FORM_GET) if in_form else (_COUNT, _GET)
        for i in range(count(holder)):
            obj = get(holder, i) or 0
            kind = _TYPE(obj)
            if kind == text:
                out[obj] = (len(out), in_form)
            elif kind == form:
                walk(obj, obj)

    walk(ctypes.cast(page.raw, ctypes.c_void_p).value or 0, 0)
    return out


def _object_matrix(page: pdfium.PdfPage, addr: int, in_form: int) -> tuple[Any, Matrix]:
    """The text object at ``addr`` and its matrix to page space (through its form XObjects)."""
    if not in_form:
        obj = ctypes.cast(addr, pdfium_c.FPDF_PAGEOBJECT)
        return obj, object_matrix(obj)
    for o, mt in page_objects(page, frozenset({pdfium_c.FPDF_PAGEOBJ_TEXT})):
        if ctypes.cast(o, ctypes.c_void_p).value == addr:
            return o, mt
    raise LookupError(addr)


def _dropped_space(obj: Any, mt: Matrix, m: Matrix, height: float) -> Glyph | None:
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
    return (" ", min(x0, x1), max(x0, x1), base - 0.75 * size, base + 0.25 * size, size)


def _latin1_stand_in(codes: list[int], k: int) -> bool:
    """A Latin-1 code point next to Thai: a glyph without a Unicode mapping, for which
    pdfium gives the raw character code (where pdfminer writes ``(cid:NNN)``)."""
    if not 0x80 <= codes[k] <= 0xFF:
        return False
    return (k > 0 and codes[k - 1] in THAI_BLOCK) or (k + 1 < len(codes) and codes[k + 1] in THAI_BLOCK)


def flow_chars(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, m: Matrix, height: float, read: PageChars | None = None
) -> list[Glyph]:
    """The page's glyphs in content-stream order (the text flow), from pdfium; ``read`` is
    what :func:`~prongsai.extract.pdf.chars.read_chars` read of the page (read again when
    not given).

    The characters are sorted by the stream position of their text object, then by their
    order inside it (spaces and line breaks pdfium generates have no object and are left
    out). A text object of which the text page has no character and whose box is empty
    holds spaces (pdfium skips a lone space glyph): it becomes one space at its origin,
    where pdfminer has its space glyph. A Latin-1 code point beside Thai is an unmapped
    glyph and becomes ``(cid:NNN)``. Each glyph is a :data:`~prongsai.extract.pdf.chars.Glyph`
    with pdfplumber's fields (``x0``/``x1`` the advance box, as pdfminer has it: a glyph
    without advance is a point at its origin; ``top``/``bottom`` the em box on the baseline),
    for :func:`~prongsai.extract.pdf.chars.plumber_chars`. On the corpus the glyph sequence
    equals pdfminer's except where pdfium honours ``/ActualText`` (SARA AM, below-vowel +
    tone clusters) and runs of spaces (one space here).
    """
    if read is None:
        read = read_chars(textpage, m, height)
    raw = textpage.raw
    objects = _text_objects(page)
    a, b, c, d, e, f = m
    upright = b == 0 and c == 0  # x does not depend on the glyph box's height
    rect = pdfium_c.FS_RECTF()
    width = ctypes.c_float()
    seen = {g[2] for g in read.glyphs}
    # text objects without a character in the text page: spaces pdfium dropped (index -1)
    dropped = [(-1, 0x20, addr, 0.0, 0.0, False, 0.0) for addr in objects if addr not in seen]
    # read.glyphs is in character-index order: a stable sort by the stream position of the
    # text object gives the order by (position, index) (every object has its own position)
    at = {addr: pos for addr, (pos, _) in objects.items()}
    glyphs = sorted(read.glyphs + dropped if dropped else read.glyphs, key=lambda g: at.get(g[2], -1))
    codes = [g[1] for g in glyphs]
    out: list[Glyph] = []
    fonts: dict[int, int] = {}
    widths: dict[tuple[int, float], dict[int, float | None]] = {}  # by font and size, by code
    # the text object and size of the glyph before, its font and the font's widths at that size
    run_obj, run_size, font = -1, 0.0, 0
    run_widths: dict[int, float | None] = {}
    for k, (i, code, obj, ox, oy, has_origin, size) in enumerate(glyphs):
        if i < 0:
            text_obj, mt = _object_matrix(page, obj, objects[obj][1])
            if (space := _dropped_space(text_obj, mt, m, height)) is not None:
                out.append(space)
            continue
        if code >= 0x110000:
            continue
        stand_in = 0x80 <= code <= 0xFF and _latin1_stand_in(codes, k)
        text = f"(cid:{code})" if stand_in else chr(code)
        advance = None
        if has_origin and not stand_in:
            if obj != run_obj or size != run_size:
                if obj not in fonts:
                    fonts[obj] = _GET_FONT(obj) or 0
                font = fonts[obj]
                run_obj, run_size = obj, size
                run_widths = widths.setdefault((font, size), {})
            if code in run_widths:
                advance = run_widths[code]
            else:
                ok = font and _GLYPH_WIDTH(font, code, size, width)
                advance = run_widths[code] = width.value if ok else None
        boxed = advance is None or not upright or not (size > 0 and has_origin)
        if boxed:
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            left, right, r_bottom, r_top = rect.left, rect.right, rect.bottom, rect.top
            if stand_in and has_origin and ox - left > right - ox:
                left = right = ox  # no Unicode to ask the width of: a glyph drawn left of its origin has no advance
        else:
            r_bottom = r_top = 0.0
        if advance is not None:
            left, right = ox, ox + advance
        xa, xb = a * left + c * r_bottom + e, a * right + c * r_top + e
        x0 = xb if xb < xa else xa  # min(xa, xb), max(xa, xb) without the calls
        x1 = xb if xb > xa else xa
        if size > 0 and has_origin:
            base = height - (b * ox + d * oy + f)
            top, bottom = base - 0.75 * size, base + 0.25 * size
        else:
            ya, yb = b * left + d * r_bottom + f, b * right + d * r_top + f
            top, bottom = height - max(ya, yb), height - min(ya, yb)
            size = bottom - top
        out.append((text, x0, x1, top, bottom, size))
    # A SARA AM read from /ActualText stands for two glyphs (NIKHAHIT without advance, then
    # SARA AA): it reaches to where the next glyph on its line starts.
    for k in range(len(out) - 1):
        text, x0, x1, top, bottom, size = out[k]
        if text == "\u0e33":
            nxt = out[k + 1]
            if 0 < nxt[1] - x1 < 0.6 * size and abs(nxt[3] - top) < 0.5 * size:
                out[k] = (text, x0, nxt[1], top, bottom, size)
    return out
