"""The one document model every format backend produces.

Later stages (plan parsing, normalisation, output) only ever see these objects;
they never look at the file format again (the docling idea).

A document is a flat sequence of blocks in reading order:

* :class:`TextLine` - one line of running text (a paragraph line, a heading);
* :class:`Table` - a grid of cells, rows x columns, with merged cells resolved.

Every block carries a :class:`SourceRef` saying where in the source it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from prongsai.diagnostics import WarningCode


@dataclass(frozen=True)
class SourceRef:
    """Where something is in the source file: a page (PDF, DOCX with page breaks)
    and/or a 1-based text line (txt/md, or the line within a PDF page); in a
    spreadsheet the sheet's name and the 1-based row.

    >>> str(SourceRef(page=3))
    'p.3'
    >>> str(SourceRef(line=12))
    'line 12'
    >>> str(SourceRef(page=2, line=7))
    'p.2'
    >>> str(SourceRef(line=7, sheet="แผน 2566"))
    'sheet แผน 2566, row 7'
    """

    page: int | None = None
    line: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"sheet {self.sheet}, row {self.line}" if self.line is not None else f"sheet {self.sheet}"
        if self.page is not None:
            return f"p.{self.page}"
        if self.line is not None:
            return f"line {self.line}"
        return ""


@dataclass
class TextLine:
    """One line of text. ``style`` is a hint from the backend (e.g. ``"Heading 1"``)
    and may be None; parsers must not rely on it."""

    text: str
    ref: SourceRef
    style: str | None = None


@dataclass
class Table:
    """A table as a rectangular grid of cell texts.

    * ``rows[r][c]`` is the text of the cell at row r, column c; a line break
      inside a cell is ``"\\n"``.
    * Merged cells are resolved: a cell spanning several rows or columns has its
      text at every position it covers; ``spanned`` holds the positions that are
      copies (not the merged cell's top-left origin), so a consumer can avoid
      counting a value twice.
    * ``row_refs[r]`` is the source reference of row r (tables split over pages
      keep the page of each row).
    * ``line_tops[(r, c)]``, where the backend knows the page geometry (PDF), is the
      top of each ``"\\n"``-separated line of that cell's text, in points from the top
      of its page, one float per line in the same order. Parsers use it to pair items
      stacked in one cell with the figures stacked in a neighbouring cell by their
      vertical position. Backends without geometry (DOCX, text) leave it empty: there
      the n-th paragraph of one cell sits beside the n-th paragraph of the next.
    """

    rows: list[list[str]]
    ref: SourceRef
    row_refs: list[SourceRef] = field(default_factory=list)
    spanned: set[tuple[int, int]] = field(default_factory=set)
    line_tops: dict[tuple[int, int], list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        width = max((len(r) for r in self.rows), default=0)
        self.rows = [list(r) + [""] * (width - len(r)) for r in self.rows]
        if not self.row_refs:
            self.row_refs = [self.ref] * len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0


Block = TextLine | Table


@dataclass
class Problem:
    """Something a backend or parser noticed (becomes a warnings row).

    A fuzzy or inferred *decision* also says which ``field`` it decided, the
    ``raw`` text it read, the value it ``chose`` and its ``score`` (0-100), so that
    ``prongsai review`` can list it and a reviewer can overrule it.
    """

    code: str
    severity: str  # info | warning | error
    message: str
    ref: SourceRef | None = None
    field: str | None = None
    raw: str | None = None
    chosen: str | None = None
    score: float | None = None

    def __post_init__(self) -> None:
        self.code = str(self.code)  # a WarningCode member is kept as its plain value (rows, pickles, JSON)

    @classmethod
    def of(cls, code: WarningCode, message: str, ref: SourceRef | None = None, *, field: str | None = None,
           raw: str | None = None, chosen: str | None = None, score: float | None = None) -> Problem:
        """A problem with the default severity of its code (:class:`~prongsai.diagnostics.WarningCode`).

        >>> Problem.of(WarningCode.OCR_FAILED, "page 3: blank").severity
        'warning'
        """
        return cls(code, code.severity, message, ref, field, raw, chosen, score)


@dataclass
class Document:
    """A whole input file in the common model."""

    path: str
    format: str  # pdf | docx | txt | md | xlsx, or the extension of a converted file (doc, odt, xls ...)
    blocks: list[Block] = field(default_factory=list)
    n_pages: int | None = None
    text_source: str = "text"  # text | ocr | mixed
    problems: list[Problem] = field(default_factory=list)

    def map_text(self, fn: Callable[[str], str]) -> Document:
        """Return a copy with ``fn`` applied to every line and cell text.

        Blocks are not changed once made: a block whose texts ``fn`` leaves as they are is
        shared with the copy, not copied (a long document is not held twice).

        >>> doc = Document("a.txt", "txt", [TextLine("๑", SourceRef(line=1)), TextLine("a", SourceRef(line=2))])
        >>> new = doc.map_text(lambda s: s.replace("๑", "1"))
        >>> [b.text for b in new.blocks], new.blocks[0] is doc.blocks[0], new.blocks[1] is doc.blocks[1]
        (['1', 'a'], False, True)
        """
        blocks: list[Block] = []
        for b in self.blocks:
            if isinstance(b, TextLine):
                text = fn(b.text)
                blocks.append(b if text == b.text else TextLine(text, b.ref, b.style))
                continue
            rows = [[fn(c) for c in row] for row in b.rows]
            if rows == b.rows:
                blocks.append(b)
            else:
                blocks.append(Table(rows, b.ref, list(b.row_refs), set(b.spanned), dict(b.line_tops)))
        return Document(self.path, self.format, blocks, self.n_pages, self.text_source, list(self.problems))

    def plain_text(self) -> str:
        """All text, tables as tab-separated rows (for ``prongsai text`` and debugging)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, TextLine):
                out.append(b.text)
            else:
                out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
        return "\n".join(out)


class ExtractError(Exception):
    """A file cannot be read at all (corrupt, encrypted, wrong format ...).

    The message is shown to users in the warnings table, so it must say what
    is wrong in plain words, e.g. ``"not a valid DOCX file (not a zip archive)"``.
    ``code`` is the warning code of the error row (``UNSUPPORTED_FORMAT`` when a
    converter is not installed, ...).

    >>> ExtractError("no converter", code=WarningCode.UNSUPPORTED_FORMAT).code
    'UNSUPPORTED_FORMAT'
    >>> ExtractError("damaged").code
    'UNREADABLE_FILE'
    """

    def __init__(self, message: str, *, code: str = WarningCode.UNREADABLE_FILE) -> None:
        super().__init__(message)
        self.code = str(code)  # plain value, as a WarningCode member or a string

    def __reduce__(self) -> tuple[object, ...]:  # keep the code when sent between processes
        return (_extract_error, (str(self), self.code))


def _extract_error(message: str, code: str) -> ExtractError:
    return ExtractError(message, code=code)
