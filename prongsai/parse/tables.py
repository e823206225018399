"""Plan tables: columns identified by their header text, multi-row headers understood.

Three kinds of table carry projects:

* the multi-year plan table (มิติ / ภารกิจ / โครงการ / one budget column per fiscal year);
* the annual table (ที่ / โครงการ / หน่วยนับ / ปริมาณงาน / งบประมาณ / ตัวชี้วัด /
  ผลลัพธ์ / ไตรมาส 1-4 ticked / หน่วยงานรับผิดชอบ);
* the per-project table (โครงการ / เป้าหมาย / งบประมาณ / ผลผลิต / ผลลัพธ์ / ระยะเวลา).

The first two give ``layout = plan_table``, the last ``project_table``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from prongsai.diagnostics import WarningCode
from prongsai.model import Problem, Table
from prongsai.normalize.clean import squash
from prongsai.normalize.heading_grammar import column_dimension, dimension_word_pattern
from prongsai.normalize.labels import match_kind
from prongsai.normalize.money import budget_of_written_cells
from prongsai.normalize.plan import dimension_number
from prongsai.normalize.quarters import column_quarter, month_quarter, numbered_quarter
from prongsai.normalize.registry import data_yaml, kinds, words_pattern
from prongsai.normalize.years import year_in_header
from prongsai.parse.grid import TotalRow, check_totals, read_total
from prongsai.parse.headings import deepest_code, dimension_heading
from prongsai.parse.items import pair_figures, pair_texts, split_items
from prongsai.parse.record import Record
from prongsai.parse.vocab import strip_numbering, vocab

#: a budget column header that is a year (ปีงบประมาณ2566, 2566(บาท)) or the unit (บาท), squashed
_BAHT = data_yaml("money_words.yaml")["baht"]
_YEAR_HEADER = re.compile(rf"(?:{words_pattern(vocab()['year_header_words'])})?\d{{4}}(?:\({_BAHT}\))?")
_SHORT_ROLES = {"seq", "dimension"}  # roles whose header words are short: exact match only
_MAX_HEADER_CELL = 45
_MAX_HEADER_ROWS = 4
TEXT_ROLES = ("targets", "outputs", "indicators", "outcomes", "period", "responsible", "unit", "remark")


@dataclass
class ColumnMap:
    """The columns of a plan table. Years and quarters are kept as the header text that
    names them (what a record carries); :attr:`years` and :attr:`quarters` read them with
    the normalisers, for the parser's structural decisions and its total-row check."""

    roles: dict[int, str] = field(default_factory=dict)
    year_texts: dict[int, str] = field(default_factory=dict)  # budget column -> header text naming its year
    quarter_texts: dict[int, str] = field(default_factory=dict)  # tick column -> header text naming its quarter
    header_rows: int = 0
    header_year_texts: list[str] = field(default_factory=list)  # every header cell naming a fiscal year
    fuzzy: list[tuple[str, str, float]] = field(default_factory=list)  # (header text, role, score)

    def cols(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r == role)

    @property
    def years(self) -> dict[int, int]:
        """Budget column -> fiscal year."""
        return {c: y for c, t in self.year_texts.items() if (y := year_in_header(t))}

    @property
    def quarters(self) -> dict[int, int]:
        """Tick column -> quarter."""
        return {c: q for c, t in self.quarter_texts.items() if (q := column_quarter(t))}

    @property
    def layout(self) -> str:
        plan_roles = {"seq", "dimension", "mission", "unit", "quantity"}
        if plan_roles & set(self.roles.values()) or self.quarter_texts or len(self.year_texts) >= 2:
            return "plan_table"
        return "project_table"


def cell_role(cell: str) -> str | None:
    """The column role a header cell names (``None`` when it names none).

    >>> cell_role("งบประมาณ (บาท)"), cell_role("หน่วยงาน รับผิดชอบ"), cell_role("ที่")
    ('budget', 'responsible', 'seq')
    >>> cell_role("แผนงาน/โครงการ/กิจกรรม"), cell_role("ภารกิจตามมิติ"), cell_role("ตังชี้วัด")
    ('title', 'mission', 'indicators')
    >>> cell_role("การกิจกรรมมิติ"), cell_role("ผลการดำเนินงาน ผลผลิต")
    ('mission', 'outputs')
    """
    return cell_role_scored(cell)[0]


