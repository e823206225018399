"""The character tables of the Thai repair (:mod:`prongsai.normalize.thai`): legacy font
glyph codes and look-alike letters of other scripts, with the Thai characters they stand for
(from ``data/thai_glyphs.csv``, sources in ``data/SOURCES.md``)."""

from __future__ import annotations

import csv
import io
from importlib import resources


def glyph_table(kind: str) -> dict[str, str]:
    """A character map from ``data/thai_glyphs.csv`` (``kind``: pua_windows, pua_mac, lookalike).

    Legacy Windows (U+F7xx) and Mac (U+F8xx) Thai PUA glyph variants come from HarfBuzz's
    Thai shaper (research §8; U+F71B–U+F71F from the TLWG glyph names only). Look-alikes are
    letters of other scripts typed or emitted inside Thai words: Lao (``เทศบາล`` with Lao AA
    is seen in the seeds; ຊ and ຍ are mapped by shape) and Arabic MEEM for ม
    (``ไม่ใช้งบประมาณ``).

    >>> glyph_table("lookalike")["\u0eb2"], glyph_table("pua_windows")["\uf70a"]  # Lao AA, MAI EK
    ('า', '่')
    """
    text = resources.files("prongsai.data").joinpath("thai_glyphs.csv").read_text(encoding="utf-8")
    return {chr(int(r["code"][2:], 16)): chr(int(r["maps_to"][2:], 16))
            for r in csv.DictReader(io.StringIO(text)) if r["kind"] == kind}


#: legacy Windows and Mac PUA glyph variants → Thai (a ``str.translate`` table)
PUA_TABLE = str.maketrans({**glyph_table("pua_windows"), **glyph_table("pua_mac")})

#: Windows Thai fonts whose alternate tone glyphs have no ToUnicode entry come out as the
#: Latin-1 letters of their codes 201–205 (the PDF backend hands pdfplumber's ``(cid:NNN)``
#: spelling of them on the same way). Mapped only next to Thai text.
LATIN1_TONES = {"\u00c9": "\u0e48", "\u00ca": "\u0e49", "\u00cb": "\u0e4a", "\u00cc": "\u0e4b", "\u00cd": "\u0e4c"}
LATIN1_TABLE = str.maketrans(LATIN1_TONES)

#: Look-alike letters of other scripts inside Thai words → Thai (see ``glyph_table``).
LOOKALIKES: dict[str, str] = glyph_table("lookalike")
LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)
#: the look-alike letters, as one string
FOREIGN = "".join(LOOKALIKES)
