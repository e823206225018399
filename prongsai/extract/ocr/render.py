"""PDF pages as images for OCR, within a pixel budget."""

from __future__ import annotations

from PIL import Image

from prongsai.model import ExtractError


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int | None) -> float:
    """The resolution to render a page of ``width_pt`` × ``height_pt`` points at: ``dpi``,
    or less when the image would have more than ``max_pixels`` pixels.

    >>> render_dpi(595, 842, 200, 36_000_000)  # A4
    200
    >>> round(render_dpi(14400, 14400, 200, 36_000_000), 1)  # the largest page PDF allows
    30.0
    """
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if not max_pixels or pixels <= max_pixels:
        return dpi
    return dpi * (max_pixels / pixels) ** 0.5


def render_pdf_page(path: str, index: int, dpi: int, max_pixels: int | None = None) -> Image.Image:
    """Render page ``index`` (0-based) of a PDF as an RGB image at ``dpi`` (lower for a
    page that would exceed ``max_pixels``; ``image.info["dpi"]`` says which)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise ExtractError(f"cannot open the PDF to render it ({e})") from e
    try:
        if not 0 <= index < len(pdf):
            raise ExtractError(f"the PDF has no page {index + 1}")
        page = pdf[index]
        try:
            w, h = page.get_size()
            used_dpi = render_dpi(w, h, dpi, max_pixels)
            bitmap = page.render(scale=used_dpi / 72)
            try:
                image = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()
    image.info["dpi"] = (used_dpi, used_dpi)
    return image
