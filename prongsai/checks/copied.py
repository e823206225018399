"""COPIED_PLAN: most of a plan's project texts are near-identical to another
organisation's plan in the same batch.

Each project's text (title and section texts, with the plan's own names, district and
province masked, so that a copy "with only the names changed" compares equal) gets a
MinHash signature of its character 7-grams (one-permutation hashing with rotation
densification, computed with numpy for the whole batch at once). Locality-sensitive
hashing (``bands`` bands of ``bins / bands`` rows) proposes pairs of plans whose texts
fall into the same bucket; a bucket shared by more than ``max_bucket`` plans holds
template text (NACC model titles and wording) and proposes nothing. Each proposed pair
is then verified exactly: rapidfuzz ``ratio`` of every text of one plan against every
text of the other; a text is near-identical at ``min_similarity`` and the plan fails
when at least ``min_share`` of its texts (and ``min_projects`` of them) are.

Never all pairs: the time grows with the number of texts plus the pairs LSH proposes
(``bench/bench_checks.py``; figures in the README).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from prongsai.checks.model import PR, P, Plan, Result, missing, no_projects, th_en
from prongsai.checks.other_org import TEXT_COLUMNS
from prongsai.diagnostics import CheckCode, CheckStatus
from prongsai.schema import PLANS


@dataclass(frozen=True)
class CopySettings:
    """Thresholds of COPIED_PLAN."""

    shingle: int = 7  # characters per shingle
    bins: int = 64  # MinHash values per text
    bands: int = 8  # LSH bands of 8 rows: texts of Jaccard 0.9 meet with p = 0.99, of 0.5 with p = 0.03
    max_bucket: int = 30  # a bucket of more plans than this is template text
    min_candidate_share: float = 0.25  # share of a plan's texts that must meet the other plan's in LSH
    min_similarity: float = 90.0  # rapidfuzz ratio of two texts that are near-identical
    min_share: float = 0.7  # share of the plan's texts near-identical to the other plan's
    min_projects: int = 3  # and at least this many of them
    max_chars: int = 2000  # of each text (a copy's texts are near-identical from their start)


DEFAULT_COPY = CopySettings()

_QUOTES = str.maketrans("", "", "\"'“”‘’«»")


def _flat(text: str) -> str:
    """Text without spaces and quotes.

    >>> _flat("โครงการ “อบรม” ปี 2565")
    'โครงการอบรมปี2565'
    """
    flat = "".join(text.split())
    return flat.translate(_QUOTES) if any(q in flat for q in "\"'“”‘’«»") else flat


def project_text(project: dict[str, Any], names: list[str], max_chars: int = 2000) -> str:
    """A project's title and section texts, flattened, with the plan's own ``names`` masked.

    >>> project_text({"title": "อบรมพนักงาน อบต.หนองบัว", "objectives": "ให้ชาวหนองบัวรู้"}, ["หนองบัว"])
    'อบรมพนักงานอบต.#|ให้ชาว#รู้'
    """
    parts = [_flat(str(project[c])[: 2 * max_chars]) for c in TEXT_COLUMNS if not missing(project.get(c))]
    text = "|".join(p for p in parts if p)
    for name in names:
        text = text.replace(name, "#")
    return text[:max_chars]


_NAME_COLUMNS = PLANS.pick("org_name", "org_short_name", "district", "province")


def _names(pl: Plan) -> list[str]:
    names = {_flat(str(pl.get(c))) for c in _NAME_COLUMNS if pl.get(c)}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _org_key(pl: Plan) -> tuple[Any, ...]:
    if pl.get(P.org_code):
        return ("code", str(pl.get(P.org_code)))
    if pl.get(P.org_short_name):
        return ("name", pl.get(P.org_type), _flat(str(pl.get(P.org_short_name))), pl.get(P.province))
    return ("plan", pl.plan_id)  # unknown organisation: only itself


# --------------------------------------------------------------------------- MinHash


_M64 = (1 << 64) - 1
_EMPTY = _M64


def _mix(x: Any) -> Any:
    """splitmix64's finaliser on a numpy uint64 array (wrapping arithmetic)."""
    import numpy as np

    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def signatures(texts: list[str], settings: CopySettings | None = None, chunk: int = 2000) -> Any:
    """MinHash signatures (one row of ``settings.bins`` uint64 per text) of the texts'
    character shingles; equal texts have equal rows, similar texts mostly equal values.
    Computed ``chunk`` texts at a time (memory stays flat on any batch).

    >>> s = signatures(["อบรมคุณธรรมจริยธรรมพนักงาน", "อบรมคุณธรรมจริยธรรมพนักงาน", "จัดซื้อจัดจ้างโปร่งใส"])
    >>> bool((s[0] == s[1]).all()), int((s[0] == s[2]).sum()) < 16
    (True, True)
    """
    import numpy as np

    settings = settings or DEFAULT_COPY
    sig = np.full((len(texts), settings.bins), _EMPTY, dtype=np.uint64)
    for lo in range(0, len(texts), chunk):
        sig[lo:lo + chunk] = _chunk_signatures(texts[lo:lo + chunk], settings)
    return sig


