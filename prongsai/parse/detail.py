"""Project detail records: numbered sections 1-10 (ชื่อโครงการ ... ตัวชี้วัด/ผลลัพธ์).

Sections are known by their LABEL (matched fuzzily, so ``ตังชี้วัด`` and
``ผู้รับผิดชอบโครงการฯ`` are found), not by their number: templates number them
differently, and numbered list items inside a section must not be mistaken for
sections.

OCR'd pages write the number of a section label with their own noise: a table border or
a speck before it (``| 9. ผู้รับผิดชอบ``), a letter for a digit (``S.`` for 5, ``l0.``
for 10), a comma or colon for the dot (``5, พื้นที่``), a stray letter after the digit
(``8ธ.งบประมาณ``); :func:`ocr_numbering` reads those as the number they stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from prongsai.model import SourceRef
from prongsai.normalize.clean import squash
from prongsai.normalize.registry import kinds, words_pattern
from prongsai.normalize.thai_chars import CONSONANTS, THAI_WITH_DIGITS
from prongsai.parse.record import Record
from prongsai.parse.vocab import LabelMatch, match_prefix, strip_numbering, vocab

# section key -> Record.texts key
SECTION_FIELD = {
    "rationale": "rationale",
    "objectives": "objectives",
    "targets": "targets",
    "area": "area",
    "method": "method",
    "period": "period_text",
    "budget": "budget",
    "responsible": "responsible",
    "indicators_outcomes": "indicators",
    "indicators": "indicators",
    "outcomes": "outcomes",
}
_KIND = f"(?:{words_pattern(kinds())})"  # the kind words (data/kinds.csv)
_TITLE_WORD = re.escape(vocab()["title_label_word"])  # ชื่อ
#: the title label word as OCR may read it (a lost SARA UE or tone mark)
_TITLE_WORD_OCR = re.compile(rf"^\s*(?:{words_pattern(vocab()['title_label_ocr'])})")
_TITLE_LABEL = re.compile(rf"^{_TITLE_WORD}(\s*)({_KIND}(?:\s*/\s*{_KIND})*)?\s*(?:ฯ)?\s*([:：])?\s*(.*)$", re.S)


# OCR noise before a section number: table borders, specks, quotes
_OCR_SPECKS = re.compile(r"^(?:[\s|!'’‘`\"“”·•*_~\[\]{}]|[Il](?=\s))+(?=\S)")
# a section number as OCR reads it: digits or their look-alikes (S 5, l I | 1, O o 0), maybe a
# stray Thai letter after them, then a dot, comma, colon or semicolon before the label
_OCR_NUMBER = re.compile(rf"^([0-9SlIO|o]{{1,2}})[{CONSONANTS}]?\s*[.,:;]\s*(?=[{THAI_WITH_DIGITS}])")
_OCR_DIGITS = str.maketrans("SlI|Oo", "511100")


def ocr_numbering(text: str) -> str:
    """A line with the OCR noise of its section number read as the number it stands for.

    >>> ocr_numbering("I 9. ผู้รับผิดชอบ")  # a table rule read as a letter
    '9. ผู้รับผิดชอบ'
    >>> [ocr_numbering(t) for t in ("| 9. ผู้รับผิดชอบ", "S. พื้นที่", "l0. ตัวชี้วัด", "8ธ.งบประมาณ", "5, พื้นที่")]
    ['9. ผู้รับผิดชอบ', '5. พื้นที่', '10. ตัวชี้วัด', '8. งบประมาณ', '5. พื้นที่']
    >>> ocr_numbering("Sale 50%"), ocr_numbering("ก. ข้อ")
    ('Sale 50%', 'ก. ข้อ')
    """
    t = _OCR_SPECKS.sub("", text)
    if not re.match(r"[0-9SlIO|o(]", t):
        return text  # specks are only dropped in front of a number
    m = _OCR_NUMBER.match(t)
    if m is None:
        return t
    num = m.group(1)
    if len(num) > 1 and not any(c.isdigit() for c in num):
        return text
    return f"{num.translate(_OCR_DIGITS)}. {t[m.end():]}"


def _label_tail(rest: str, m: LabelMatch) -> str:
    """``rest`` without what is left of a longer variant of the matched label
    (``ระยะเวลา`` matched exactly, ``คำเนินการ`` left over from an OCR'd ``ระยะเวลาดำเนินการ``)."""
    head = squash(m.variant)
    s = squash(rest)
    best, cut = 0.0, 0
    for v in vocab()["sections"][m.key]:
        tail = squash(v)[len(head):] if squash(v).startswith(head) else ""
        if len(tail) < 4:
            continue
        for k in range(len(tail) - 1, min(len(s), len(tail) + 1) + 1):
            score = fuzz.ratio(s[:k], tail)
            if score >= 80 and score > best:
                best, cut = score, k
    return _after_nonspace(rest, cut).strip() if cut else rest


@dataclass(frozen=True)
class SectionHead:
    key: str
    number: str | None
    rest: str  # text on the same line after the label
    match: LabelMatch


def _after_nonspace(text: str, n: int) -> str:
    """The part of ``text`` after its first ``n`` non-whitespace characters."""
    count = 0
    for i, ch in enumerate(text):
        if count == n:
            return text[i:]
        if not ch.isspace():
            count += 1
    return ""


def section_heading(text: str, in_record: bool = False) -> SectionHead | None:
    """Recognise a section heading line.

    >>> h = section_heading("10. ตังชี้วัด/ผลลัพธ์")
    >>> (h.key, h.number, h.match.score < 100)
    ('indicators_outcomes', '10', True)
    >>> section_heading("1. ชื่อโครงการ : กิจกรรมเผยแพร่ประมวลจริยธรรม").rest
    'กิจกรรมเผยแพร่ประมวลจริยธรรม'
    >>> section_heading("1. ชื่อ มาตรการ   การแสดงเจตจำนง").rest
    'มาตรการ การแสดงเจตจำนง'
    >>> section_heading("1. เพื่อแลกเปลี่ยนเรียนรู้") is None
    True
    >>> section_heading("9. ผู้รับผิดชอบโครงการฯ").key
    'responsible'
    >>> section_heading("ชื่อโครงการ : โครงการปลูกป่า").rest
    'โครงการปลูกป่า'
    >>> section_heading("ชื่อของหน่วยงาน") is None
    True
    >>> h = section_heading("| 7. ระยะเวลาคำเนินการ ต.ค. 2566 - ก.ย. 2567")  # OCR'd
    >>> (h.key, h.number, h.rest)
    ('period', '7', 'ต.ค. 2566 - ก.ย. 2567')
    """
    number, rest = strip_numbering(ocr_numbering(text))
    if number is None and not in_record and not re.match(rf"^\s*{_TITLE_WORD}", rest):
        return None  # outside a record only a (numbered or not) title label starts one
    if number is not None and "." in number and not re.match(r"^\d{1,2}\.\d$", number):
        return None
    m = match_prefix(rest, vocab()["sections"], min_score=84)
    if m is None or (m.key == "title" and not _TITLE_WORD_OCR.match(rest)):
        return None  # a title label always starts with ชื่อ ("3) โครงการ/กิจกรรม..." is a list item)
    if number is not None and "." in number and m.key not in ("indicators", "outcomes"):
        return None  # "3.1 ..." items; only 10.1/10.2 sub-headings are sections
    after = _after_nonspace(rest, m.end).strip()
    if m.key != "title" and m.score == 100:
        after = _label_tail(after, m)
    if number is None:
        # un-numbered label: only when the line is just the label, or label ":" value
        if m.score < 95 or (after and not after.startswith((":", "："))):
            return None
    if m.key == "title":
        tm = _TITLE_LABEL.match(rest)
        if tm:
            space, kinds, colon, tail = tm.groups()
            if kinds and space and not colon and tail:
                after = f"{kinds.strip()} {tail.strip()}"  # "ชื่อ มาตรการ X": the kind word is part of the name
            else:
                after = tail
    after = re.sub(r"^[\s:：\-–ฯ]+", "", after).strip().rstrip(" |")
    return SectionHead(m.key, number, after, m)


def new_detail(title_head: SectionHead, ref: SourceRef) -> Record:
    rec = Record(title="", layout="detail", ref=ref)
    words = [w for w in kinds() if w in title_head.match.variant]  # kind words (data/kinds.csv)
    if len(words) == 1:
        rec.kind_word = words[0]
    if title_head.rest:
        rec.title = title_head.rest
    return rec


def item_text(line: str) -> str:
    """A list item without its marker (``1.``, ``(2)``, ``-``, ``•``).

    >>> item_text("6.1 จัดทำโครงการ")
    'จัดทำโครงการ'
    >>> item_text("- ประสานวิทยากร")
    'ประสานวิทยากร'
    """
    _, rest = strip_numbering(line)
    return re.sub(r"^[-•●▪*]\s*", "", rest).strip()
