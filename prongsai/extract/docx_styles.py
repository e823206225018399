"""Paragraph styles of a Word document for :mod:`prongsai.extract.docx`: each style's name
and whether it starts a new page (``pageBreakBefore``, inherited through ``basedOn``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["StyleInfo", "style_map"]


@dataclass(frozen=True)
class StyleInfo:
    """A paragraph style: its name and whether it starts a new page."""

    name: str
    page_break_before: bool


def style_map(doc: Any) -> tuple[dict[str, StyleInfo], StyleInfo | None]:
    """Paragraph style id -> (name, inherited pageBreakBefore); plus the default style."""
    from docx.enum.style import WD_STYLE_TYPE

    out: dict[str, StyleInfo] = {}
    default: StyleInfo | None = None
    try:
        styles = list(doc.styles)
        default_style = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    except Exception:  # a damaged styles part only costs us the style hints
        return out, None
    for st in styles:
        try:
            if st.type != WD_STYLE_TYPE.PARAGRAPH or not st.style_id:
                continue
            pbb: bool | None = None
            base, depth = st, 0
            while base is not None and pbb is None and depth < 20:  # inherit through basedOn
                fmt = getattr(base, "paragraph_format", None)
                pbb = fmt.page_break_before if fmt is not None else None
                base, depth = base.base_style, depth + 1
            info = StyleInfo(st.name or st.style_id, bool(pbb))
        except Exception:  # one odd style definition must not stop the document
            continue
        out[st.style_id] = info
        if default_style is not None and st.style_id == default_style.style_id:
            default = info
    return out, default