def _chunk_signatures(texts: list[str], settings: CopySettings) -> Any:
    import numpy as np

    k, bins = settings.shingle, settings.bins
    shift = np.uint64(64 - (bins.bit_length() - 1))
    n = len(texts)
    sig = np.full((n, bins), _EMPTY, dtype=np.uint64)
    if not n:
        return sig
    hashes, owners = [], []
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    # texts shorter than a shingle: one shingle of the whole text
    for i in np.flatnonzero((lengths > 0) & (lengths < k)):
        short = 0
        for ch in texts[i]:
            short = (short * 1_000_003 + ord(ch)) & _M64
        hashes.append(np.array([short], dtype=np.uint64))
        owners.append(np.array([i]))
    long_ = np.flatnonzero(lengths >= k)
    if len(long_):
        joined = "".join(texts[i] for i in long_)
        allc = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        ends = np.cumsum(lengths[long_])
        m = len(allc) - k + 1
        h: np.ndarray = np.zeros(m, dtype=np.uint64)
        for j in range(k):
            h = h * np.uint64(1_000_003) + allc[j:j + m]
        # shingle start positions that lie inside one text
        text_of: np.ndarray = np.repeat(np.arange(len(long_)), lengths[long_])[:m]
        keep = np.arange(m) + k <= ends[text_of]
        hashes.append(h[keep])
        owners.append(long_[text_of[keep]])
    if not hashes:
        return sig
    h = _mix(np.concatenate(hashes))
    owner = np.concatenate(owners).astype(np.int64)
    key = owner * bins + (h >> shift).astype(np.int64)
    val = h & np.uint64(_M64 >> (64 - int(shift)))
    np.minimum.at(sig.reshape(-1), key, val)
    # rotation densification: an empty bin takes the next non-empty bin's value, offset by the distance
    orig = sig.copy()
    for d in range(1, bins):
        empty = sig == _EMPTY
        if not empty.any():
            break
        cand = np.roll(orig, -d, axis=1)
        fill = empty & (cand != _EMPTY)
        sig[fill] = cand[fill] + np.uint64(d * 0x9E3779B97F4A7C15 & _M64)
    return sig


def candidate_pairs(sig: Any, item_plan: Any, settings: CopySettings) -> dict[tuple[int, int], set[int]]:
    """(plan a, plan b) -> the items of ``a`` that share an LSH bucket with an item of
    ``b`` (both directions), from buckets of at most ``max_bucket`` plans."""
    import numpy as np

    rows = settings.bins // settings.bands
    pairs: dict[tuple[int, int], set[int]] = defaultdict(set)
    valid = np.flatnonzero(sig[:, 0] != _EMPTY)
    for b in range(settings.bands):
        cols = sig[valid, b * rows:(b + 1) * rows]
        bh = np.full(len(valid), np.uint64(b), dtype=np.uint64)
        for j in range(rows):
            bh = _mix(bh ^ cols[:, j])
        order = np.argsort(bh, kind="stable")
        sorted_h = bh[order]
        bounds = np.flatnonzero(np.concatenate([[True], sorted_h[1:] != sorted_h[:-1], [True]]))
        sizes = np.diff(bounds)
        for start, size in zip(bounds[:-1][sizes > 1], sizes[sizes > 1], strict=True):
            items = valid[order[start:start + size]]
            plans = item_plan[items]
            distinct = np.unique(plans)
            if len(distinct) < 2 or len(distinct) > settings.max_bucket:
                continue
            for it, pa in zip(items.tolist(), plans.tolist(), strict=True):
                for pb in distinct.tolist():
                    if pb != pa:
                        pairs[(pa, pb)].add(it)
    return pairs


