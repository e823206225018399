"""Which local administrative organisation (LAO) a text names.

An organisation is written as a type prefix (องค์การบริหารส่วนตำบล, อบต., เทศบาลตำบล, ทต. …,
see ``data/org_types.csv``) followed by its name, optionally followed by its อำเภอ and
จังหวัด. Names and places are checked against the DLA list (``data/lao_registry.csv``):
names recur across provinces and 561 districts have a เทศบาลตำบล and an อบต. of the same
name, so a DLA code is given only when type, name and the places written leave exactly
one candidate.

Every result carries ``score`` (0-100): 100 when everything was read exactly (an
abbreviation or a name glued to the next word counts as exact), lower when the type, the
name or a place was matched fuzzily; the caller logs FUZZY_LABEL below 100.

>>> o = parse_org("อบต.เมืองน้อย อ.ธวัชบุรี จ.ร้อยเอ็ด")
>>> (o.org_type, o.org_name, o.org_short_name, o.district, o.province, o.org_code, o.score)
('sao', 'องค์การบริหารส่วนตำบลเมืองน้อย', 'เมืองน้อย', 'ธวัชบุรี', 'ร้อยเอ็ด', '6450511', 100.0)
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache

from rapidfuzz import fuzz, process

from prongsai.normalize import geo
from prongsai.normalize.registry import LaoRecord, clean, lao_registry, org_types, squash
from prongsai.normalize.thai_chars import NON_INITIAL, WORD_LETTERS_MAIYAMOK, chars_of

# Thresholds (0-100, rapidfuzz ratio on whitespace-free text).
PROVINCE_MIN = 80.0  # 76 provinces, all far apart
DISTRICT_MIN_IN_PROVINCE = 75.0  # a handful of districts per province
DISTRICT_MIN = 85.0
NAME_MIN_IN_PLACE = 80.0  # name among the LAOs of the district / province written
NAME_MIN = 88.0  # name among all LAOs of the type
TYPE_FUZZY_MIN = 85.0  # a type prefix found only fuzzily (legacy-font text)
PREFIX_MIN = 3  # shortest registry name accepted as the start of a longer glued token
SUFFIX_MIN = 70.0  # a longer name sharing that start: how well its rest must match

# Grammar of Thai addresses (syntax, not reference data): the markers before a
# sub-district, district (เขต in Bangkok) and province.
_SUBDISTRICT = r"(?:ตำบล|ต\.)"
_DISTRICT = r"(?:อำเภอ|อ\.|เขต)"
_PROVINCE = r"(?:จังหวัด|จ\.)"
_MARKERS = re.compile(r"อำเภอ|จังหวัด|ตำบล|[อจต]\.")
# characters that cannot start a new syllable (combining marks, following vowels)
_CONTINUATION = frozenset(chars_of(NON_INITIAL))
_NAME_CHARS = f"{WORD_LETTERS_MAIYAMOK}0-9.\\-"  # Thai letters and marks, digits, . and -
_TOKEN = re.compile(f"[{_NAME_CHARS}]+")
_SPACES = re.compile(r"[ \t]*")
_NEXT_TOKEN = re.compile(f"\\s+([{_NAME_CHARS}]+)")
_PLACE = re.compile(
    rf"[\s,]*(?:(?P<sub>{_SUBDISTRICT})|(?P<dist>{_DISTRICT})|(?P<prov>{_PROVINCE}))\s*(?P<tok>[{_NAME_CHARS}]+)"
)


@dataclass(frozen=True)
class Org:
    """An organisation as named in a document (SPEC ``plans`` columns)."""

    org_type: str | None
    org_name: str | None
    org_short_name: str | None
    district: str | None
    province: str | None
    org_code: str | None
    score: float


@dataclass(frozen=True)
class _TypeInfo:
    types: frozenset[str]
    score: float
    whole_name: bool


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int  # end of the name (and of the places that follow it)
    org: Org
    confirmed: bool  # the name is in the registry for this type


# --------------------------------------------------------------------------- registry indexes


@cache
def _prefix_of() -> dict[str, str]:
    """SPEC type code → official Thai prefix."""
    return {v.org_type: v.prefix for v in org_types() if v.kind == "full"}


@cache
def _type_variants() -> dict[str, _TypeInfo]:
    """Whitespace-free written form → the types it may denote and its score.

    A misspelt form scores its similarity to the closest correct form of its type.
    """
    correct: dict[str, list[str]] = defaultdict(list)
    for v in org_types():
        if v.kind != "misspelling":
            correct[v.org_type].append(squash(v.variant))
    types: dict[str, set[str]] = defaultdict(set)
    scores: dict[str, float] = {}
    whole: dict[str, bool] = {}
    for v in org_types():
        key = squash(v.variant)
        types[key].add(v.org_type)
        s = 100.0
        if v.kind == "misspelling":
            s = max(fuzz.ratio(key, c) for c in correct[v.org_type])
        scores[key] = min(scores.get(key, 100.0), s)
        whole[key] = v.whole_name
    return {k: _TypeInfo(frozenset(types[k]), scores[k], whole[k]) for k in types}


@cache
def _type_regex() -> re.Pattern[str]:
    """Any written type form, longest first; the long forms with optional whitespace
    between characters (justified text), abbreviations exactly."""
    forms = sorted(_type_variants(), key=len, reverse=True)
    return re.compile("|".join(_form_pattern(f) for f in forms))


def _form_pattern(form: str) -> str:
    if "." in form or len(form) < 6:
        return re.escape(form)
    return r"\s*".join(re.escape(ch) for ch in form)


@cache
def _whole_name_types() -> frozenset[str]:
    """Types whose prefix is the whole name (กรุงเทพมหานคร, เมืองพัทยา)."""
    return frozenset(v.org_type for v in org_types() if v.whole_name)


@cache
def _by_type_name() -> dict[tuple[str, str], tuple[LaoRecord, ...]]:
    index: dict[tuple[str, str], list[LaoRecord]] = defaultdict(list)
    for r in lao_registry():
        index[(r.org_type, r.name)].append(r)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _names(org_type: str, district: str | None = None, province: str | None = None) -> tuple[str, ...]:
    """Registry names of one type, optionally only those of a district / province."""
    return tuple(
        sorted(
            {
                r.name
                for r in lao_registry()
                if r.org_type == org_type
                and (district is None or r.district == district)
                and (province is None or r.province == province)
            }
        )
    )


@cache
def _provinces() -> tuple[str, ...]:
    return tuple(sorted(geo.provinces()))


@cache
def _districts(province: str | None = None) -> tuple[str, ...]:
    if province is not None:
        return tuple(sorted(geo.districts(province)))
    return tuple(sorted({d for p in geo.provinces() for d in geo.districts(p)}))


# --------------------------------------------------------------------------- places


def normalize_province(text: str | None) -> tuple[str | None, float]:
    """A province name as in the registry, with its score; unknown names are kept as written.

    >>> normalize_province("ร้อยเอ็ด")
    ('ร้อยเอ็ด', 100.0)
    >>> normalize_province("ขอนแกน")[0]
    'ขอนแก่น'
    >>> normalize_province("กรุงเทพมหานคร")
    ('กรุงเทพมหานคร', 100.0)
    """
    if not text:
        return None, 0.0
    key = squash(text).strip(".")
    if not key:
        return None, 0.0
    if key in _provinces():
        return key, 100.0
    best = process.extractOne(key, _provinces(), scorer=fuzz.ratio, score_cutoff=PROVINCE_MIN)
    if best is not None:
        return best[0], float(best[1])
    return key, 100.0


def normalize_district(text: str | None, province: str | None = None) -> tuple[str | None, float]:
    """A district name as in the registry (within ``province`` if given), with its score.

    ``อำเภอเมือง`` written without its province means the province's เมือง district.

    >>> normalize_district("เมือง", "ชุมพร")
    ('เมืองชุมพร', 100.0)
    >>> normalize_district("บานไผ", "ขอนแก่น")[0]
    'บ้านไผ่'
    >>> normalize_district("ธวัชบุรี")
    ('ธวัชบุรี', 100.0)
    """
    if not text:
        return None, 0.0
    key = squash(text).strip(".")
    if not key:
        return None, 0.0
    pool = _districts(province) if province in _provinces() else ()
    if province and pool:
        if key in pool:
            return key, 100.0
        if key == "เมือง" and "เมือง" + province in pool:
            return "เมือง" + province, 100.0
        best = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=DISTRICT_MIN_IN_PROVINCE)
        if best is not None:
            return best[0], float(best[1])
    if key in _districts():
        return key, 100.0
    best = process.extractOne(key, _districts(), scorer=fuzz.ratio, score_cutoff=DISTRICT_MIN)
    if best is not None:
        return best[0], float(best[1])
    return key, 100.0


def _scan_places(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """Read ``ตำบลX``/``อำเภอX``/``จังหวัดX`` (any order, abbreviated or not) right after pos."""
    district = province = None
    while m := _PLACE.match(text, pos):
        tok = _cut_at_marker(m.group("tok")).rstrip(".")
        if not tok:
            break
        if m.group("dist"):
            if district is not None:
                break
            district = tok
        elif m.group("prov"):
            if province is not None:
                break
            province = tok
        pos = m.start("tok") + len(_cut_at_marker(m.group("tok")))
    return district, province, pos


def _cut_at_marker(token: str) -> str:
    """The token up to a glued place marker (``ธวัชบุรีจังหวัดร้อยเอ็ด`` → ``ธวัชบุรี``)."""
    m = _MARKERS.search(token, 1)
    return token[: m.start()] if m else token


# --------------------------------------------------------------------------- names


def _resolve_name(
    token: str, org_type: str, district: str | None, province: str | None, fuzzy: bool = True
) -> tuple[str, float] | None:
    """The registry name that ``token`` (the text right after a type prefix) starts with.

    Exact name, else a near-exact fuzzy match of the whole token, else the longest name
    the token starts with (names glued to the next word) unless a longer name with that
    start matches fuzzily (``แม่สายมีตราชภาพ`` is แม่สายมิตรภาพ, not แม่สาย), else a fuzzy
    match of the token cut at a place marker. None when nothing in the registry fits.
    With ``fuzzy=False`` only exact and prefix matches count.
    """
    if not token:
        return None
    pools = []
    if district or province:
        pools.append((_names(org_type, district, province), NAME_MIN_IN_PLACE))
        if district and province:
            pools.append((_names(org_type, None, province), NAME_MIN_IN_PLACE))
    pools.append((_names(org_type), NAME_MIN))
    for pool, minimum in pools:
        if not pool:
            continue
        names = set(pool)
        cut = _cut_at_marker(token).rstrip(".")
        for cand in (token, token.rstrip("."), cut):
            if cand in names:
                return cand, 100.0
        if fuzzy:
            best = process.extractOne(cut, pool, scorer=fuzz.ratio, score_cutoff=max(minimum, 90.0))
            if best is not None:
                return best[0], float(best[1])
        for n in range(len(token) - 1, PREFIX_MIN - 1, -1):
            if token[:n] in names and token[n] not in _CONTINUATION:
                longer = _longer_fuzzy(token, token[:n], pool, minimum) if fuzzy else None
                return longer or (token[:n], 100.0)
        if fuzzy:
            best = process.extractOne(cut, pool, scorer=fuzz.ratio, score_cutoff=minimum)
            if best is not None:
                return best[0], float(best[1])
    return None


def _longer_fuzzy(token: str, start: str, pool: tuple[str, ...], minimum: float) -> tuple[str, float] | None:
    """The best name of ``pool`` longer than ``start`` that starts with it and matches the
    beginning of ``token`` fuzzily (window of the name's length ± 2)."""
    i = bisect.bisect_left(pool, start)
    best: tuple[str, float] | None = None
    while i < len(pool) and pool[i].startswith(start):
        name = pool[i]
        i += 1
        if len(name) <= len(start):
            continue
        windows = [n for n in range(len(name) - 2, len(name) + 3) if len(start) < n <= len(token)]
        # the part after the common start must itself look alike ("และ…" is not "แดง")
        if not windows or max(fuzz.ratio(token[len(start) : n], name[len(start) :]) for n in windows) < SUFFIX_MIN:
            continue
        score = max(fuzz.ratio(token[:n], name) for n in windows)
        if score >= minimum and (best is None or score > best[1]):
            best = (name, float(score))
    return best


def _candidates(org_type: str | None, short_name: str, district: str | None, province: str | None) -> list[LaoRecord]:
    """Registry records of this type (any type if None) and name in the places given.

    A place the registry does not know at all (a truncated word, a Bangkok เขต) does not
    filter: it cannot be checked.
    """
    district = district if district in _districts() else None
    province = province if province in _provinces() else None
    types = [org_type] if org_type else sorted(_prefix_of())
    out: list[LaoRecord] = []
    for t in types:
        for r in _by_type_name().get((t, short_name), ()):
            if (district is None or r.district == district) and (province is None or r.province == province):
                out.append(r)
    return out


def lookup_org_code(
    org_type: str | None, short_name: str | None, district: str | None = None, province: str | None = None
) -> str | None:
    """The DLA code of the one LAO with this type, name and (if given) places; else None.

    >>> lookup_org_code("sao", "เมืองน้อย") is None  # in ร้อยเอ็ด and in ศรีสะเกษ
    True
    >>> lookup_org_code("sao", "เมืองน้อย", province="ร้อยเอ็ด")
    '6450511'
    >>> lookup_org_code("subdistrict_mun", "วังไผ่", "เมืองชุมพร", "ชุมพร")
    '5860105'
    >>> lookup_org_code(None, "วังไผ่", "เมืองชุมพร") is None  # a ทต. and an อบต.
    True
    """
    if not short_name:
        return None
    province = normalize_province(province)[0]
    district = normalize_district(district, province)[0]
    cands = _candidates(org_type, squash(short_name), district, province)
    return cands[0].dla_code if len(cands) == 1 else None


def complete_org(org: Org) -> Org:
    """Fill type, full name, district, province and code from the registry when the type,
    name and the places already known leave exactly one candidate; places are normalised
    to the registry spelling either way.

    >>> o = complete_org(Org("sao", "องค์การบริหารส่วนตำบลโขมง", "โขมง", None, None, None, 100.0))
    >>> (o.district, o.province, o.org_code)
    ('ท่าใหม่', 'จันทบุรี', '6220306')
    >>> complete_org(Org(None, None, "วังไผ่", "เมือง", "ชุมพร", None, 100.0)).org_code is None
    True
    """
    province, p_score = normalize_province(org.province)
    district, d_score = normalize_district(org.district, province)
    score = min([org.score] + [s for s, v in ((p_score, province), (d_score, district)) if v])
    out = replace(org, district=district, province=province, score=score)
    if not org.org_short_name:
        return out
    cands = _candidates(org.org_type, squash(org.org_short_name), district, province)
    if len(cands) != 1:
        return out
    r = cands[0]
    return replace(
        out,
        org_type=r.org_type,
        org_name=out.org_name or _full_name(r.org_type, r.name),
        district=r.district,
        province=r.province,
        org_code=r.dla_code,
    )


def _full_name(org_type: str, short_name: str) -> str:
    prefix = _prefix_of()[org_type]
    return short_name if short_name.startswith(prefix) else prefix + short_name


# --------------------------------------------------------------------------- mentions


def _mention(text: str, start: int, end: int, info: _TypeInfo) -> _Mention | None:
    """The organisation whose type form occupies text[start:end], or None if no name follows."""
    if info.whole_name:  # กรุงเทพมหานคร, เมืองพัทยา: the prefix is the name
        (org_type,) = info.types
        prefix = _prefix_of()[org_type]
        district, province, pos = _scan_places(text, end)
        if org_type == "bma":
            province = prefix
        names = _names(org_type)
        short = prefix if prefix in names or not names else names[0]
        org = _finish(info.types, short, district, province, info.score)
        return _Mention(start, pos, org, True)
    m = _TOKEN.match(text, _SPACES.match(text, end).end())  # type: ignore[union-attr]  # [ \t]* always matches
    if not m:
        return None
    token = m.group()
    district, province, _ = _scan_places(text, m.start() + len(_cut_at_marker(token)))
    province = normalize_province(province)[0]
    district = normalize_district(district, province)[0]
    # a name broken by a space (line wrap, justified text): "เมือง น้อย"
    nxt = _NEXT_TOKEN.match(text, m.end())
    found: list[tuple[str, str, float]] = []
    for t in sorted(info.types):
        res = _resolve_name(token + nxt.group(1), t, district, province, fuzzy=False) if nxt else None
        if res is not None and len(res[0]) > len(token):
            found.append((t, res[0], res[1]))
            continue
        res = _resolve_name(token, t, district, province)
        if res is not None:
            found.append((t, res[0], res[1]))
    if found:
        # a generic form (เทศบาล) is the type whose registry name fits best; a tie → no type
        best = max(s for _, _, s in found)
        top = [f for f in found if f[2] == best]
        top_names = {n for _, n, _ in top}
        if len(top_names) != 1:
            return None
        short = top_names.pop()
        if nxt and len(short) > len(token):
            name_end = nxt.start(1) + len(short) - len(token)
        elif token.startswith(short):
            name_end = m.start() + len(short)
        else:
            name_end = m.start() + len(_cut_at_marker(token))
        district, province, pos = _scan_places(text, name_end)
        org = _finish(frozenset(t for t, _, _ in top), short, district, province, min(info.score, best))
        return _Mention(start, pos, org, True)
    short = re.sub(r"[0-9.\-]+$", "", _cut_at_marker(token))
    if len(short) < 2:
        return None
    district, province, pos = _scan_places(text, m.start() + len(_cut_at_marker(token)))
    return _Mention(start, pos, _finish(info.types, short, district, province, info.score), False)


def _finish(types: frozenset[str], short: str, district: str | None, province: str | None, score: float) -> Org:
    """Build an Org: normalise places, pick the one type the registry allows among
    ``types`` (several for a generic form such as เทศบาล), give the code."""
    province, p_score = normalize_province(province)
    district, d_score = normalize_district(district, province)
    scores = [score] + [s for s, v in ((p_score, province), (d_score, district)) if v]
    org_type = next(iter(types)) if len(types) == 1 else None
    if org_type is None:
        found = {r.org_type for t in types for r in _candidates(t, short, district, province)}
        org_type = found.pop() if len(found) == 1 else None
    cands = _candidates(org_type, short, district, province) if org_type else []
    code = None
    if len(cands) == 1:
        code = cands[0].dla_code
        if district and district not in _districts():  # written, but not a district: correct it
            district = cands[0].district
        if province and province not in _provinces():
            province = cands[0].province
    name = _full_name(org_type, short) if org_type else None
    return Org(org_type, name, short, district, province, code, float(min(scores)))


def _mentions(text: str) -> list[_Mention]:
    out = []
    variants = _type_variants()
    for m in _type_regex().finditer(text):
        info = variants.get(squash(m.group()))
        if info is None:
            continue
        men = _mention(text, m.start(), m.end(), info)
        if men is not None:
            out.append(men)
    return out


def _fuzzy_mention(text: str) -> _Mention | None:
    """A type prefix found only fuzzily (e.g. legacy-font text without tone marks),
    followed by a registry name."""
    best: tuple[float, str, int, int] | None = None
    for org_type, prefix in _prefix_of().items():
        if len(text) < len(prefix):
            continue
        al = fuzz.partial_ratio_alignment(prefix, text, score_cutoff=TYPE_FUZZY_MIN)
        if al is not None and (best is None or al.score > best[0]):
            best = (al.score, org_type, al.dest_start, al.dest_end)
    if best is None:
        return None
    score, org_type, start, end = best
    info = _TypeInfo(frozenset([org_type]), round(score, 1), org_type in _whole_name_types())
    found = []
    for e in range(max(start + 1, end - 3), min(len(text), end + 3) + 1):
        men = _mention(text, start, e, info)
        if men is not None and men.confirmed:
            found.append((-abs(e - end), men))
    if not found:
        return None
    return max(found, key=lambda f: f[0])[1]


def parse_org(text: str) -> Org | None:
    """The one organisation a short text (a cover, a header line) names, or None.

    With several named types (template residue such as ``สำนักงานเทศบาล/องค์การบริหาร
    ส่วนตำบลX``) a registry-confirmed name wins, then one with its places written, then
    the last one.

    >>> o = parse_org("เทศบาลตำบลแม่สายมิตรภาพ อำเภอแม่สาย จังหวัดเชียงราย")
    >>> (o.org_type, o.org_short_name, o.org_code)
    ('subdistrict_mun', 'แม่สายมิตรภาพ', '5570904')
    >>> o = parse_org("องค์กรบริหารส่วนตำบลเมืองน้อย")
    >>> (o.org_type, o.org_name, o.score < 100)
    ('sao', 'องค์การบริหารส่วนตำบลเมืองน้อย', True)
    >>> parse_org("สำนักงานเทศบาล/องค์การบริหารส่วนตำบลเมืองน้อย อำเภอธวัชบุรี").org_code
    '6450511'
    >>> parse_org("ไม่มีชื่อหน่วยงาน") is None
    True
    """
    t = clean(text or "")
    if not t:
        return None
    mentions = _mentions(t)
    if not mentions and _type_regex().search(t) is None:
        fm = _fuzzy_mention(t)
        mentions = [fm] if fm else []
    if not mentions:
        return None
    best = max(
        enumerate(mentions),
        key=lambda im: (im[1].confirmed, bool(im[1].org.district or im[1].org.province), im[0]),
    )[1]
    return best.org


def find_orgs(text: str) -> list[Org]:
    """Every organisation mentioned in running text, in order (for voting).

    Only names the registry confirms, or that are followed by their อำเภอ/จังหวัด (an
    organisation missing from the registry), are returned: running text is full of
    "เทศบาล…" that is not a name (``พนักงานเทศบาลและพนักงานจ้าง``).

    >>> [o.org_short_name for o in find_orgs("ผู้บริหารองค์การบริหารส่วนตำบลโขมงด้วยการจัดทำแผน และ อบต.โขมง")]
    ['โขมง', 'โขมง']
    >>> find_orgs("การจัดตั้งศูนย์ข้อมูลข่าวสาร เทคบາลตำบลแม่สายมิตรภาพ")
    []
    """
    t = clean(text or "")
    if not t:
        return []
    return [m.org for m in _mentions(t) if m.confirmed or m.org.district or m.org.province]


def remove_org_mentions(text: str, drop_before: tuple[str, ...] = ()) -> str:
    """The text without the organisations it names (for "กองคลัง อบต.สันกลาง" → "กองคลัง"),
    and without any of the words ``drop_before`` right in front of one.

    >>> remove_org_mentions("สำนักงานปลัด องค์การบริหารส่วนตำบลจอมประทัด")
    'สำนักงานปลัด'
    >>> remove_org_mentions("กองคลัง อบต.สันกลาง และกองช่าง")
    'กองคลัง และกองช่าง'
    >>> remove_org_mentions("ทุกกอง ในอบต.สันกลาง/กองช่าง ในอบต.สันกลาง", drop_before=("ใน",))
    'ทุกกอง/กองช่าง'
    """
    t = clean(text or "")
    out, pos = [], 0
    variants = _type_variants()
    for m in _type_regex().finditer(t):
        if m.start() < pos or squash(m.group()) not in variants:
            continue
        men = _mention(t, m.start(), m.end(), variants[squash(m.group())])
        end = men.end if men is not None else m.end()
        before = t[pos : m.start()].rstrip()
        for word in drop_before:  # a whole word only: "ภายใน" does not end with the word ใน
            rest = before[: -len(word)]
            if before.endswith(word) and (not rest or rest[-1].isspace() or rest[-1] in "/,;("):
                before = rest
                break
        out.append(before + " ")
        pos = end
    out.append(t[pos:])
    return re.sub(r"\s+(?=[/,;)])|(?<=[/(])\s+", "", " ".join("".join(out).split()))
