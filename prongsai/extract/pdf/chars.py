"""Characters of a PDF page: read from pdfium's text page (:func:`page_chars`) or from
pdfplumber's character objects (:func:`plumber_chars`), classified (base, combining mark,
space, line break) and kept in top-down page coordinates (``top`` grows downwards, as in
pdfplumber), so both sources and the ruling lines agree."""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prongsai.extract.pdf.objects import Matrix
from prongsai.normalize.thai_chars import MARKS, WINDOWS_PUA_MARKS, chars_of

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


#: the kind of every character met so far (``char_kind`` is pure; controls are never put in)
_KINDS: dict[str, int] = {}


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


#: one glyph in content-stream order: ``(text, x0, x1, top, bottom, size)`` in top-down
#: page coordinates (pdfplumber's ``page.chars`` fields; ``size`` 0 when unknown)
Glyph = tuple[str, float, float, float, float, float]


def glyph_of(obj: dict[str, Any]) -> Glyph:
    """A pdfplumber character object as a :data:`Glyph`.

    >>> glyph_of(dict(text="ก", x0=1, x1=5, top=0, bottom=14, size=None))
    ('ก', 1.0, 5.0, 0.0, 14.0, 0.0)
    """
    return (obj["text"], float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"]), float(obj.get("size") or 0.0))


def plumber_chars(glyphs: Iterable[Glyph], cid_map: dict[str, str] | None = None, *, space_gap_em: float = 0.2) -> list[Char]:
    """Characters from glyphs in content-stream order (the text flow): pdfium's
    (:func:`prongsai.extract.pdf.flow.flow_chars`) or pdfplumber's ``page.chars``
    (:func:`glyph_of`).

    pdfminer keeps the order in which the PDF draws the glyphs, which is the logical
    order even where a broken font draws a mark over the next letter; it draws no
    spaces, so a space is put where a base character starts more than ``space_gap_em``
    font sizes after the right edge of the base characters before it on the same
    line. ``(cid:NNN)`` glyphs are replaced from ``cid_map`` (unmapped ones stay as
    the string ``(cid:NNN)``, a mark when drawn without width); control characters
    are dropped.

    >>> glyphs = [(t, x, x + w, 0, 14, 14) for t, x, w in
    ...           [("ด", 0, 5), ("(cid:202)", 6.5, 0), ("ว", 5, 4), ("ย", 9, 5), ("ก", 20, 5)]]
    >>> "".join(c.text for c in plumber_chars(glyphs, {"(cid:202)": "\u0e49"}))
    'ด้วย ก'
    """
    out: list[Char] = []
    right: float | None = None  # right edge of the base characters of the current line
    top = bottom = 0.0
    for text, x0, x1, c_top, c_bottom, g_size in glyphs:
        if text.startswith("(cid:") and cid_map:
            text = cid_map.get(text, text)
        if len(text) == 1:
            if (kind_ := _KINDS.get(text)) is None:
                if ord(text) < 0x20 and text not in "\t\n\r" or text in "\ufffe\ufeff":
                    continue
                kind_ = _KINDS[text] = char_kind(text)
            kind = kind_
        elif not text:
            continue
        else:  # a ligature or an unmapped (cid:NNN); without width it sits on the glyph before it
            kind = MARK if text.startswith("(cid:") and x1 - x0 < 0.01 else BASE
        if kind == BREAK:
            right = None
        elif kind == SPACE:
            right = None
            out.append(Char(" ", x0, x1, c_top, c_bottom, SPACE))
            continue
        elif kind == BASE:
            # min() / max() written out (the same values, without a call per glyph)
            if right is not None:
                h = bottom - top
                if c_bottom - c_top < h:
                    h = c_bottom - c_top
                low = c_bottom if c_bottom < bottom else bottom
                high = c_top if c_top > top else top
                if low - high >= 0.5 * h:  # overlap()
                    size = g_size or h
                    if x0 - right > space_gap_em * size:
                        out.append(Char(" ", right, x0, c_top, c_bottom, SPACE))
                    right = (x1 if x1 > right else right) if x0 >= right - size else x1
                else:
                    right = x1
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


def prototype(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """pdfium's function ``fn`` (a pypdfium2 binding) called through a prototype of our own,
    e.g. one that returns an object's address as an int (so objects can be compared and
    looked up without a ``ctypes.cast`` per character)."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    if address is None:
        raise RuntimeError(f"pdfium has no {fn!r}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


# The per-character calls declare no argument types: ctypes then converts no argument (a
# declared type costs a conversion per argument per call, about half the call's time). They
# are called with ctypes objects for the pointers (the text page as a ``c_void_p``, the
# outputs ``byref``) and a Python int for the index (a C ``int``), nothing else.
_P = ctypes.c_void_p
_GET_TEXT_OBJECT = prototype(pdfium_c.FPDFText_GetTextObject, _P)
_GET_UNICODE = prototype(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_GET_BOX = prototype(pdfium_c.FPDFText_GetCharBox, ctypes.c_int)
_GET_ORIGIN = prototype(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int)
_GET_FONT_SIZE = prototype(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_GET_MATRIX = prototype(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)

#: the codes by which pdfium gives a hyphen it takes for a soft hyphen at a line end (0x02 in
#: pdfium's text page, 0xFFFE in its text; test_a_hyphen_at_a_line_end_is_kept), and the hyphens
_EOL_HYPHEN = 0xFFFE
_MAYBE_HYPHEN = frozenset({_EOL_HYPHEN, 0x02, 0x2D, 0xAD})  # IsHyphen is asked for these only
#: codes pdfium may generate (between words and lines), with a size of their own
_GENERATED = frozenset({0x20, 0x0A, 0x0D, 0x02, _EOL_HYPHEN})


#: per code point: the character (empty for a control character pdfium gives for an unmapped
#: glyph), its kind, and whether pdfium may mean a hyphen by it
_CODE_INFOS: dict[int, tuple[str, int, bool]] = {}


def _code_info(code: int) -> tuple[str, int, bool]:
    """What :func:`read_chars` makes of the code point pdfium gives.

    >>> _code_info(0x0E01), _code_info(0x03), _code_info(0xFFFE), _code_info(0x20)
    (('ก', 0, False), ('', 0, False), ('', 0, True), (' ', 2, False))
    """
    maybe_hyphen = code in _MAYBE_HYPHEN
    if code < 0x20 and code not in (9, 10, 13) or code in (0xFFFE, 0xFEFF) or code >= 0x110000:
        return "", 0, maybe_hyphen
    ch = chr(code)
    return ch, char_kind(ch), maybe_hyphen


@dataclass(slots=True)
class PageChars:
    """What one pass over a page's text page gives: the characters in pdfium order
    (:func:`page_chars`), the control characters dropped, and per character drawn by a
    text object ``(index, code, object address, origin x, origin y, has origin, size)``,
    which the text flow (:mod:`prongsai.extract.pdf.flow`) orders again without asking
    pdfium a second time."""

    chars: list[Char]
    controls: int
    glyphs: list[tuple[int, int, int, float, float, bool, float]]


def read_chars(textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> PageChars:
    """The page's characters in pdfium order, in top-down displayed coordinates, and
    the number of control characters dropped (unmapped glyphs, for the diagnosis).

    Horizontal extent is the tight glyph box. The vertical extent is the font's em
    box on the baseline (the same for every glyph of a line, so lines group and
    compare cleanly); the tight box when the font size is not plausible.

    pdfium is asked once per character for its code, object, box and origin, and
    once per text object for the font size (a character pdfium generated, without a text
    object, only when its size is used).
    """
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    a, b, c, d, e, f = m
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    tm = pdfium_c.FS_MATRIX()
    chars: list[Char] = []
    glyphs: list[tuple[int, int, int, float, float, bool, float]] = []
    controls = 0
    sizes: dict[int, float] = {}
    infos = _CODE_INFOS
    get_object, get_box, get_origin, get_unicode = _GET_TEXT_OBJECT, _GET_BOX, _GET_ORIGIN, _GET_UNICODE
    tp = ctypes.cast(raw, ctypes.c_void_p)
    p_left, p_right, p_bottom, p_top = (ctypes.byref(v) for v in (left, right, bottom, top))
    p_ox, p_oy, p_tm = ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(tm)

    def font_size(i: int) -> float:
        size: float = _GET_FONT_SIZE(tp, i)
        if _GET_MATRIX(tp, i, p_tm):
            size *= math.sqrt(abs(tm.a * tm.d - tm.b * tm.c))  # font size 1 scaled by the text matrix
        return size

    for i in range(n):
        code = get_unicode(tp, i)
        addr = get_object(tp, i) or 0
        has_origin = bool(get_origin(tp, i, p_ox, p_oy))
        # the size of a glyph is that of its text object; a space or line break may be one
        # pdfium generated (its own size), so it is asked for
        size: float | None = None
        if addr:
            if code in _GENERATED or (size := sizes.get(addr)) is None:
                size = font_size(i)
                if code not in _GENERATED:
                    sizes[addr] = size
            glyphs.append((i, code, addr, ox.value, oy.value, has_origin, size))
        if (info := infos.get(code)) is None:
            info = _code_info(code)
            if code < 0x110000:
                infos[code] = info
        ch, kind, maybe_hyphen = info
        if maybe_hyphen and pdfium_c.FPDFText_IsHyphen(raw, i):
            ch, kind = "-", BASE  # pdfium takes a hyphen at a line end for a soft hyphen; in Thai it is real (รับ-จ่าย)
        elif not ch:  # a control character
            controls += code < 0x20 or code >= 0x110000
            continue
        if kind == BREAK:
            chars.append(Char(ch, 0.0, 0.0, 0.0, 0.0, BREAK))
            continue
        if not get_box(tp, i, p_left, p_right, p_bottom, p_top):
            continue
        lx, rx, by, ty = left.value, right.value, bottom.value, top.value
        xa, ya = a * lx + c * by + e, b * lx + d * by + f
        xb, yb = a * rx + c * ty + e, b * rx + d * ty + f
        if xa < xb:
            x0, x1 = xa, xb
        else:
            x0, x1 = xb, xa
        if ya > yb:
            y_top, y_bottom = height - ya, height - yb
        else:
            y_top, y_bottom = height - yb, height - ya
        if kind != MARK and has_origin:
            if size is None:
                size = font_size(i)
            if size > 0 and size >= 0.5 * (y_bottom - y_top):
                base = height - (b * ox.value + d * oy.value + f)
                y_top, y_bottom = base - 0.75 * size, base + 0.25 * size
        chars.append(Char(ch, x0, x1, y_top, y_bottom, kind))
    return PageChars(chars, controls, glyphs)


def page_chars(textpage: pdfium.PdfTextPage, m: Matrix, height: float) -> tuple[list[Char], int]:
    """:func:`read_chars`'s characters and count of dropped control characters."""
    read = read_chars(textpage, m, height)
    return read.chars, read.controls


_CID_TONE = re.compile(r"\(cid:(20[1-5])\)")


def cid_tones_as_codes(text: str) -> str:
    """pdfplumber's ``(cid:201)`` … ``(cid:205)`` as the Latin-1 characters of those codes,
    which is how pypdfium2 reports the same glyphs: the alternate tone marks (MAI EK …
    THANTHAKHAT) of Windows Thai fonts without a ToUnicode entry. Both readers then hand
    the same text on, and the Thai repair maps them where they sit next to Thai.

    >>> cid_tones_as_codes("ที(cid:201)สุด (cid:205) (cid:206)")
    'ทีÉสุด Í (cid:206)'
    """
    return _CID_TONE.sub(lambda m: chr(int(m.group(1))), text) if "(cid:20" in text else text
