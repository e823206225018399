"""Walk a document's blocks in order, keeping the heading context (มิติ, ภารกิจ),
and collect project records from detail sections and plan tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from prongsai.decisions import Decider
from prongsai.model import Document, Problem, SourceRef, Table, TextLine
from prongsai.normalize.clean import squash
from prongsai.normalize.heading_grammar import ORDINAL_WORD, bare_dimension, heading_words
from prongsai.normalize.plan import dimension_number
from prongsai.parse.detail import SECTION_FIELD, SectionHead, item_text, new_detail, section_heading
from prongsai.parse.grid import collapse_columns
from prongsai.parse.headings import (
    Heading,
    appendix_heading,
    dimension_heading,
    mission_heading,
    numbered_heading,
    part_heading,
    split_combined,
)
from prongsai.parse.record import Record
from prongsai.parse.tables import analyse_header, table_records
from prongsai.parse.vocab import match_prefix, strip_numbering, vocab

LIST_FIELDS = {"objectives", "targets", "method", "indicators", "outcomes"}
# once a record has reached these sections, a heading line ends it
_CLOSING_SECTIONS = {"responsible", "indicators_outcomes", "indicators", "outcomes", "budget", "period"}


@dataclass
class Structure:
    records: list[Record] = field(default_factory=list)
    dimension_texts: list[tuple[str, SourceRef]] = field(default_factory=list)  # label texts seen
    mission_texts: list[tuple[str, str]] = field(default_factory=list)  # (code, label as written)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _State:
    dimension: str | None = None  # the มิติ number as written; compared as numbers (dimension_number)
    mission: str | None = None
    record: Record | None = None
    section: str | None = None
    section_number: str | None = None
    appendix: bool = False  # inside an appendix (SAR, ITA, annex): nothing creates a project


class _Walker:
    def __init__(self, decider: Decider) -> None:
        self.out = Structure()
        self.st = _State()
        self.decider = decider

    def accept(self, field_name: str, raw: str, canonical: str, score: float, ref: SourceRef) -> bool:
        """Keep a fuzzy structural label unless a reviewer rejected it."""
        if score >= 100:
            return True
        return self.decider.decide(field_name, raw, canonical, score, self.out.problems, ref) is not None

    # -- records -------------------------------------------------------------
    def close(self) -> None:
        rec = self.st.record
        if rec is not None and rec.title.strip():
            self.out.records.append(rec)
        self.st.record = None
        self.st.section = None
        self.st.section_number = None

    def heading_ok(self, h: Heading, ref: SourceRef) -> bool:
        word = heading_words(h.kind)[0]  # the canonical spelling
        return not h.word or self.accept("heading_word", h.word, word, h.score, ref)

    def set_heading(self, h: Heading, raw: str, ref: SourceRef) -> None:
        self.close()
        if h.kind == "dimension":
            self.st.dimension, self.st.mission = h.number, None
            if h.label:
                self.out.dimension_texts.append((raw, ref))
        else:
            if h.code and h.label:
                self.out.mission_texts.append((h.code, h.label))
            if self.st.dimension is not None and h.dimension != dimension_number(self.st.dimension):
                self.st.dimension = h.number
            elif self.st.dimension is None:
                self.st.dimension = h.number
            self.st.mission = h.code

    # -- lines ---------------------------------------------------------------
    def line(self, b: TextLine) -> None:
        text = b.text.strip()
        if not text:
            return
        st = self.st
        if appendix_heading(text) and (self.out.records or st.record is not None):
            # an appendix follows the plan's projects (a contents line before them is not one)
            self.close()
            st.appendix = True
            return
        if st.appendix:
            if not part_heading(text):
                return
            st.appendix = False
        in_rec = st.record is not None
        sh = section_heading(text, in_record=in_rec)
        if sh is not None and (sh.key == "title" or in_rec):
            label = squash(strip_numbering(text)[1])[: sh.match.end]
            if self.accept("section_label", label, sh.match.variant, sh.match.score, b.ref):
                self.section(sh, b.ref)
                return
        heading_allowed = st.record is None or st.section in _CLOSING_SECTIONS or not st.record.title
        h = dimension_heading(text) or mission_heading(text)
        both = split_combined(text) if h is not None and h.kind == "dimension" else None
        if both and h is not None and heading_allowed and self.heading_ok(h, b.ref):
            self.set_heading(dimension_heading(both[0]), both[0], b.ref)  # type: ignore[arg-type]
            mh = mission_heading(both[1])
            if mh is not None and self.heading_ok(mh, b.ref):
                self.set_heading(mh, both[1], b.ref)
            return
        if h is not None and heading_allowed and self.heading_ok(h, b.ref):
            self.set_heading(h, text, b.ref)
            return
        nh = numbered_heading(text)
        if nh is not None and self._is_mission_heading(nh):
            self.set_heading(nh, text, b.ref)
            return
        if in_rec:
            self.body_line(text)

    def _is_mission_heading(self, h: Heading) -> bool:
        st = self.st
        if st.record is not None:
            if st.section_number and h.code and h.code.split(".")[0] == st.section_number.split(".")[0]:
                return False  # "3.1 ..." inside section 3 is a list item
            if st.section not in _CLOSING_SECTIONS:
                return False
        current = dimension_number(st.dimension)
        if current is not None and h.dimension != current:
            # a new dimension's sub-heading only when it follows on (e.g. 2.x after 1.x)
            return h.dimension == current + 1 and st.record is None
        return True

    def section(self, sh: SectionHead, ref: SourceRef) -> None:
        st = self.st
        if sh.key == "title":
            if st.record is not None and not st.record.title and not st.record.texts:
                st.record = None  # an empty record: keep the context
            self.close()
            st.record = new_detail(sh, ref)
            st.record.dimension, st.record.mission_code = st.dimension, st.mission
            st.section, st.section_number = "title", sh.number
            return
        if sh.key in ("indicators", "outcomes") and sh.number and "." in sh.number:
            st.section = sh.key  # 10.1 / 10.2 keep the section number of 10
        else:
            st.section, st.section_number = sh.key, sh.number
        if sh.rest:
            self.body_line(sh.rest)

    def body_line(self, text: str) -> None:
        st, rec = self.st, self.st.record
        assert rec is not None
        if st.section == "title":
            rec.title = f"{rec.title} {text}".strip() if rec.title else text
            return
        key = SECTION_FIELD.get(st.section or "")
        if key is None:
            return
        rec.add_text(key, item_text(text) if key in LIST_FIELDS else text)

    # -- tables ----------------------------------------------------------------
    def table(self, t: Table) -> None:
        st = self.st
        if st.appendix:
            return
        t = collapse_columns(t)
        kv = _key_value_rows(t)
        if kv:
            self.close()
            for label_row, value in kv:
                self.line(TextLine(label_row, t.ref))
                if value:
                    for part in value.split("\n"):
                        self.line(TextLine(part, t.ref))
            self.close()
            return
        cm = analyse_header(t)
        if cm is None:
            self._scan_cells(t)
            if st.record is not None and st.section not in (None, "title"):
                for row in t.rows:
                    self.body_line(" ".join(c.replace("\n", " ") for c in row if c.strip()))
            return
        self.close()
        for raw, role, score in cm.fuzzy:
            if not self.accept("table_column", raw, role, score, t.ref):
                cm.roles = {c: r for c, r in cm.roles.items() if not (r == role and raw in (row[c] for row in t.rows[: cm.header_rows]))}
        if "title" not in cm.roles.values():
            self._scan_cells(t)
            return
        for rec in table_records(t, cm, self.out.problems):
            if rec.dimension is None:
                rec.dimension = st.dimension
            elif dimension_number(rec.dimension) != dimension_number(st.dimension):
                st.dimension, st.mission = rec.dimension, None
            if rec.mission_code is None and dimension_number(rec.dimension) == dimension_number(st.dimension):
                rec.mission_code = st.mission
            self.out.records.append(rec)
        for c in cm.cols("dimension"):
            for r in range(cm.header_rows, len(t.rows)):
                text = _dimension_column_text(t.rows[r][c])
                if text:
                    self.out.dimension_texts.append((text, t.row_refs[r]))

    def _scan_cells(self, t: Table) -> None:
        for r, row in enumerate(t.rows):
            for cell in row:
                text = cell.replace("\n", " ")
                h = dimension_heading(text)
                if h and h.label:
                    self.out.dimension_texts.append((text, t.row_refs[r]))


def _dimension_column_text(cell: str) -> str | None:
    """The dimension label text of a มิติ column's cell, for telling the framework: the
    cell when it is a heading with a label; ``1. การสร้างสังคม…`` (a label without the
    word มิติ) as the heading it stands for; else None.

    >>> _dimension_column_text("1. การสร้างสังคมที่ไม่ทนต่อการทุจริต")
    'มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต'
    >>> _dimension_column_text("มติ 2\\nการบริหารราชการ"), _dimension_column_text("1.")
    ('มติ 2 การบริหารราชการ', None)
    """
    text = cell.replace("\n", " ")
    h = dimension_heading(text)
    if h and h.label:
        return text
    c = bare_dimension(text)
    if c is not None and len(c.label) > 8:
        return f"{heading_words('dimension')[0]}{ORDINAL_WORD} {c.number} {c.label}"
    return None


def _key_value_rows(t: Table) -> list[tuple[str, str]]:
    """A two-column table whose left cells are section labels (a detail record laid
    out as a table) -> [(label line, value)], else []."""
    if t.n_cols != 2 or len(t.rows) < 3:
        return []
    sections = vocab()["sections"]
    labels = [match_prefix(row[0].split("\n")[0], sections, 84) for row in t.rows]
    if sum(m is not None for m in labels) < max(3, len(t.rows) // 2) or labels[0] is None or labels[0].key != "title":
        return []
    out = []
    for n, row in enumerate(t.rows, start=1):
        label = row[0].strip()
        out.append((label if strip_numbering(label)[0] else f"{n}. {label}", row[1].strip()))
    return out


def walk(doc: Document, decider: Decider | None = None) -> Structure:
    """Collect the project records of a (cleaned) document."""
    w = _Walker(decider or Decider())
    for b in doc.blocks:
        if isinstance(b, TextLine):
            w.line(b)
        else:
            w.table(b)
    w.close()
    return w.out
