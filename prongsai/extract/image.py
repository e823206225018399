"""Backend for page images (``.jpg .jpeg .png .tif .tiff``): phone photos and scans of
signed pages, read through the OCR engine (:mod:`prongsai.extract.ocr`).

* Every frame of a multi-page TIFF is a page; any other image is one page.
* The EXIF orientation tag (phones store the picture as the sensor saw it and say how
  to turn it) is applied first; a page that is still on its side or upside down is
  turned upright by the OCR engine itself (Tesseract's orientation detection), the
  same as a rotated page of a scanned PDF.
* The resolution: the image's dpi tag when it gives a page of plausible size (5-17
  inches on its long side), else the image is taken to be an A4 page (11.69 inches
  long): phone photos say 72 dpi whatever the picture.
* The pixel budget (``OcrSettings.max_page_pixels``) applies: a larger page is scaled
  down to it (JPEGs are decoded at the reduced size directly); an image of more than
  :data:`MAX_BUDGETS` times the budget, an image that cannot be decoded (truncated,
  not an image after all) or of zero size is an :class:`~prongsai.model.ExtractError`
  (an ``UNREADABLE_FILE`` row), never a crash.

``Document.format`` is set by the caller (the file's extension); ``text_source`` is
``ocr``. Problems: ``OCR_USED`` (info, with the pages turned upright), ``OCR_FAILED``
(a page Tesseract failed on), ``OCR_UNAVAILABLE`` (error: no Tesseract).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from PIL import Image, UnidentifiedImageError

from prongsai.diagnostics import WarningCode
from prongsai.model import Block, Document, ExtractError, Problem, SourceRef

#: an image of more pixels than this many times ``max_page_pixels`` is not decoded at all
MAX_BUDGETS = 4
#: a page's long side, inches: the dpi tag is believed when it gives a page this size
PAGE_INCHES = (5.0, 17.0)
#: the long side of an A4 page, inches (the page size assumed when the dpi tag is not believable)
A4_INCHES = 11.69


def page_dpi(size: tuple[int, int], tag: Any) -> float:
    """The resolution of a page image of ``size`` pixels with dpi tag ``tag``.

    >>> page_dpi((1654, 2339), (200, 200))  # an A4 scan at 200 dpi
    200.0
    >>> round(page_dpi((3024, 4032), (72, 72)))  # a phone photo of a page: 56 x 42 inches at 72 dpi?
    345
    >>> round(page_dpi((1654, 2339), None))
    200
    """
    long_side = max(size)
    try:
        dpi = float(tag[0]) if isinstance(tag, tuple) else 0.0
    except (TypeError, ValueError):
        dpi = 0.0
    if dpi > 0 and PAGE_INCHES[0] <= long_side / dpi <= PAGE_INCHES[1]:
        return dpi
    return long_side / A4_INCHES


def fit_budget(image: Image.Image, max_pixels: int) -> Image.Image:
    """The page scaled down to at most ``max_pixels`` pixels (its dpi tag follows)."""
    w, h = image.size
    dpi = float(image.info.get("dpi", (0,))[0] or 0)
    if w * h <= max_pixels:
        return image
    f = (max_pixels / (w * h)) ** 0.5
    out = image.resize((max(1, int(w * f)), max(1, int(h * f))), Image.Resampling.BOX)
    out.info["dpi"] = (dpi * f, dpi * f)
    return out


def pages(path: str, max_pixels: int) -> Iterator[Image.Image]:
    """The pages of an image file, upright as EXIF says, in grey levels, within the
    pixel budget, with their dpi in ``info["dpi"]``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the budget is checked below
            im = Image.open(path)
    except Image.DecompressionBombError as e:
        raise ExtractError(f"the image is too large to be read ({e})") from e
    except UnidentifiedImageError as e:
        raise ExtractError("not a readable image (the file is damaged or not an image)") from e
    except OSError as e:
        raise ExtractError(f"cannot open the image ({e})") from e
    with im:
        for index in range(getattr(im, "n_frames", 1)):
            try:
                im.seek(index)
                yield _page(im, max_pixels, index)
            except ExtractError:
                raise
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
                raise ExtractError(f"the image is damaged or truncated (page {index + 1}: {e})") from e


#: EXIF orientation tag value -> the turn that makes the picture upright
_EXIF_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _page(im: Image.Image, max_pixels: int, index: int) -> Image.Image:
    w, h = im.size
    if w < 1 or h < 1:
        raise ExtractError(f"page {index + 1} of the image has no pixels ({w} x {h})")
    if w * h > MAX_BUDGETS * max_pixels:
        raise ExtractError(f"page {index + 1} of the image is {w} x {h} pixels, more than {MAX_BUDGETS} times "
                           f"the OCR pixel budget ({max_pixels:,}); scan it at a lower resolution")
    dpi = page_dpi((w, h), im.info.get("dpi"))
    turn = _EXIF_TURNS.get(im.getexif().get(0x0112, 1))
    if im.format == "JPEG" and w * h > max_pixels:
        f = (max_pixels / (w * h)) ** 0.5
        im.draft("L", (int(w * f), int(h * f)))  # decoded at 1/2, 1/4 or 1/8 of the size
        dpi *= im.size[0] / w
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        page = Image.new("RGBA", rgba.size, "white")
        page.alpha_composite(rgba)
        page = page.convert("L")
    else:
        page = im.convert("L")
    if turn is not None:
        page = page.transpose(turn)
    page.info["dpi"] = (dpi, dpi)
    return fit_budget(page, max_pixels)


def read_image(path: str, settings: Any = None, tesseract: Any = None) -> Document:
    """OCR every page of an image file into the document model (raw text).

    ``settings`` is an :class:`~prongsai.extract.ocr.OcrSettings` (None: defaults);
    ``tesseract`` a Tesseract runner for the OCR engine (None: the program).
    """
    from prongsai.extract import ocr  # lazily: numpy

    s = settings if settings is not None else ocr.OcrSettings()
    blocks: list[Block] = []
    problems: list[Problem] = []
    done: list[int] = []
    turned: list[str] = []
    confidence = words = 0.0
    n = 0
    for n, image in enumerate(pages(path, s.max_page_pixels), start=1):
        try:
            result = ocr.ocr_page(image, n, s, tesseract)
        except ExtractError as e:  # no Tesseract or no Thai data: nothing can be read
            problems.append(Problem.of(WarningCode.OCR_UNAVAILABLE, f"the image needs OCR, which is not available: {e}",
                                    SourceRef(page=n)))
            break
        problems.extend(result.problems)
        blocks.extend(result.blocks)
        if result.rotation:
            turned.append(f"{n} ({result.rotation}\u00b0)")
        if result.blocks:
            done.append(n)
            confidence += result.mean_confidence * result.n_words
            words += result.n_words
    if n == 0:
        raise ExtractError("the image file has no pages")
    if done:
        mean = confidence / words if words else 0.0
        note = f"; turned upright: page {', '.join(turned)}" if turned else ""
        problems.insert(0, Problem.of(
            WarningCode.OCR_USED,
            f"OCR (tesseract {s.languages}) on page{'s' if len(done) > 1 else ''} {', '.join(map(str, done))}; "
            f"mean confidence {mean:.1f}{note}", SourceRef(page=done[0])))
    return Document(path=path, format="image", blocks=blocks, n_pages=n, text_source="ocr", problems=problems)
