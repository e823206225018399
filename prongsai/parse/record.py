"""The parser's intermediate record of one project, before normalisation into SPEC rows:
texts as written, plus the structure they were found in (layout, place, heading codes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prongsai.model import Problem, SourceRef


@dataclass
class Record:
    """One project as found in one place of a document (a detail record, a plan
    table row or a per-project table). ``texts`` holds raw section/column texts
    keyed by SPEC field names (objectives, targets, area, method, indicators,
    outcomes, rationale, period_text, budget, responsible, unit, quantity)."""

    title: str
    layout: str  # detail | plan_table | project_table
    ref: SourceRef
    dimension: int | None = None
    mission_code: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    # a table row's budget as written: (fiscal year of its column or None, the cell's text);
    # normalize.money.budget_of_cells reads them (a detail sheet's is texts["budget"])
    budget_cells: list[tuple[int | None, str]] = field(default_factory=list)
    quarters: set[int] = field(default_factory=set)
    table_years: list[int] = field(default_factory=list)  # fiscal years named by the table header
    kind_hint: str | None = None  # project/activity/measure from a label ("ชื่อโครงการ") when the title omits it
    confidence: float = 1.0
    problems: list[Problem] = field(default_factory=list)

    def add_text(self, key: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self.texts[key] = f"{self.texts[key]}\n{text}" if self.texts.get(key) else text
