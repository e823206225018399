r"""Per-page diagnosis of extracted text: is it good, repairable, unusable or empty?

:func:`diagnose_text` measures a page's text (as a backend read it, before the shared
Thai repair) and classifies it from those measurements only, never from file names or
PDF producers. The measurements (:class:`TextSignals`):

* how much text there is (non-space characters, Thai characters);
* the **dictionary-word share**: the text is repaired with
  :func:`prongsai.normalize.thai.repair_thai`, tokenised with pythainlp's ``newmm``
  and each Thai token looked up in pythainlp's offline Thai word list
  (``thai_words()``). Broken text layers (marks moved past the next consonant, a
  subset font without a Unicode map) give syllable debris that is not a word;
* defects the repair knows how to fix: split SARA AM (``ํา``, ``ำา``), legacy PUA glyph
  code points, Latin-1 stand-ins for tone marks (``É``-``Í`` next to Thai), marks after a
  space, doubled marks, tone marks before their above vowel, U+FFFD between two Thai
  characters (a mark glyph without a Unicode map: ``อื่่�น``, the NIKHAHIT of a split SARA
  AM ``ประจ�าปี``) (and Lao/Arabic look-alike letters, reported but not held against the
  text layer: authors type them);
* glyphs nobody can map: pdfminer's ``(cid:NNN)``, control characters, U+FFFD outside
  Thai words.

The thresholds are in one :class:`DiagnosisSettings` object. The rules, in order:

1. ``empty``: fewer than ``min_chars`` non-space characters;
2. ``unusable``: unmapped glyphs (cid, control, U+FFFD) above
   ``max_unmapped_per_1000`` per 1,000 characters (and at least ``min_unmapped``);
   or Latin-1 letters making up more than ``max_latin1_share`` of the letters (a
   Thai font without a Unicode map read as Windows-874 bytes, ``ÊÓ¹Ñ¡§Ò¹``); or,
   with at least ``min_thai_tokens`` Thai tokens, a dictionary-word share below
   ``min_word_share``;
3. ``repairable``: some known defect is present (the repair fixes it), or the
   dictionary-word share is below ``good_word_share`` (the text reads, but words are
   broken in ways the repair does not know, e.g. a mark drawn over the wrong letter);
4. ``good`` otherwise.

>>> diagnose_text("แผนปฏิบัติการป้องกันการทุจริตของเทศบาลตำบล ประจำปีงบประมาณ 2567").status
'good'
>>> d = diagnose_text("แผนปฏิบัติการป\uf70bองกันการทุจริต ประจาํปีงบประมาณ เพื ่อประชาชน")
>>> d.status, d.signals.pua, d.signals.split_sara_am, d.signals.marks_after_space
('repairable', 1, 1, 1)
>>> diagnose_text("   \n 12 ").status
'empty'
>>> diagnose_text("(cid:3)(cid:4)(cid:5) (cid:6)(cid:7) โครงการ (cid:8)(cid:9)").status
'unusable'
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from prongsai.normalize.clean import clean_text
from prongsai.normalize.thai import TEXT_CACHE_SIZE, repair_by_line, repair_thai
from prongsai.normalize.thai_chars import (
    FOLLOWING_VOWELS,
    LEADING_VOWELS,
    LEGACY_PUA,
    MARKS,
    THAI,
    TONES,
    TONES_THANTHAKHAT,
    VOWELS_ABOVE,
    WORD_LETTERS,
)
from prongsai.normalize.thai_glyphs import LOOKALIKES

__all__ = ["DiagnosisSettings", "PageDiagnosis", "TextSignals", "diagnose_text", "word_coverage", "word_share"]

@dataclass(frozen=True)
class DiagnosisSettings:
    """The thresholds :func:`diagnose_text` decides with.

    Measured on the corpus (``tests/test_diagnose.py``): the born-digital pages as
    the PDF backend reads them have a dictionary-word share of 0.94-1.00 after repair
    (short cover pages of names score lowest); the real broken government PDFs score
    0.71-0.95 per page as pypdfium2's raw text and 0.70-0.88 as pdfplumber's text flow
    (after repair), 0.95-0.99 as the backend's pypdfium2 lines and 0.95-1.00 on the
    text path it chooses; a text spaced letter by letter (an OCR text layer) scores 0.3.
    """

    #: fewer non-space characters than this: the page has (almost) no text
    min_chars: int = 10
    #: at least this many Thai tokens before the dictionary-word share is trusted
    min_thai_tokens: int = 8
    #: dictionary-word share (after repair) below this: unusable
    min_word_share: float = 0.5
    #: dictionary-word share below this: not good (repairable at best)
    good_word_share: float = 0.9
    #: (cid:NNN) + control characters + U+FFFD per 1,000 non-space characters above this: unusable
    max_unmapped_per_1000: float = 5.0
    #: ... when there are at least this many of them
    min_unmapped: int = 3
    #: Latin-1 letters (U+00C0-U+00FF) as a share of all letters above this: unusable
    max_latin1_share: float = 0.3


@dataclass(frozen=True)
class TextSignals:
    """What :func:`diagnose_text` measured on one text."""

    #: non-space characters
    chars: int = 0
    #: Thai letters, marks and digits (U+0E01-U+0E5B) and legacy Thai PUA glyphs
    thai_chars: int = 0
    #: letters of any script
    letters: int = 0
    #: Latin-1 supplement letters (U+00C0-U+00FF)
    latin1_letters: int = 0
    #: Thai tokens (newmm, after repair) and how many of them are dictionary words
    thai_tokens: int = 0
    dictionary_words: int = 0
    #: ``dictionary_words / thai_tokens`` (1.0 when there are no Thai tokens)
    word_share: float = 1.0
    # --- defects the repair fixes ---
    split_sara_am: int = 0
    pua: int = 0
    tone_glyphs: int = 0
    marks_after_space: int = 0
    doubled_marks: int = 0
    misordered_marks: int = 0
    #: U+FFFD between two Thai characters: a mark glyph without a Unicode map (not counted in ``replacement``)
    thai_replacement: int = 0
    lookalikes: int = 0
    # --- glyphs without a Unicode mapping ---
    cids: int = 0
    controls: int = 0
    replacement: int = 0

    @property
    def defects(self) -> int:
        """Defects of the text layer the repair knows how to fix (look-alike letters are
        not counted: authors type them, so they say nothing about the text layer)."""
        return (
            self.split_sara_am
            + self.pua
            + self.tone_glyphs
            + self.marks_after_space
            + self.doubled_marks
            + self.misordered_marks
            + self.thai_replacement
        )

    @property
    def unmapped(self) -> int:
        """Glyphs without a Unicode mapping."""
        return self.cids + self.controls + self.replacement

    @property
    def unmapped_per_1000(self) -> float:
        return 1000.0 * self.unmapped / max(self.chars, 1)


@dataclass(frozen=True)
class PageDiagnosis:
    """A page's status (``good`` | ``repairable`` | ``unusable`` | ``empty``), why, and the signals."""

    status: str
    reason: str
    signals: TextSignals = field(default_factory=TextSignals)