def cell_role_scored(cell: str) -> tuple[str | None, float]:
    """:func:`cell_role` with the match score (100 = the header names the role exactly).

    >>> cell_role_scored("ตังชี้วัด")[1] < 100
    True
    """
    s = squash(cell)
    if not s:
        return None, 0.0
    if numbered_quarter(cell) is not None or month_quarter(cell):
        return "quarter", 100.0
    exact: tuple[int, str] | None = None
    fuzzy: tuple[float, int, str] | None = None
    for role, variants in vocab()["columns"].items():
        if role == "quarter":
            continue
        if role in _SHORT_ROLES:
            if any(s == squash(v) for v in variants):
                return role, 100.0
            continue
        for v in variants:
            vs = squash(v)
            if vs in s:
                if exact is None or len(vs) > exact[0]:
                    exact = (len(vs), role)
            elif len(vs) >= 5 and len(vs) <= len(s) + 2:
                score = fuzz.ratio(vs, s) if len(s) <= len(vs) + 2 else fuzz.partial_ratio(vs, s)
                if score >= 80 and (fuzzy is None or score * len(vs) > fuzzy[0] * fuzzy[1]):
                    fuzzy = (score, len(vs), role)
    if exact and fuzzy and exact[0] < 0.6 * len(s) and fuzzy[1] >= 0.8 * len(s):
        return fuzzy[2], fuzzy[0]  # a misspelt long header ("การกิจกรรมมิติ") that merely contains a short word
    if exact:
        return exact[1], 100.0
    if fuzzy and fuzzy[0] >= 86:
        return fuzzy[2], fuzzy[0]
    return None, 0.0


def _header_like(cell: str) -> bool:
    s = squash(cell)
    if not s:
        return True
    if len(s) > _MAX_HEADER_CELL:
        return False
    if _YEAR_HEADER.fullmatch(s) or s in (f"({_BAHT})", _BAHT):
        return True
    return cell_role(cell) is not None


def analyse_header(table: Table) -> ColumnMap | None:
    """Find the header rows and the role of every column; None when the table has
    no project-title column (then it carries no projects)."""
    n = 0
    while n < min(_MAX_HEADER_ROWS, len(table.rows)) and all(_header_like(c) for c in table.rows[n]):
        if not any(c.strip() for c in table.rows[n]):
            break
        n += 1
    if n == 0:
        return None
    cm = ColumnMap(header_rows=n)
    for c in range(table.n_cols):
        cells = [table.rows[r][c] for r in range(n)]
        for cell in reversed(cells):  # most specific (lowest) header cell first
            role, score = cell_role_scored(cell)
            if role:
                cm.roles[c] = role
                if score < 100:
                    cm.fuzzy.append((cell, role, score))
                break
        for cell in cells:
            if year_in_header(cell):  # the cell names a fiscal year: its text is the column's year
                cm.header_year_texts.append(cell)
                if cm.roles.get(c) == "budget":
                    cm.year_texts[c] = cell
        if cm.roles.get(c) == "quarter":
            # the header cells together name the quarter ("ไตรมาส" above "1"), else the last (a month)
            text = " ".join(cells)
            if numbered_quarter(text) is None:
                text = cells[-1]
            if column_quarter(text):
                cm.quarter_texts[c] = text
    if "title" not in cm.roles.values():
        return None
    useful = {"budget", "targets", "outputs", "indicators", "outcomes", "period", "responsible", "seq", "mission", "dimension"}
    if not useful & set(cm.roles.values()) and not cm.quarter_texts:
        return None
    budget_cols = cm.cols("budget")
    if len(budget_cols) == 1 and not cm.year_texts and len({year_in_header(t) for t in cm.header_year_texts}) == 1:
        cm.year_texts[budget_cols[0]] = cm.header_year_texts[0]  # the one year the header names
    return cm


def _is_total(text: str) -> bool:
    """A total label (``รวม``, ``รวมทั้งสิ้น``, ``รวมมิติที่ 1``, ``2 โครงการ``), not a title
    that merely starts with รวม (``รวมพลังต่อต้านการทุจริต``).

    >>> [_is_total(t) for t in ("รวม", "รวมทั้งสิ้น 5 โครงการ", "รวมมิติที่ 2", "12 โครงการ", "รวมพลังต่อต้านทุจริต")]
    [True, True, True, True, False]
    """
    s = squash(text)
    words = "|".join(re.escape(squash(w)) for w in sorted(vocab()["total_rows"], key=len, reverse=True))
    dim = dimension_word_pattern()
    items = words_pattern([*kinds(), *vocab()["total_row_items"]])
    return bool(re.fullmatch(rf"(?:(?:{words})(?:{dim})?[\d.]*)?(?:\d+(?:{items}))?", s)) and bool(s)


