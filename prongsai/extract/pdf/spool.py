"""The pages of one PDF between their reading and the document-wide steps, packed so that
a worker's memory does not grow with the length of the file.

Every page is read before any goes into the Document: the glyphs without Unicode are
inferred over the whole document (:mod:`prongsai.extract.pdf.textflow`), and running
headers, margins and the line pitch are measured over it
(:mod:`prongsai.extract.pdf.assemble`). As objects, a laid-out page takes about 40 kB,
twice that with its text-flow candidate, so a 500-page file would hold 20-40 MB.
:class:`PageSpool` keeps the first ``resident`` pages as they are and packs the others:
their content (lines, tables, table boxes, text-flow candidate) pickled and compressed, a
few kB a page. A step that needs a page's content unpacks a copy of it for that step;
what the steps ask first (number, size, diagnoses, source, OCR blocks) is always at hand
(:meth:`PageSpool.head`).

>>> from prongsai.extract.pdf.lines import Line
>>> spool = PageSpool(resident=1)
>>> for n in (1, 2):
...     spool.append(PageData(n, 595.0, 842.0, lines=[Line(f"หน้า {n}", 72, 120, 800, 816)], in_table=[False]))
>>> spool.head(0).lines[0].text, spool.head(1).lines, spool.packed
('หน้า 1', [], 1)
>>> [p.lines[0].text for p in spool]
['หน้า 1', 'หน้า 2']
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from prongsai.extract.pdf.page import FlowReading, PageData

#: the fields of a page that are packed (what only the steps that lay pages out read)
_CONTENT = ("lines", "in_table", "tables", "boxes")


def _content(page: PageData) -> tuple[Any, ...]:
    return tuple(getattr(page, f) for f in _CONTENT)


def _without_content(page: PageData) -> PageData:
    return replace(page, lines=[], in_table=[], tables=[], boxes=[])


class PageSpool:
    """The pages of one document in order, the first ``resident`` as objects, the others packed.

    ``spool[i]`` is page ``i`` whole (a packed page is unpacked into a new object: changes to
    it are kept only by ``spool[i] = page``); iterating unpacks one page at a time.
    A page's text-flow candidate (:class:`~prongsai.extract.pdf.page.FlowReading`) is packed
    with it; what the document-wide glyph inference needs of the candidate (its glyph counts
    and the lines holding glyphs) stays at hand.
    """

    def __init__(self, resident: int = 64) -> None:
        self.resident = resident
        self._heads: list[PageData] = []
        self._packed: dict[int, bytes] = {}

    @classmethod
    def of(cls, pages: Iterable[PageData]) -> PageSpool:
        """A spool holding ``pages`` as objects (none packed)."""
        pages = list(pages)
        spool = cls(resident=len(pages))
        spool._heads = pages
        return spool

    @property
    def packed(self) -> int:
        """How many pages are packed."""
        return len(self._packed)

    def __len__(self) -> int:
        return len(self._heads)

    def head(self, i: int) -> PageData:
        """Page ``i`` as held: of a packed page, only the fields outside its content (number,
        size, flags, diagnoses, source, OCR blocks; of its text-flow candidate, the glyph
        counts and glyph lines) may be read: its lines and tables are empty."""
        return self._heads[i]

    def append(self, page: PageData) -> None:
        self._heads.append(page)
        self._pack(len(self._heads) - 1)

    def __getitem__(self, i: int) -> PageData:
        blob = self._packed.get(i)
        head = self._heads[i]
        if blob is None:
            return head
        content, flow_content = pickle.loads(zlib.decompress(blob))
        page = replace(head, **dict(zip(_CONTENT, content, strict=True)))
        if head.flow is not None:
            cand = replace(head.flow.page, **dict(zip(_CONTENT, flow_content, strict=True)))
            page.flow = replace(head.flow, page=cand)
        return page

    def __setitem__(self, i: int, page: PageData) -> None:
        self._heads[i] = page
        self._packed.pop(i, None)
        self._pack(i)

    def __iter__(self) -> Iterator[PageData]:
        for i in range(len(self._heads)):
            yield self[i]

    def _pack(self, i: int) -> None:
        if i < self.resident:
            return
        page = self._heads[i]
        flow: FlowReading | None = page.flow
        blob = (_content(page), _content(flow.page) if flow is not None else None)
        self._packed[i] = zlib.compress(pickle.dumps(blob, pickle.HIGHEST_PROTOCOL), 1)
        head = _without_content(page)
        if flow is not None:
            head.flow = replace(flow, page=_without_content(flow.page))
        self._heads[i] = head
