r"""Dictionary-free repair of Thai text from any extraction backend.

Every function here is a small pure ``str -> str`` rule; :func:`repair_thai` composes the
rules in a fixed order (:func:`repair_by_line` gives the same, line by line, where that is
exact). Digit folding and whitespace are :mod:`prongsai.normalize.clean`'s.

Sources of the rules: ``research/thai-pdf-extraction.md`` §3.1 (defect catalogue D1–D21),
§8 (legacy PUA table, from HarfBuzz ``hb-ot-shaper-thai.cc`` and the TLWG glyph names) and
§9.4 (repair policy), plus the real Thai government PDFs in ``corpus/real``.

What is deliberately *not* done (see the research notes): a space *after* a tone mark is a
real word space and is kept; a mark that follows a space is never deleted (it is re-attached
instead); marks moved past the next consonant (pdfplumber x-sort, ``เพ่อื``) are left alone,
because only a dictionary could tell where they belong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from prongsai.normalize.thai_chars import (
    CONSONANTS,
    LEADING_VOWELS,
    MARKS,
    THAI,
    TONES,
    TONES_THANTHAKHAT,
    VOWELS_ABOVE_BELOW,
    is_thai,
)
from prongsai.normalize.thai_glyphs import FOREIGN as _FOREIGN
from prongsai.normalize.thai_glyphs import LATIN1_TABLE as _LATIN1_TABLE
from prongsai.normalize.thai_glyphs import LOOKALIKE_TABLE as _LOOKALIKE_TABLE
from prongsai.normalize.thai_glyphs import PUA_TABLE as _PUA

__all__ = [
    "repair_by_line",
    "fix_sara_am",
    "join_mark_lines",
    "map_legacy_glyphs",
    "map_lookalikes",
    "remove_duplicate_marks",
    "remove_impossible_spaces",
    "remove_spaces_before_marks",
    "remove_zero_width",
    "reorder_marks",
    "repair_thai",
    "thai_digits_to_arabic",
]

# --------------------------------------------------------------------------- character classes

_AA, _AM, _NIKHAHIT = "\u0e32", "\u0e33", "\u0e4d"
#: horizontal whitespace (never a line break)
_HSPACE = "[^\\S\\n\\r\\x0b\\x0c\\x85\\u2028\\u2029]"
#: horizontal whitespace (every whitespace character but the line breaks), as a class
HSPACE = _HSPACE

# --------------------------------------------------------------------------- data tables

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# a run of Thai and look-alike characters; translated only if it holds a real Thai character
_MIXED_RUN = re.compile(f"[{THAI}{re.escape(_FOREIGN)}]+")
_FOREIGN_RE = re.compile(f"[{re.escape(_FOREIGN)}]")
_THAI_RE = re.compile(f"[{THAI}]")

# --------------------------------------------------------------------------- compiled rules


def _run_start(chars: str) -> str:
    """A guard for a rule that starts with a run of ``chars`` (a character class): try to
    match only where such a run starts. Tried at every character of a long run (thousands
    of padding spaces, a glyph repeated by a broken font) the rule would take quadratic time."""
    return f"(?!(?<={chars}){chars})"


_RUN_START = _run_start(_HSPACE)

# a run of unmapped tone glyphs, with the characters around it (spaces skipped)
_TONE_GLYPHS = re.compile(f"{_RUN_START}(\\S?)({_HSPACE}*)([\u00c9-\u00cd]+)(?=({_HSPACE}*)(\\S?))")
_FFFD = re.compile(f"(?<=[{THAI}])\ufffd+")
#: quick tests: most text holds no legacy glyph at all
_ANY_PUA = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_PUA)) + "]")
_ANY_LATIN1_TONE = re.compile("[\u00c9-\u00cd]")

# a line holding only marks: glue it to the previous line, and glue the next line too when it
# continues with Thai (pdfium puts a lone SARA UU on its own line, D7)
_NL = "(?:\\r\\n|\\n|\\r)"
_MARK_LINE = re.compile(
    f"(?<=[{THAI}]){_HSPACE}*{_NL}{_HSPACE}*([{MARKS}]+){_HSPACE}*(?:{_NL}(?=[{CONSONANTS}{LEADING_VOWELS}])|(?={_NL}|\\Z))"
)
_SPACE_BEFORE_MARK = re.compile(f"{_RUN_START}{_HSPACE}+(?=[{MARKS}])")
# SARA A, SARA AA and SARA AM can never start a syllable
_SPACE_BEFORE_TRAILING = re.compile(f"(?<=[{CONSONANTS}{MARKS}]){_HSPACE}+(?=[\u0e30{_AA}{_AM}])")
# spaces where no Thai syllable can end: after a leading vowel, after MAI HAN-AKAT (+tone)
_SPACE_AFTER_LEAD = re.compile(f"(?<=[{LEADING_VOWELS}]){_HSPACE}+(?=[{CONSONANTS}])")
_SPACE_AFTER_HANAKAT = re.compile(f"(?<=[{CONSONANTS}]\u0e31)([{TONES}]?){_HSPACE}+(?=[{CONSONANTS}])")

_AM_AA = re.compile(f"{_AM}{_AA}+|{_AA}+{_AM}")  # ำา, าำ → ำ  (D1)
_NIKHAHIT_AA = re.compile(f"{_NIKHAHIT}([{TONES}]?){_HSPACE}*{_AA}")  # ◌ํ(◌่)า → ◌่ำ  (D15, D16)
_AA_NIKHAHIT = re.compile(f"{_AA}([{TONES}]?){_NIKHAHIT}")  # าํ (x-sorted split SARA AM)
_AM_RUN = re.compile(f"{_AM}{{2,}}")
_TONE_AFTER_AA = re.compile(f"([{CONSONANTS}])([\u0e30{_AA}])([{TONES}])")  # จา่ → จ่า, โตะ๊ → โต๊ะ
_TONE_AFTER_AM = re.compile(f"{_AM}([{TONES}])")  # นำ้ → น้ำ
_MARK_AFTER_LEAD = re.compile(f"([{CONSONANTS}])([{LEADING_VOWELS}])([{MARKS}]+)")  # วเิ → วิเ
_TONE_BEFORE_VOWEL = re.compile(f"{_run_start(f'[{TONES_THANTHAKHAT}]')}([{TONES_THANTHAKHAT}]+)([{VOWELS_ABOVE_BELOW}])")  # รู้ → รู้  (D8)
_DUP_MARKS = re.compile(f"([{MARKS}]{{1,2}}?)\\1+")  # วิิ → วิ, ที่ี่ → ที่


# --------------------------------------------------------------------------- single rules


def thai_digits_to_arabic(text: str) -> str:
    """Replace Thai digits ๐–๙ with Arabic digits 0–9; everything else is kept.

    >>> thai_digits_to_arabic("งบประมาณ ๘,๕๐๐ บาท ปี ๒๕๖๗")
    'งบประมาณ 8,500 บาท ปี 2567'
    >>> thai_digits_to_arabic("no Thai digits 123")
    'no Thai digits 123'
    """
    return text.translate(_THAI_DIGITS)


def remove_zero_width(text: str) -> str:
    r"""Remove zero-width space/joiners, word joiner, BOM and soft hyphen.

    >>> remove_zero_width("ป\u200bระ\u00adชา\ufeffชน")
    'ประชาชน'
    """
    return text.translate(_ZERO_WIDTH)


def map_legacy_glyphs(text: str) -> str:
    r"""Map legacy font glyph codes to Unicode Thai.

    * Windows (U+F700–U+F71F) and Mac (U+F884–U+F89E) PUA glyph variants (research §8);
    * Latin-1 ``É Ê Ë Ì Í`` next to Thai text: the unmapped alternate tone glyphs (MAI EK …
      THANTHAKHAT) of Windows Thai fonts;
    * U+FFFD right after Thai (an unmapped zero-width glyph) is dropped.

    >>> map_legacy_glyphs("\u0e2a\uf70a\u0e27\u0e19")  # D11
    'ส่วน'
    >>> map_legacy_glyphs("\u0e1b\uf702\uf713")  # D13
    'ปี่'
    >>> map_legacy_glyphs("สถานทีÉดําเนินการ")
    'สถานที่ดําเนินการ'
    >>> map_legacy_glyphs("เครÉือง CAFÉ É อื É น École")
    'เคร่ือง CAFÉ É อื ่ น École'
    """
    if _ANY_PUA.search(text):
        text = text.translate(_PUA)
    if _ANY_LATIN1_TONE.search(text):
        text = _TONE_GLYPHS.sub(_map_tone_glyphs, text)
    if "\ufffd" in text:
        text = _FFFD.sub("", text)
    return text


def _map_tone_glyphs(m: re.Match[str]) -> str:
    before, space, run = m.group(1), m.group(2), m.group(3)
    after, after_space = m.group(5), m.group(4)
    thai_before = is_thai(before)
    thai_after = not after_space and is_thai(after)
    latin_neighbour = (not space and before.isascii() and before.isalpha()) or (
        not after_space and after.isascii() and after.isalpha()
    )
    if latin_neighbour or not (thai_before or thai_after):
        return m.group()
    tones = run.translate(_LATIN1_TABLE)
    return before + space + tones


def map_lookalikes(text: str) -> str:
    r"""Replace Lao / Arabic look-alike letters that sit inside Thai words with Thai ones.

    A run of Thai and look-alike characters is translated only when it holds at least one
    real Thai character, so genuine Lao or Arabic words are left alone.

    >>> map_lookalikes("เทศบ\u0eb2ล")  # Lao AA
    'เทศบาล'
    >>> map_lookalikes("ไม่ใช้งบประ\u0645าณ")  # Arabic MEEM
    'ไม่ใช้งบประมาณ'
    >>> map_lookalikes("ພາສາລາວ")  # a Lao word on its own stays Lao
    'ພາສາລາວ'
    """
    if not _FOREIGN_RE.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        run = m.group()
        return run.translate(_LOOKALIKE_TABLE) if _THAI_RE.search(run) else run

    return _MIXED_RUN.sub(fix, text)


def join_mark_lines(text: str) -> str:
    r"""Glue a line that holds only combining marks back onto the Thai text before it (D7).

    >>> join_mark_lines("\u0e23\r\n\u0e39\r\n\u0e1b\u0e20\u0e32\u0e1e")
    'รูปภาพ'
    >>> join_mark_lines("หน้า 1\nข้อความ")
    'หน้า 1\nข้อความ'
    """
    return _MARK_LINE.sub(r"\1", text)


def remove_spaces_before_marks(text: str) -> str:
    r"""Remove horizontal whitespace before a combining Thai mark.

    Also before SARA A, SARA AA and SARA AM after a Thai letter, as no syllable starts
    with them.

    Spaces *after* a mark are real word spaces and are kept.

    >>> remove_spaces_before_marks("\u0e40\u0e1e\u0e37 \u0e48\u0e2d")  # D5
    'เพื่อ'
    >>> remove_spaces_before_marks("ป้ อง")  # D10: space after the tone is kept
    'ป้ อง'
    """
    text = _SPACE_BEFORE_MARK.sub("", text)
    return _SPACE_BEFORE_TRAILING.sub("", text)


def remove_impossible_spaces(text: str) -> str:
    r"""Remove a space where no Thai syllable can end.

    A leading vowel (``เ แ โ ใ ไ``) always precedes its consonant, and MAI HAN-AKAT
    (``ั``, with or without a tone) always has a final consonant after it, so a space there
    is an extraction artefact (pdfplumber with ``use_text_flow``).

    >>> remove_impossible_spaces("ผลสั มฤทธิ์ ได้ รั บ ทั้ งหมด เ ป็น")
    'ผลสัมฤทธิ์ ได้ รับ ทั้งหมด เป็น'
    >>> remove_impossible_spaces("ที่ มี ครู ทำ งาน")  # syllables that can end: kept
    'ที่ มี ครู ทำ งาน'
    """
    text = _SPACE_AFTER_LEAD.sub("", text)
    return _SPACE_AFTER_HANAKAT.sub(r"\1", text)


def fix_sara_am(text: str) -> str:
    r"""Rebuild SARA AM from its broken spellings.

    ``ำา``/``าำ`` → ``ำ`` (D1), NIKHAHIT (+tone) + SARA AA → (tone) + SARA AM (D15, D16),
    SARA AA (+tone) + NIKHAHIT (x-sorted) → (tone) + SARA AM, repeated SARA AM → one.

    >>> fix_sara_am("\u0e15\u0e33\u0e32\u0e1a\u0e25")  # D1
    'ตำบล'
    >>> fix_sara_am("\u0e2d\u0e4d\u0e32\u0e19\u0e32\u0e08")  # D15
    'อำนาจ'
    >>> fix_sara_am("\u0e19\u0e4d\u0e49\u0e32")  # D16
    'น้ำ'
    >>> fix_sara_am("ประจาํปี จําแนก ประจํ าปี")
    'ประจำปี จำแนก ประจำปี'
    """
    text = _AM_AA.sub(_AM, text)
    text = _NIKHAHIT_AA.sub(r"\1" + _AM, text)
    text = _AA_NIKHAHIT.sub(r"\1" + _AM, text)
    return _AM_RUN.sub(_AM, text)


def reorder_marks(text: str) -> str:
    r"""Put marks in Thai logical order where the broken order can only mean one thing.

    * a tone mark or THANTHAKHAT before an above/below vowel → vowel first (D8);
    * a tone mark after SARA A, SARA AA or SARA AM belongs before it (``จา่ย``, ``นำ้``);
    * marks right after a leading vowel (``เ แ โ ใ ไ``) belong to the consonant before it.

    >>> reorder_marks("\u0e23\u0e49\u0e39")  # D8
    'รู้'
    >>> reorder_marks("รายจา่ ยประจำปี")  # the space after the tone is kept
    'รายจ่า ยประจำปี'
    >>> reorder_marks("นำ้ วเิคราะห์ โตะ๊")
    'น้ำ วิเคราะห์ โต๊ะ'
    """
    text = _TONE_AFTER_AA.sub(r"\1\3\2", text)
    text = _TONE_AFTER_AM.sub(r"\1" + _AM, text)
    text = _MARK_AFTER_LEAD.sub(r"\1\3\2", text)
    return _TONE_BEFORE_VOWEL.sub(r"\2\1", text)


def remove_duplicate_marks(text: str) -> str:
    """Collapse a mark (or pair of marks) repeated in a row into one.

    >>> remove_duplicate_marks("วิิสััยทััศน์์")
    'วิสัยทัศน์'
    >>> remove_duplicate_marks("ที่่ ที่ี่")
    'ที่ ที่'
    """
    return _DUP_MARKS.sub(r"\1", text)


# --------------------------------------------------------------------------- composites


def _repair_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = remove_zero_width(text)
    text = map_legacy_glyphs(text)
    text = map_lookalikes(text)
    text = join_mark_lines(text)
    text = remove_spaces_before_marks(text)
    text = remove_impossible_spaces(text)
    text = fix_sara_am(text)
    text = reorder_marks(text)
    return remove_duplicate_marks(text)


#: the patterns of the rules of :func:`_repair_once` after its character tables, and a
#: character one of the tables maps or removes (a rule is a no-op on a text it does not match)
_RULES = (_MARK_LINE, _SPACE_BEFORE_MARK, _SPACE_BEFORE_TRAILING, _SPACE_AFTER_LEAD, _SPACE_AFTER_HANAKAT, _AM_AA,
          _NIKHAHIT_AA, _AA_NIKHAHIT, _AM_RUN, _TONE_AFTER_AA, _TONE_AFTER_AM, _MARK_AFTER_LEAD, _TONE_BEFORE_VOWEL,
          _DUP_MARKS)  # fmt: skip
_TABLE_CHAR = re.compile(
    "[" + re.escape("".join(map(chr, [*_ZERO_WIDTH, *_PUA])) + _FOREIGN) + "\u00c9-\u00cd\ufffd]"
)


def _settled(text: str) -> bool:
    """Would :func:`_repair_once` leave ``text`` as it is? Asked before each pass: most text
    needs no repair, and searching the rules' patterns costs less than applying the rules.

    >>> _settled("ประจำปี 2567"), _settled("ประจาํปี"), _settled("ป\u200bระ"), _settled("ส\uf70aวน")
    (True, False, False, False)
    """
    return (
        unicodedata.is_normalized("NFC", text)
        and not _TABLE_CHAR.search(text)
        and not any(rule.search(text) for rule in _RULES)
    )


#: how many texts each remembering function of the text path keeps (the most recently
#: used): more than the distinct lines of an 84-page volume, and bounded, so that a worker's
#: memory does not grow with a long file or a long batch
TEXT_CACHE_SIZE = 1 << 13


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def repair_thai(text: str) -> str:
    r"""Repair Thai text from any backend, without a dictionary.

    Rules, applied in this order and repeated until nothing changes (so the result is
    idempotent): Unicode NFC; zero-width characters and soft hyphens removed; legacy PUA
    and unmapped tone glyphs mapped (:func:`map_legacy_glyphs`); Lao/Arabic look-alikes
    inside Thai words → Thai (:func:`map_lookalikes`); mark-only lines glued back
    (:func:`join_mark_lines`); whitespace before a combining mark removed, and where no
    syllable can end (:func:`remove_impossible_spaces`); SARA AM rebuilt
    (:func:`fix_sara_am`); marks reordered (:func:`reorder_marks`); repeated marks collapsed.
    It never raises on a ``str`` and never removes a Thai consonant. Each distinct text is
    repaired once (the diagnosis, the text-flow choice and the cleaning share the results).

    >>> repair_thai("วิิสััยทััศน์์")
    'วิสัยทัศน์'
    >>> repair_thai("\u0e1b\uf706\u0e2d\u0e07\u0e01\u0e31\u0e19")  # D12
    'ป้องกัน'
    >>> repair_thai("ผลสั มฤทธิ Íและประโยชน์ที Éคาดว่าจะได้ รั บ")
    'ผลสัมฤทธิ์และประโยชน์ที่คาดว่าจะได้ รับ'
    >>> repair_thai("งบรายจา่ ย จาํ แนกตามแผนงาน")
    'งบรายจ่า ย จำ แนกตามแผนงาน'
    """
    # every pass shortens the text or moves marks one way only, so this settles; real text
    # needs 1-3 passes, the bound only guards against a bug
    for _ in range(2 * len(text) + 32):
        if _settled(text):
            break
        new = _repair_once(text)
        if new == text:
            break
        text = new
    return text


# a character no rule removes and that is no mark: a line holding one never becomes a line of
# marks only, the one rule (join_mark_lines) that looks across a line break
_SOLID = re.compile(
    f"[^{MARKS}\u0e30\u0e32\u0e33\uf700-\uf71f\uf884-\uf89e\u00c9-\u00cd\ufffd"
    f"{''.join(map(chr, _ZERO_WIDTH))}{re.escape(_FOREIGN)}\\s]"
)


def repair_by_line(text: str) -> str:
    r""":func:`repair_thai` of ``text``, computed line by line (each distinct line repaired
    once and remembered) when that gives the same: every line holds a character that keeps
    it from becoming a line of marks only. Otherwise the whole text is repaired.

    >>> repair_by_line("ประจาํปี\nเพื ่อ") == repair_thai("ประจาํปี\nเพื ่อ") == "ประจำปี\nเพื่อ"
    True
    >>> repair_by_line("ร\nู\nปภาพ")  # a line of marks only: the whole text
    'รูปภาพ'
    """
    lines = text.split("\n")
    if "\r" in text or not all(_SOLID.search(line) for line in lines if line):
        return repair_thai(text)
    return "\n".join(repair_thai(line) for line in lines)
