"""Backend for plans given as plain text (``.txt`` / ``.md``).

The convention is the one the seed documents came in:

* a line containing TAB characters is a table row (cells split on TAB); a run of
  such lines is a table when at least one of them has two or more non-empty
  cells, otherwise the tabs are only indentation;
* ``<p>...</p>`` fragments are line breaks inside a cell; a row whose non-empty
  cells all start with ``<p>`` continues the cells of the row above (the
  converter split one table row in two), even across blank lines;
* ``^{...}`` superscripts are ordinary text; ``[image: ...]`` placeholders are
  dropped; Markdown heading marks (``#``) are dropped;
* rows made only of dashes are separators and are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from prongsai.model import Document, ExtractError, SourceRef, Table, TextLine

ENCODINGS = ("utf-8-sig", "cp874")
#: byte-order marks of the UTF-16/32 encodings Windows editors save as "Unicode" (longest first)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_P_TAG = re.compile(r"</?p>")
_SEPARATOR = re.compile(r"^[\s\-|:]*$")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: the high byte of every Thai
    (U+0Exx) or ASCII (U+00xx) character is 0x0E or 0x00, which no UTF-8 or cp874
    text shows in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    for enc, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if high.count(0) and (high.count(0) + high.count(0x0E)) >= 0.9 * len(high):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-16/32 by their byte-order mark (or UTF-16 by its zero
    bytes), else UTF-8, falling back to the Thai Windows code page (TIS-620/cp874).

    >>> decode_text("ไทย".encode("cp874"))
    'ไทย'
    >>> decode_text("ไทย".encode("utf-8"))
    'ไทย'
    >>> decode_text("ไทย 2566".encode("utf-16"))  # Notepad's "Unicode"
    'ไทย 2566'
    >>> decode_text("แผนปฏิบัติการ ๒๕๖๖".encode("utf-16-le"))
    'แผนปฏิบัติการ ๒๕๖๖'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise ExtractError(f"text file starts with a {enc.upper()} byte-order mark but is not {enc.upper()}") \
                    from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ExtractError("text file is neither UTF-8, UTF-16 nor TIS-620/cp874 encoded")


def _clean_fragment(s: str) -> str:
    s = _IMAGE.sub(" ", s)
    s = _SUPERSCRIPT.sub(r" \1 ", s)
    return s


def _cell_text(cell: str) -> str:
    """Cell text with ``<p>`` fragments turned into line breaks.

    >>> _cell_text("<p>a</p> <p>b</p>")
    'a\\nb'
    """
    parts = [p.strip() for p in _P_TAG.split(_clean_fragment(cell))]
    return "\n".join(p for p in parts if p)


def _is_continuation(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("<p>") for c in filled)


def parse_text(text: str, fmt: str = "txt", path: str = "") -> Document:
    """Turn the text of a plan into the document model.

    >>> doc = parse_text("มิติที่ 1\\nที่\\tโครงการ\\n1\\tโครงการ ก\\n\\t<p>ต่อ</p>")
    >>> [type(b).__name__ for b in doc.blocks]
    ['TextLine', 'Table']
    >>> doc.blocks[1].rows
    [['ที่', 'โครงการ'], ['1', 'โครงการ ก\\nต่อ']]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[TextLine | Table] = []
    run: list[tuple[int, list[str]]] = []  # (line number, raw cells)

    def flush() -> None:
        if not run:
            return
        multi = [k for k, (_, cells) in enumerate(run) if sum(1 for c in cells if c.strip()) >= 2]
        if multi:
            # single-cell (indented) lines before the first real row are text, not table rows
            for n, cells in run[: multi[0]]:
                t = " ".join(_cell_text(c) for c in cells if c.strip())
                if t.strip():
                    blocks.append(TextLine(t.strip(), SourceRef(line=n)))
            del run[: multi[0]]
            rows: list[list[str]] = []
            refs: list[SourceRef] = []
            for n, cells in run:
                if _is_continuation(cells) and rows:
                    prev = rows[-1]
                    for i, c in enumerate(cells):
                        extra = _cell_text(c)
                        if not extra:
                            continue
                        while len(prev) <= i:
                            prev.append("")
                        prev[i] = f"{prev[i]}\n{extra}" if prev[i] else extra
                    continue
                rows.append([_cell_text(c) for c in cells])
                refs.append(SourceRef(line=n))
            if rows:
                blocks.append(Table(rows, refs[0], refs))
        else:
            for n, cells in run:
                t = " ".join(_cell_text(c) for c in cells if c.strip())
                if t.strip():
                    blocks.append(TextLine(t.strip(), SourceRef(line=n)))
        run.clear()

    for n, raw in enumerate(lines, start=1):
        if "\t" in raw:
            cells = raw.split("\t")
            if _SEPARATOR.match(raw):
                continue
            if _is_continuation(cells) and not run and blocks and isinstance(blocks[-1], Table):
                # a continuation row separated from its table by blank lines
                table = blocks.pop()
                assert isinstance(table, Table)
                run.extend((ref.line or n, row) for ref, row in zip(table.row_refs, table.rows, strict=True))
            run.append((n, cells))
            continue
        if not raw.strip():
            if run and not _continuation_ahead(lines, n):
                flush()
            continue
        flush()
        stripped = _MD_HEADING.sub("", raw)
        for part in _P_TAG.split(_clean_fragment(stripped)):
            if part.strip():
                blocks.append(TextLine(part.strip(), SourceRef(line=n)))
    flush()
    return Document(path=path, format=fmt, blocks=blocks)


def _continuation_ahead(lines: list[str], n: int) -> bool:
    """True when the next non-blank line (after 1-based line ``n``) continues a table row."""
    for raw in lines[n:]:
        if raw.strip():
            return "\t" in raw and (_is_continuation(raw.split("\t")) or bool(_SEPARATOR.match(raw)))
    return False


def read_text(path: str) -> Document:
    """Read a ``.txt`` / ``.md`` plan file."""
    p = Path(path)
    fmt = "md" if p.suffix.lower() == ".md" else "txt"
    return parse_text(decode_text(p.read_bytes()), fmt=fmt, path=path)