def _cell_dimension(cell: str) -> str | None:
    """The dimension number (as written) of a มิติ column's cell: a heading (``มิติที่ 2 …``)
    or its number alone (``2``, ``2.``, ``มติ 2``).

    >>> [_cell_dimension(c) for c in ("มิติที่ 2 การบริหาร", "3.", "มติ 1\\nการสร้าง", "1.1", "")]
    ['2', '3', '1', None, None]
    """
    h = dimension_heading(cell.replace("\n", " "))
    if h:
        return h.number
    c = column_dimension(cell)
    return c.number if c else None


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return f"{a}\n{b}"


def _tops(table: Table, r: int, c: int) -> list[float] | None:
    tops = table.line_tops.get((r, c))
    return tops if tops is not None and len(tops) == len(table.rows[r][c].split("\n")) else None


#: a project row of a table: its index, its cells (continuation rows folded in) and the
#: positions of each cell's lines (None: unknown)
_Group = tuple[int, list[str], dict[int, list[float] | None]]


def table_records(table: Table, cm: ColumnMap, problems: list[Problem] | None = None) -> list[Record]:
    """One Record per project: per row, or per numbered item of a row's project cell
    (see :mod:`prongsai.parse.items`). Continuation rows are folded into the row
    above; ``รวม`` rows are not projects: they check the records above them
    (``TOTAL_MISMATCH`` problems are appended to ``problems``)."""
    problems = problems if problems is not None else []
    groups, totals = _project_rows(table, cm)
    per_group = [_row_records(table, cm, i, row, tops) for i, row, tops in groups]
    records = [r for recs in per_group for r in recs]
    _fill_down(records, cm)
    _check_total_rows(per_group, totals, problems)
    return records


def _project_rows(table: Table, cm: ColumnMap) -> tuple[list[_Group], list[tuple[int, TotalRow]]]:
    """The project rows of a table's body (continuation rows folded into the row above) and
    its total rows, each with the number of project rows above it."""
    title_col = cm.cols("title")[0]
    seq_cols = cm.cols("seq")
    header = [squash(" ".join(r)) for r in table.rows[: cm.header_rows]]
    data = [(i, r) for i, r in enumerate(table.rows) if i >= cm.header_rows]
    titles = [r[title_col] for _, r in data if r[title_col].strip()]
    numbered = bool(titles) and sum(strip_numbering(t)[0] is not None for t in titles) >= 0.6 * len(titles)
    groups: list[_Group] = []
    totals: list[tuple[int, TotalRow]] = []  # (number of groups above it, the total row)
    for i, row in data:
        if not any(c.strip() for c in row) or squash(" ".join(row)) in header:
            continue
        title = row[title_col].strip()
        first = next((c for c in row if c.strip()), "")
        lead = row[: max(title_col, *(cm.cols("seq") or [0])) + 1]
        if any(_is_total(c) for c in lead if c.strip()) or (not title and _is_total(first)):
            totals.append((len(groups), read_total(row, cm.years, table.row_refs[i])))
            continue
        seq = row[seq_cols[0]].strip() if seq_cols else ""
        cont = not title
        if seq_cols and not seq and groups:
            cont = True
        if not seq_cols and numbered and title and strip_numbering(title)[0] is None and groups:
            cont = True
        if cont and groups:
            _fold_into(groups[-1], table, i, row)
            continue
        if not title:
            continue
        groups.append((i, list(row), {c: _tops(table, i, c) for c in range(len(row))}))
    return groups, totals


def _fold_into(group: _Group, table: Table, i: int, row: list[str]) -> None:
    """Fold continuation row ``i`` into the project row above (its cells joined below
    the row's, their line positions after the row's)."""
    _, prev, tops = group
    for c, cell in enumerate(row):
        if cell.strip() and (i, c) not in table.spanned and cell.strip() != prev[c].strip():
            # positions of the folded lines: after the row above's (one offset per row)
            below = _tops(table, i, c)
            upper = tops.get(c)
            if upper is not None and below is not None and prev[c]:
                tops[c] = [*upper, *(t + _FOLD_OFFSET * len(tops) for t in below)]
            elif prev[c]:
                tops[c] = None
            else:
                tops[c] = below
            prev[c] = _join(prev[c], cell.strip())


def _fill_down(records: list[Record], cm: ColumnMap) -> None:
    """A มิติ/ภารกิจ cell left empty below a filled one belongs to it (a merge the source lost)."""
    for above, rec in zip(records, records[1:], strict=False):
        if rec.dimension is None and cm.cols("dimension") and above.dimension is not None:
            rec.dimension = above.dimension
            if rec.mission_code is None and cm.cols("mission"):
                rec.mission_code = above.mission_code
        elif (rec.mission_code is None and cm.cols("mission")
              and dimension_number(rec.dimension) in (None, dimension_number(above.dimension))):
            rec.mission_code = above.mission_code