# --------------------------------------------------------------------------- patterns

_THAI_CHAR = re.compile(f"[{THAI}{LEGACY_PUA}]")
_PUA = re.compile(f"[{LEGACY_PUA}]")
_SPLIT_AM = re.compile(f"\u0e33\u0e32|\u0e32\u0e33|\u0e4d[{TONES_THANTHAKHAT}]?[ \t]*\u0e32|\u0e32[{TONES_THANTHAKHAT}]?\u0e4d")
_TONE_GLYPH = re.compile(f"(?<=[{THAI}])[ \t]*[\u00c9-\u00cd]|[\u00c9-\u00cd](?=[{THAI}])")
_MARK_AFTER_SPACE = re.compile(f"(?<=[{THAI}])[ \t\u00a0]+[{MARKS}]")
_DOUBLED = re.compile(f"([{MARKS}])\\1")
#: a tone before an above vowel, a tone after SARA A/AA/AM, a mark after a leading vowel (a tone
#: before a *below* vowel is only a canonical-order variant, which Unicode NFC already fixes)
_MISORDERED = re.compile(
    f"[{TONES_THANTHAKHAT}][{VOWELS_ABOVE}]|[{FOLLOWING_VOWELS}][{TONES}]|[{LEADING_VOWELS}][{MARKS}]"
)
_LOOKALIKE = re.compile(f"(?<=[{THAI}])[{re.escape(''.join(LOOKALIKES))}]")
_CID = re.compile(r"\(cid:\d+\)")
_THAI_REPLACEMENT = re.compile("(?<=[\u0e01-\u0e4e])\ufffd(?=[\u0e01-\u0e4e])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LATIN1_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")
#: a Thai token: holds a Thai letter or mark (not only digits, ๆ or ฯ; ฿ counts, U+0E3B-U+0E3E are unassigned)
_THAI_TOKEN = re.compile(f"[{WORD_LETTERS}\u0e3b-\u0e3f]")
_SPACE = re.compile(r"\s+")


def _words() -> frozenset[str]:
    from prongsai.normalize.lexicon import thai_words

    return thai_words()  # pythainlp's offline list, plus the everyday preposition ณ ("at")


def _tokenize(text: str) -> list[str]:
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=False)


def word_share(text: str) -> tuple[int, int]:
    """(Thai tokens, dictionary words among them) in ``text`` as it is (no repair).

    >>> word_share("โครงการอบรมคุณธรรม 2567")
    (3, 3)
    >>> word_share("ด้วยห้อง"), word_share("ดว้ยหอ้ง")  # tone marks moved past the next consonant
    ((2, 2), (1, 0))
    """
    if not _THAI_TOKEN.search(text):
        return 0, 0
    n_tokens = n_words = 0
    for line in text.split("\n"):
        t, w = _line_word_share(line)
        n_tokens += t
        n_words += w
    return n_tokens, n_words


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _line_word_share(line: str) -> tuple[int, int]:
    """:func:`word_share` of one line (no token spans a line break), measured once per
    distinct line: both readings of a page and running headers share most lines."""
    if not _THAI_TOKEN.search(line):
        return 0, 0
    words = _words()
    tokens = [t for t in _tokenize(line) if _THAI_TOKEN.search(t)]
    return len(tokens), sum(t in words for t in tokens)


