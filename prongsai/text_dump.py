"""The text the pipeline reads from a document, as ``prongsai text`` prints it."""

from __future__ import annotations

from prongsai.model import Document, TextLine


def document_text(doc: Document, pages: tuple[int, int] | None = None) -> str:
    """Lines and table rows (cells tab-separated) of ``doc``, pages separated by form
    feeds; ``pages`` (first, last) keeps only those pages (blocks without a page stay).

    >>> from prongsai.model import SourceRef, Table
    >>> doc = Document("a.pdf", "pdf", [TextLine("หน้าแรก", SourceRef(page=1)),
    ...                 Table([["ก", "ข\\nค"]], SourceRef(page=2)), TextLine("ท้าย", SourceRef(page=3))])
    >>> document_text(doc)
    'หน้าแรก\\n\\x0c\\nก\\tข ค\\n\\x0c\\nท้าย'
    >>> document_text(doc, (2, 3))
    'ก\\tข ค\\n\\x0c\\nท้าย'
    """
    out: list[str] = []
    page = None
    for b in doc.blocks:
        p = b.ref.page
        if pages and p is not None and not (pages[0] <= p <= pages[1]):
            continue
        if page is not None and p is not None and p != page:
            out.append("\f")
        page = p if p is not None else page
        if isinstance(b, TextLine):
            out.append(b.text)
        else:
            out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
    return "\n".join(out)