# --------------------------------------------------------------------------- the check


def copied_plans(plans: list[Plan], settings: CopySettings | None = None) -> dict[str, Result]:
    """COPIED_PLAN for every plan of a batch (plan_id -> Result)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    check = CheckCode.COPIED_PLAN
    settings = settings or DEFAULT_COPY
    texts: list[list[str]] = []
    for pl in plans:
        names = _names(pl)
        texts.append([project_text(p, names, settings.max_chars) for p in pl.projects])
    orgs = [_org_key(pl) for pl in plans]
    flat = [t for ts in texts for t in ts]
    item_plan = np.repeat(np.arange(len(plans)), [len(ts) for ts in texts])
    sig = signatures(flat, settings)
    n_texts = [sum(bool(t) for t in ts) for ts in texts]

    verify: set[tuple[int, int]] = set()
    for (a, b), items in candidate_pairs(sig, item_plan, settings).items():
        if orgs[a] != orgs[b] and len(items) >= settings.min_candidate_share * max(n_texts[a], 1):
            verify.add((min(a, b), max(a, b)))
    best: dict[int, tuple[float, int, int, int]] = {}  # plan -> (share, matched, other plan, first item)
    for a, b in sorted(verify):
        scores = process.cdist(texts[a], texts[b], scorer=fuzz.ratio, score_cutoff=settings.min_similarity,
                               dtype=np.uint8)
        for x, y, mat in ((a, b, scores), (b, a, scores.T)):
            hits = [i for i, t in enumerate(texts[x]) if t and int(mat[i].max()) >= settings.min_similarity]
            if not hits:
                continue
            cand = (len(hits) / max(n_texts[x], 1), len(hits), y, hits[0])
            old = best.get(x)
            if old is None or (cand[0], cand[1], -cand[2]) > (old[0], old[1], -old[2]):
                best[x] = cand

    with_texts = {o for o, n in zip(orgs, n_texts, strict=True) if n}
    out: dict[str, Result] = {}
    for i, pl in enumerate(plans):
        if not pl.projects:
            out[pl.plan_id] = no_projects(check)
            continue
        if n_texts[i] < settings.min_projects:
            out[pl.plan_id] = Result(check, CheckStatus.not_applicable, th_en(
                f"มีโครงการน้อยกว่า {settings.min_projects} โครงการ", f"fewer than {settings.min_projects} projects"))
            continue
        if not with_texts - {orgs[i]}:
            out[pl.plan_id] = Result(check, CheckStatus.not_applicable, th_en(
                "ไม่มีแผนขององค์กรอื่นในชุดให้เทียบ", "no other organisation's plan in the batch to compare with"))
            continue
        hit = best.get(i)
        if hit is None or hit[0] < settings.min_share or hit[1] < settings.min_projects:
            most = f"{hit[0]:.0%}" if hit else "0%"
            out[pl.plan_id] = Result(check, CheckStatus.passed, th_en(
                f"ข้อความโครงการเหมือนแผนอื่นไม่เกิน {most}", f"at most {most} of the project texts match another "
                "organisation's plan"))
            continue
        share, matched, j, first = hit
        o = plans[j]
        who = f"{o.get(P.org_name) or '?'} ({o.get(P.source_path) or ''}, plan_id {o.plan_id})"
        p = pl.projects[first]
        out[pl.plan_id] = Result(check, CheckStatus.fail, th_en(
            f"ข้อความ {matched} จาก {n_texts[i]} โครงการ ({share:.0%}) เกือบเหมือนแผนของ {who}",
            f"{matched} of {n_texts[i]} project texts ({share:.0%}) are near-identical to the plan of {who}"),
            p.get(PR.source_ref), p.get(PR.project_id))
    return out
