"""Plan-table grids as printed: over-segmented columns, and the ``รวม`` rows used as a check.

* A merged cell cut by extra ruling lines shows its text in two or three adjacent
  grid columns; :func:`collapse_columns` folds such a repeated neighbour back into one
  column.
* Each dimension ends with a ``รวม`` row printing counts (``4 มาตรการ 1 กิจกรรม
  16 โครงการ``) and per-year totals; :func:`check_totals` compares them with the
  projects extracted above the row and says what does not add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prongsai.diagnostics import WarningCode
from prongsai.model import Problem, SourceRef, Table
from prongsai.normalize.clean import squash
from prongsai.normalize.money import parse_money
from prongsai.normalize.registry import kinds

KIND_OF_WORD = kinds()  # โครงการ -> project, ... (data/kinds.csv)
_COUNT = re.compile(rf"(\d+)\s*({'|'.join(KIND_OF_WORD)})")
WORD_OF_KIND = {v: k for k, v in KIND_OF_WORD.items()}


def _duplicate(table: Table, c: int) -> bool:
    """Column ``c`` repeats column ``c - 1``: wherever it has text it is the same text,
    and it has some."""
    same = False
    for r, row in enumerate(table.rows):
        a, b = squash(row[c - 1]), squash(row[c])
        if not b or (r, c) in table.spanned and a == b:
            same = same or bool(b)
            continue
        if a != b:
            return False
        same = True
    return same


def collapse_columns(table: Table) -> Table:
    """Fold grid columns that repeat their left neighbour into it.

    >>> t = Table([["มิติ", "โครงการ", "โครงการ", "2561"], ["1", "ก", "ก", "10"], ["", "ข", "", "20"]], SourceRef())
    >>> collapse_columns(t).rows
    [['มิติ', 'โครงการ', '2561'], ['1', 'ก', '10'], ['', 'ข', '20']]
    >>> t = Table([["2561", "2562"], ["10", "10"]], SourceRef())
    >>> collapse_columns(t).n_cols
    2
    """
    keep = [0] + [c for c in range(1, table.n_cols) if not _duplicate(table, c)]
    if len(keep) == table.n_cols:
        return table
    # a dropped column's text goes to the column kept to its left
    owner = {}
    k = 0
    for c in range(table.n_cols):
        if c in keep:
            k = keep.index(c)
        owner[c] = k
    rows = [[row[c] for c in keep] for row in table.rows]
    for r, row in enumerate(table.rows):
        for c in range(table.n_cols):
            if c not in keep and row[c].strip() and not rows[r][owner[c]].strip():
                rows[r][owner[c]] = row[c]
    spanned = {(r, keep.index(c)) for r, c in table.spanned if c in keep}
    tops = {(r, keep.index(c)): v for (r, c), v in table.line_tops.items() if c in keep}
    return Table(rows, table.ref, list(table.row_refs), spanned, tops)


@dataclass
class TotalRow:
    """A printed ``รวม`` row: the counts by kind and the total per fiscal year."""

    ref: SourceRef
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    by_year: dict[int, float] = field(default_factory=dict)


def read_total(cells: list[str], years: dict[int, int], ref: SourceRef) -> TotalRow:
    """The counts and per-year totals of a total row (``years``: column -> fiscal year).

    >>> t = read_total(["รวม", "4 มาตรการ 1 กิจกรรม 16 โครงการ", "30,000", "-"], {2: 2561, 3: 2562}, SourceRef())
    >>> t.counts, t.by_year
    ({'measure': 4, 'activity': 1, 'project': 16}, {2561: 30000.0, 2562: 0.0})

    A label cell repeated in its neighbours (a merge the ruling lines split) counts once:

    >>> read_total(["รวม 8 โครงการ", "รวม 8 โครงการ", "รวม 8 โครงการ", "1,000"], {3: 2561}, SourceRef()).counts
    {'project': 8}
    """
    labels = [squash(c) for i, c in enumerate(cells) if i not in years]
    text = " ".join(t for i, t in enumerate(labels) if t and (i == 0 or t != labels[i - 1]))
    counts: dict[str, int] = {}
    for m in _COUNT.finditer(text):
        kind = KIND_OF_WORD[m.group(2)]
        counts[kind] = counts.get(kind, 0) + int(m.group(1))
    by_year: dict[int, float] = {}
    for c, y in years.items():
        if c < len(cells) and cells[c].strip():
            amount, status = parse_money(cells[c])
            if status == "amount" and amount is not None:
                by_year[y] = by_year.get(y, 0.0) + amount
            elif status == "none":
                by_year[y] = by_year.get(y, 0.0)
    return TotalRow(ref, squash(cells[0]) if cells else "", counts, by_year)


def check_totals(total: TotalRow, kinds: list[str | None], by_year: list[dict[int, float] | None]) -> list[Problem]:
    """``TOTAL_MISMATCH`` problems when the projects above a total row do not add up to it.

    ``kinds`` has the kind of each project (None when its title does not say);
    ``by_year`` its budget per year (None when its budget is unknown: then the year
    totals are not checked).

    >>> t = TotalRow(SourceRef(page=3), "รวม", {"project": 2, "measure": 1}, {2561: 50000.0})
    >>> [p.message for p in check_totals(t, ["project", "project", "measure"], [{2561: 30000.0}, {2561: 20000.0}, {}])]
    []
    >>> [p.message for p in check_totals(t, ["project", "measure"], [{2561: 30000.0}, {}])]
    ['the printed total row says 1 มาตรการ 2 โครงการ (3 in all); 1 มาตรการ 1 โครงการ (2 in all) were extracted above it', 'the printed total row says 50,000 for 2561; the extracted projects add up to 30,000']

    A row that counts every item as ``โครงการ`` is checked on the number of items only:

    >>> check_totals(TotalRow(SourceRef(), "รวม", {"project": 3}), ["measure", "activity", "project"], [None] * 3)
    []
    """
    problems: list[Problem] = []
    if total.counts:
        want = sum(total.counts.values())
        got_counts: dict[str, int] = {}
        for k in kinds:
            if k:
                got_counts[k] = got_counts.get(k, 0) + 1
        by_kind = len(total.counts) > 1 or "project" not in total.counts  # else โครงการ stands for any item
        by_kind_ok = all(k is not None for k in kinds) and got_counts == total.counts
        if want != len(kinds) or (by_kind and all(k is not None for k in kinds) and not by_kind_ok):
            def fmt(c: dict[str, int], n: int) -> str:
                parts = " ".join(f"{c[k]} {WORD_OF_KIND[k]}" for k in ("measure", "activity", "project") if k in c)
                return f"{parts} ({n} in all)" if parts else f"{n} in all"
            problems.append(Problem.of(WarningCode.TOTAL_MISMATCH,
                                    f"the printed total row says {fmt(total.counts, want)}; "
                                    f"{fmt(got_counts, len(kinds))} were extracted above it", total.ref))
    if total.by_year and all(b is not None for b in by_year):
        for year, want_amount in sorted(total.by_year.items()):
            got = sum((b or {}).get(year, 0.0) for b in by_year)
            if abs(got - want_amount) > 0.5:
                problems.append(Problem.of(WarningCode.TOTAL_MISMATCH,
                                        f"the printed total row says {want_amount:,.0f} for {year}; "
                                        f"the extracted projects add up to {got:,.0f}", total.ref))
    return problems