def clear_caches() -> None:
    """Forget the lines measured so far (the benchmark times every run from cold)."""
    _line_word_share.cache_clear()
    repair_thai.cache_clear()
    clean_text.cache_clear()
    word_coverage.cache_clear()


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def word_coverage(text: str) -> float:
    """Share of the Thai characters of ``text`` (as it is) that are inside dictionary words.

    >>> word_coverage("ที่ดิน"), round(word_coverage("ทีดิ่น"), 2)
    (1.0, 0.33)
    """
    if not _THAI_TOKEN.search(text):
        return 0.0
    words = _words()
    tokens = [t for t in _tokenize(text) if _THAI_TOKEN.search(t)]
    total = sum(len(t) for t in tokens)
    return sum(len(t) for t in tokens if t in words) / total if total else 0.0


def diagnose_text(
    text: str, settings: DiagnosisSettings | None = None, *, controls: int = 0, repaired: str | None = None
) -> PageDiagnosis:
    """Measure one page's text and classify it (see the module docstring).

    ``controls``: control characters the backend dropped before giving the text
    (counted with those still in it). ``repaired``: ``repair_thai(text)`` when the
    caller already has it.

    >>> diagnose_text("สถานทีÉดําเนินการ แผนงานบริหารทั่วไป งบประมาณรายจ่ายประจำปี").signals.tone_glyphs
    1
    """
    s = settings or DiagnosisSettings()
    squashed = _SPACE.sub("", text)
    n_chars = len(squashed)
    thai_repl = len(_THAI_REPLACEMENT.findall(text))
    signals = TextSignals(
        chars=n_chars,
        thai_chars=len(_THAI_CHAR.findall(squashed)),
        letters=sum(ch.isalpha() for ch in squashed),
        latin1_letters=len(_LATIN1_LETTER.findall(squashed)),
        split_sara_am=len(_SPLIT_AM.findall(text)),
        pua=len(_PUA.findall(text)),
        tone_glyphs=len(_TONE_GLYPH.findall(text)),
        marks_after_space=len(_MARK_AFTER_SPACE.findall(text)),
        doubled_marks=len(_DOUBLED.findall(text)),
        misordered_marks=len(_MISORDERED.findall(unicodedata.normalize("NFC", text))),
        lookalikes=len(_LOOKALIKE.findall(text)),
        cids=len(_CID.findall(text)),
        controls=len(_CONTROL.findall(text)) + controls,
        replacement=text.count("\ufffd") - thai_repl,
        thai_replacement=thai_repl,
    )
    if n_chars < s.min_chars:
        return PageDiagnosis("empty", f"{n_chars} characters of text", signals)
    n_tok, n_words = word_share(repair_by_line(text) if repaired is None else repaired)
    signals = replace(
        signals, thai_tokens=n_tok, dictionary_words=n_words, word_share=n_words / n_tok if n_tok else 1.0
    )
    return PageDiagnosis(*_classify(signals, s), signals)


def _classify(sig: TextSignals, s: DiagnosisSettings) -> tuple[str, str]:
    if sig.unmapped >= s.min_unmapped and sig.unmapped_per_1000 > s.max_unmapped_per_1000:
        return "unusable", (
            f"{sig.unmapped} unmapped glyphs ({sig.unmapped_per_1000:.0f} per 1,000 characters: "
            f"{sig.cids} cid, {sig.controls} control, {sig.replacement} U+FFFD)"
        )
    if sig.letters and sig.latin1_letters / sig.letters > s.max_latin1_share:
        return "unusable", f"{sig.latin1_letters} of {sig.letters} letters are Latin-1 stand-ins"
    trusted = sig.thai_tokens >= s.min_thai_tokens
    if trusted and sig.word_share < s.min_word_share:
        return "unusable", f"only {sig.word_share:.2f} of {sig.thai_tokens} Thai tokens are words after repair"
    if sig.defects:
        found = [
            f"{n} {name.replace('_', ' ')}"
            for name in ("split_sara_am", "pua", "tone_glyphs", "marks_after_space", "doubled_marks",
                         "misordered_marks", "thai_replacement")
            if (n := getattr(sig, name))
        ]  # fmt: skip
        return "repairable", "repair fixes " + ", ".join(found)
    if trusted and sig.word_share < s.good_word_share:
        return "repairable", f"{sig.word_share:.2f} of {sig.thai_tokens} Thai tokens are words"
    if sig.unmapped:
        return "repairable", f"{sig.unmapped} unmapped glyphs"
    return "good", "text layer reads cleanly"
