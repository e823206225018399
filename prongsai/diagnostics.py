"""Every code the pipeline can write: warning codes (with their default severity),
audit check codes, and the status rules: what makes a plan ``partial``
(:func:`plan_status`), what makes a document not a plan (:func:`not_a_plan_reason`,
so ``failed``) and which failures belong to the run rather than the file
(:data:`TRANSIENT_CODES`, never cached).

Adding a warning code is one line in :class:`WarningCode`::

    NEW_CODE = "NEW_CODE", "warning", "what it means, in one line"

The schema (:mod:`prongsai.schema`) takes the allowed values of ``warnings.code``,
``warnings.severity``, ``checks.check`` and ``plans.status`` from here, and a run
that writes a code not declared here fails its own validation. This module is
pure standard library: the worker processes import it.

>>> WarningCode("OCR_USED").severity
'info'
>>> WarningCode.DUPLICATE_FILE.severity, str(WarningCode.DUPLICATE_FILE)
('info', 'DUPLICATE_FILE')
>>> plan_status(["OCR_USED", "NO_TEXT_LAYER"])
'partial'
>>> plan_status(["FUZZY_LABEL"])
'ok'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


class PlanStatus(StrEnum):
    ok = "ok"
    partial = "partial"  # some content could not be parsed (see PARTIAL_CODES)
    failed = "failed"


class CheckStatus(StrEnum):
    passed = "pass"
    fail = "fail"
    not_applicable = "not_applicable"


class WarningCode(StrEnum):
    """The ``warnings.code`` values: name = value, default severity, meaning."""

    severity: str
    meaning: str

    def __new__(cls, value: str, severity: str, meaning: str) -> WarningCode:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.severity = Severity(severity).value
        obj.meaning = meaning
        return obj

    # --- reading the file (extract/, batch)
    UNREADABLE_FILE = "UNREADABLE_FILE", "error", "the file cannot be opened or read"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT", "error", "no converter for this format is installed; the message names it"
    PARSE_ERROR = "PARSE_ERROR", "error", "the file was read but the parser failed on it"
    TIMEOUT = "TIMEOUT", "error", "reading the file took longer than --timeout"
    OUT_OF_MEMORY = "OUT_OF_MEMORY", "error", "reading the file used more memory than allowed"
    WORKER_CRASHED = "WORKER_CRASHED", "error", "the worker process reading the file died"
    NOT_A_PLAN = "NOT_A_PLAN", "error", "the document has no text or does not look like an action plan"
    DUPLICATE_FILE = "DUPLICATE_FILE", "info", "another path of the batch has the same bytes (one plan)"
    NO_TEXT_LAYER = "NO_TEXT_LAYER", "warning", "PDF pages without a text layer"
    OCR_USED = "OCR_USED", "info", "pages were read by OCR"
    OCR_UNAVAILABLE = "OCR_UNAVAILABLE", "error", "pages need OCR but Tesseract (Thai) is not installed"
    OCR_FAILED = "OCR_FAILED", "warning", "OCR failed on a page"
    PAGE_UNREADABLE = "PAGE_UNREADABLE", "warning", "a page cannot be read"
    UNUSABLE_TEXT = "UNUSABLE_TEXT", "warning", "the text layer is garbage (broken font encoding)"
    GLYPHS_MAPPED = "GLYPHS_MAPPED", "info", "legacy font glyphs were mapped to Thai letters"
    TABLE_DETECTION_FAILED = "TABLE_DETECTION_FAILED", "warning", "table detection failed on a page"
    TABLES_UNAVAILABLE = "TABLES_UNAVAILABLE", "warning", "the table reader is not available"
    DOCX_ALTCHUNK = "DOCX_ALTCHUNK", "warning", "a DOCX embedded document (altChunk) was not read"
    CONVERSION_FAILED = "CONVERSION_FAILED", "error", "LibreOffice could not convert the file (damaged or not what its name says)"
    CONVERSION_TIMEOUT = "CONVERSION_TIMEOUT", "error", "the LibreOffice conversion took too long and was stopped"
    HIDDEN_SKIPPED = "HIDDEN_SKIPPED", "info", "hidden sheets, rows or columns of a workbook were not read"
    SHEET_TRUNCATED = "SHEET_TRUNCATED", "warning", "a workbook sheet was read only up to the cell limit"
    LETTERS_JOINED = "LETTERS_JOINED", "info", "spaced-out letters (justified cells) were joined into words"
    # --- parsing (parse/, decisions)
    FUZZY_LABEL = "FUZZY_LABEL", "info", "a label matched below full confidence; both strings and the score"
    INFERRED_VALUE = "INFERRED_VALUE", "info", "a value not written in the document was inferred"
    UNKNOWN_UNIT = "UNKNOWN_UNIT", "info", "a responsible unit not in the units list"
    MISSING_ORG = "MISSING_ORG", "warning", "no organisation name found"
    NO_PROJECTS = "NO_PROJECTS", "warning", "no project, activity or measure found"
    PLACE_MISMATCH = "PLACE_MISMATCH", "warning", "the document's district/province disagree with the registry"
    # --- audit checks (a failed check is also a warning row with its code)
    MISSING_SECTION = "MISSING_SECTION", "info", "a project lacks a section of the detail template"
    BUDGET_MISMATCH = "BUDGET_MISMATCH", "warning", "figures that cannot be paired with a cell's items, or two places (or the years and the total) disagreeing on a budget"
    BUDGET_FROM_SHEET = "BUDGET_FROM_SHEET", "warning", "a multi-year plan's project budget comes from its detail sheet only (may be one year's figure)"
    TOTAL_MISMATCH = "TOTAL_MISMATCH", "warning", "a printed total (รวม counts or per-year sums) differs from the extracted projects"
    PERIOD_MISMATCH = "PERIOD_MISMATCH", "warning", "a project's years fall outside the plan's period"
    MISSION_NOT_COVERED = "MISSION_NOT_COVERED", "warning", "a mission of the framework has no project"
    DUPLICATE_PROJECT = "DUPLICATE_PROJECT", "warning", "the same project appears twice in the plan"
    OTHER_ORG_NAMED = "OTHER_ORG_NAMED", "warning", "the plan names another organisation"
    COPIED_PLAN = "COPIED_PLAN", "warning", "the plan is a near copy of another organisation's plan"
    NO_BUDGETED_PROJECT = "NO_BUDGETED_PROJECT", "warning", "no project of the plan states a budget"


class CheckCode(StrEnum):
    """The ``checks.check`` values (SPEC "checks"); each is also a :class:`WarningCode`."""

    MISSION_NOT_COVERED = "MISSION_NOT_COVERED"
    TOTAL_MISMATCH = "TOTAL_MISMATCH"
    BUDGET_MISMATCH = "BUDGET_MISMATCH"
    PERIOD_MISMATCH = "PERIOD_MISMATCH"
    MISSING_SECTION = "MISSING_SECTION"
    DUPLICATE_PROJECT = "DUPLICATE_PROJECT"
    OTHER_ORG_NAMED = "OTHER_ORG_NAMED"
    COPIED_PLAN = "COPIED_PLAN"
    NO_BUDGETED_PROJECT = "NO_BUDGETED_PROJECT"


#: reading problems that mean part of the document's content is missing from the tables
PARTIAL_CODES: frozenset[str] = frozenset({
    WarningCode.OCR_UNAVAILABLE, WarningCode.OCR_FAILED, WarningCode.PAGE_UNREADABLE, WarningCode.UNUSABLE_TEXT,
    WarningCode.TABLE_DETECTION_FAILED, WarningCode.TABLES_UNAVAILABLE, WarningCode.NO_TEXT_LAYER,
})


def plan_status(codes: Iterable[str]) -> str:
    """``partial`` when a reading problem of :data:`PARTIAL_CODES` is among ``codes``, else ``ok``
    (``failed`` plans are decided by the pipeline, not by their warnings)."""
    return PlanStatus.partial.value if any(c in PARTIAL_CODES for c in codes) else PlanStatus.ok.value


#: problems that explain an empty text: the text is missing because OCR could not run
NO_OCR_CODES: frozenset[str] = frozenset({WarningCode.OCR_UNAVAILABLE, WarningCode.OCR_FAILED})

#: warning codes of failures caused by the run, not the file (the cache never keeps them)
TRANSIENT_CODES: frozenset[str] = frozenset({
    WarningCode.TIMEOUT, WarningCode.WORKER_CRASHED, WarningCode.OUT_OF_MEMORY,
    WarningCode.UNSUPPORTED_FORMAT, WarningCode.CONVERSION_TIMEOUT})  # converter missing / hung


def not_a_plan_reason(text: str, codes: Iterable[str | None], plan_words: Sequence[str], *,
                      has_projects: bool = False, has_org: bool = False) -> str | None:
    """Why a document is not a plan (its plans row is then ``failed``, ``NOT_A_PLAN``), or
    None when it may be one.

    Not a plan: no project, no organisation and none of ``plan_words`` in ``text``, or no
    text at all (blank pages, pictures only, a scan OCR read nothing from); not when OCR
    could not run (a code of :data:`NO_OCR_CODES` among ``codes``): that is ``partial``.

    >>> words = ["มิติ", "โครงการ", "แผนปฏิบัติการ", "ภารกิจ"]
    >>> not_a_plan_reason("ใบเสร็จรับเงิน", [], words)[:46]
    'the document does not look like an action plan'
    >>> "มิติ, โครงการ, แผนปฏิบัติการ" in not_a_plan_reason("ใบเสร็จรับเงิน", [], words)
    True
    >>> not_a_plan_reason("โครงการอบรม", [], words) is None
    True
    >>> not_a_plan_reason("ใบเสร็จรับเงิน", [], words, has_org=True) is None
    True
    >>> not_a_plan_reason("", [], words, has_projects=True) is None
    True
    >>> not_a_plan_reason("   ", ["OCR_USED"], words)[:40]
    'the document has no readable text (blank'
    >>> not_a_plan_reason("   ", ["OCR_UNAVAILABLE"], words) is None
    True
    """
    if has_projects or has_org:
        return None
    if not text.strip():
        if any(c in NO_OCR_CODES for c in codes):
            return None
        return ("the document has no readable text (blank pages, pictures only, or a scan OCR could not read); "
                "nothing was taken from it")
    if any(w in text for w in plan_words):
        return None
    words = ", ".join(plan_words[:3])
    return (f"the document does not look like an action plan: no organisation, no project and none of "
            f"the words {words} (or its text could not be read correctly); nothing was taken from it")


class PlanLink(StrEnum):
    """The ``plan_links.link`` values."""

    next_cycle = "next_cycle"  # the organisation's next plan period
    same_period = "same_period"  # a revision or another copy of the same period
