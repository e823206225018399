"""The parser's intermediate record of one project, before normalisation into SPEC rows:
texts as written, plus the structure they were found in (layout, place, problems)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prongsai.model import Problem, SourceRef


@dataclass
class Record:
    """One project as found in one place of a document (a detail record, a plan
    table row or a per-project table), as written: every value is text (the contract
    ``tests/test_parse_contract.py`` checks); :mod:`prongsai.normalize.project` reads
    the values. ``texts`` holds raw section/column texts keyed by SPEC field names
    (objectives, targets, area, method, indicators, outcomes, rationale, period_text,
    budget, responsible, unit, quantity)."""

    title: str
    layout: str  # detail | plan_table | project_table
    ref: SourceRef
    dimension: str | None = None  # the มิติ number as its heading or table cell wrote it ("2")
    mission_code: str | None = None  # the ภารกิจ code as written ("2.2.1")
    texts: dict[str, str] = field(default_factory=dict)
    # a table row's budget as written: (the header text naming its column's fiscal year, or
    # None; the cell's text); normalize.project reads them (a detail sheet's is texts["budget"])
    budget_cells: list[tuple[str | None, str]] = field(default_factory=list)
    # a plan table row's quarter columns: (the header text naming the quarter, the row's mark)
    quarter_marks: list[tuple[str, str]] = field(default_factory=list)
    year_headers: list[str] = field(default_factory=list)  # the table's header cells that name a fiscal year
    kind_word: str | None = None  # โครงการ/กิจกรรม/มาตรการ of a label ("ชื่อโครงการ") when the title omits it
    problems: list[Problem] = field(default_factory=list)

    def add_text(self, key: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self.texts[key] = f"{self.texts[key]}\n{text}" if self.texts.get(key) else text
