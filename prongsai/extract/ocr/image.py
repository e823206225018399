"""Page image clean-up: binarising (Otsu), speck removal, deskew, resolution.

* **Binarise**: greyscale, global Otsu threshold (at most 200: a near-blank page has no
  useful bimodal histogram); speck removal drops ink pixels with almost no ink around
  them (scanner dust, JPEG specks).
* **Deskew**: the angle that makes the horizontal ink profile sharpest (ruling lines and
  text lines both vote), searched in ``±max_skew`` degrees (scans are typically off by
  0.3-0.8 degrees).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from prongsai.extract.ocr.settings import OcrSettings


def otsu(gray: np.ndarray) -> int:
    """Otsu's threshold of an 8-bit grey image (the histogram from PIL: ~10x numpy's);
    ink is ``gray < otsu(gray)``.

    >>> otsu(np.array([[0, 255], [255, 255]], dtype=np.uint8))
    127
    """
    hist = np.asarray(Image.fromarray(gray).histogram() if gray.dtype == np.uint8 and gray.ndim == 2
                      else np.bincount(gray.ravel(), minlength=256), dtype=np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    mt = m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    # grey levels no pixel has leave the variance unchanged: a page of two levels only (a
    # black-and-white scan: 0 and 255) has it flat from the dark level up to the light
    # one; the middle of that plateau separates them (its start would put the dark
    # level itself on the light side of ``gray < threshold``)
    best = int(np.argmax(between))
    end = best
    while end + 1 < 256 and between[end + 1] == between[best]:
        end += 1
    return (best + end + 1) // 2


def box_sum(a: np.ndarray, r: int) -> np.ndarray:
    """Sum of a boolean image over the (2r+1)^2 window around every pixel (zero
    padding): shifted adds in uint8, one axis after the other (r <= 7).

    >>> box_sum(np.eye(4, dtype=bool), 1).tolist()
    [[2, 2, 1, 0], [2, 3, 2, 1], [1, 2, 3, 2], [0, 1, 2, 2]]
    """
    if r > 7:
        raise ValueError("window too large for uint8 sums")
    h, w = a.shape
    k = 2 * r + 1
    p = np.zeros((h + 2 * r, w + 2 * r), dtype=np.uint8)
    p[r: r + h, r: r + w] = a
    rows = p[:, 0:w].copy()
    for i in range(1, k):
        rows += p[:, i: i + w]
    out = rows[0:h].copy()
    for i in range(1, k):
        out += rows[i: i + h]
    return out


def despeckle(ink: np.ndarray, r: int = 3, min_count: int = 8) -> np.ndarray:
    """Drop ink pixels with fewer than ``min_count`` ink pixels in their window
    (scanner dust, JPEG specks); strokes, dots and tone marks survive."""
    return ink & (box_sum(ink, r) >= min_count)


def binarise(gray: np.ndarray, settings: OcrSettings) -> tuple[np.ndarray, np.ndarray]:
    """(raw ink, ink without specks): ruling lines are found in the raw ink (a
    one-pixel line has too few neighbours to survive speck removal)."""
    thr = otsu(gray)
    thr = min(thr, 200)  # a near-blank page has no useful bimodal histogram
    raw = gray < thr
    return raw, (despeckle(raw) if settings.despeckle else raw)


def reduce_any(mask: np.ndarray, f: int) -> np.ndarray:
    """A boolean image reduced ``f`` times each way: a pixel is set when any of its
    ``f`` x ``f`` block is (the ragged right and bottom edges are dropped).

    >>> reduce_any(np.eye(4, dtype=bool), 2).tolist()
    [[True, False], [False, True]]
    """
    if f == 1:
        return mask
    h, w = mask.shape
    m = mask[: h - h % f, : w - w % f]
    out = np.zeros((h // f, w // f), dtype=bool)
    for dy in range(f):
        for dx in range(f):
            out |= m[dy::f, dx::f]
    return out


def estimate_skew(ink: np.ndarray, max_angle: float = 2.0) -> float:
    """The rotation (degrees, PIL's counter-clockwise sense) that makes the ink's row
    profile sharpest: rotating the page by it levels text lines and ruling lines."""
    h, w = ink.shape
    if not ink.any():
        return 0.0
    f = max(1, round(max(h, w) / 1400))
    img = Image.fromarray(reduce_any(ink, f).astype(np.uint8) * np.uint8(255))
    scores: dict[float, float] = {}  # the coarse and fine searches share some angles

    def score(angle: float) -> float:
        key = round(angle, 6)
        if key not in scores:
            rot = np.asarray(img.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
            prof = rot.sum(axis=1, dtype=np.int64).astype(np.float64)
            scores[key] = float(np.sum(np.diff(prof) ** 2))
        return scores[key]

    step = 0.2
    angles = np.arange(-max_angle, max_angle + 1e-9, step)
    best = float(angles[int(np.argmax([score(float(a)) for a in angles]))])
    for fine in (0.05, 0.01):
        cand = np.arange(best - step, best + step + 1e-9, fine)
        best = float(cand[int(np.argmax([score(float(a)) for a in cand]))])
        step = fine
    return round(best, 2)



def widen(mask: np.ndarray, r: int) -> np.ndarray:
    out = mask.copy()
    for sh in range(1, r + 1):
        out[sh:] |= mask[:-sh]
        out[:-sh] |= mask[sh:]
        out[:, sh:] |= mask[:, :-sh]
        out[:, :-sh] |= mask[:, sh:]
    return out


def image_dpi(image: Image.Image, settings: OcrSettings) -> int:
    info = image.info.get("dpi")
    if isinstance(info, tuple) and info and info[0]:
        try:
            d = int(round(float(info[0])))
        except (TypeError, ValueError):
            d = 0
        if 20 <= d <= 1200:
            return d
    return settings.dpi