def _check_total_rows(per_group: list[list[Record]], totals: list[tuple[int, TotalRow]],
                      problems: list[Problem]) -> None:
    """Every total row checks the records since the one before it (all of them, for a
    grand total right after another total); ``TOTAL_MISMATCH`` problems go to ``problems``."""
    start = 0
    for n_above, total in totals:
        lo = start if n_above > start else 0
        since = [r for recs in per_group[lo:n_above] for r in recs]
        if since:
            kinds = [k[0] if (k := match_kind(r.title)) else None for r in since]
            budgets = [budget_of_written_cells(r.budget_cells) for r in since]  # a check only: records keep the text
            years = [None if status == "unspecified" else by_year for _, status, by_year in budgets]
            problems.extend(check_totals(total, kinds, years))
        start = n_above


_FOLD_OFFSET = 100_000.0  # points: a folded continuation row's lines sort after the row above's


def _row_records(table: Table, cm: ColumnMap, i: int, row: list[str],
                 tops: dict[int, list[float] | None]) -> list[Record]:
    """The records of one row: one per numbered item of its project cell, else one."""
    title_col = cm.cols("title")[0]
    # geometry only when every non-empty cell of the row has it; else line indexes
    geo = all(tops.get(c) is not None for c, cell in enumerate(row) if cell.strip())
    t_tops = tops.get(title_col) if geo else None
    # a per-project table's numbered lines are that project's activities, not projects
    items = split_items(row[title_col], t_tops) if cm.layout == "plan_table" else []
    if not items:
        return [_row_record(table, cm, i, row)]
    ctx = _row_record(table, cm, i, [cell if cm.roles.get(c) in ("dimension", "mission") else ""
                                     for c, cell in enumerate(row)])
    recs: list[Record] = []
    for it in items:
        rec = Record(title=it.text, layout=cm.layout, ref=table.row_refs[i], year_headers=list(cm.header_year_texts),
                     dimension=ctx.dimension, mission_code=ctx.mission_code)
        recs.append(rec)
    for role in TEXT_ROLES:
        for c in cm.cols(role):
            key = {"period": "period_text", "outputs": "outputs"}.get(role, role)
            for rec, text in zip(recs, pair_texts(items, row[c], tops.get(c) if geo else None), strict=True):
                rec.add_text(key, text)
    for c in cm.cols("quantity"):
        for rec, text in zip(recs, pair_texts(items, row[c], tops.get(c) if geo else None), strict=True):
            rec.add_text("quantity", text)
    why: list[str] = []
    paired: list[tuple[str | None, list[str | None]]] = []
    for c in cm.cols("budget"):
        if (i, c) in table.spanned and c - 1 in cm.cols("budget"):
            continue
        figs = pair_figures(items, row[c], tops.get(c) if geo else None, str(cm.years.get(c, "budget")))
        if figs.problem:
            why.append(figs.problem)
        else:
            paired.append((cm.year_texts.get(c), figs.figures))
    for k, rec in enumerate(recs):
        if why:
            rec.problems.append(Problem.of(WarningCode.BUDGET_MISMATCH,
                                        f"the figures of a cell with {len(items)} projects cannot be paired with them "
                                        f"one-to-one ({'; '.join(why)}); budgets left unspecified", rec.ref))
            continue
        rec.budget_cells = [(year, fig) for year, figs_of in paired if (fig := figs_of[k]) is not None]
    for rec in recs:
        rec.quarter_marks = [(text, row[c]) for c, text in cm.quarter_texts.items()]
    return recs


def _row_record(table: Table, cm: ColumnMap, i: int, row: list[str]) -> Record:
    title_col = cm.cols("title")[0]
    _, title = strip_numbering(row[title_col].replace("\n", " "))
    rec = Record(title=title, layout=cm.layout, ref=table.row_refs[i], year_headers=list(cm.header_year_texts))
    for c in cm.cols("dimension"):
        dim = _cell_dimension(row[c])
        if dim is not None:
            rec.dimension = dim
    for c in cm.cols("mission"):
        code = deepest_code(row[c])
        if code:
            rec.mission_code = code
    for role in TEXT_ROLES:
        for c in cm.cols(role):
            key = {"period": "period_text", "outputs": "outputs"}.get(role, role)
            rec.add_text(key, row[c])
    for c in cm.cols("quantity"):
        rec.add_text("quantity", row[c])
    for c in cm.cols("budget"):
        if (i, c) in table.spanned and c - 1 in cm.cols("budget"):
            continue  # a merged cell spanning several budget columns counts once
        rec.budget_cells.append((cm.year_texts.get(c), row[c]))
    rec.quarter_marks = [(text, row[c]) for c, text in cm.quarter_texts.items()]
    return rec
