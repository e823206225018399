"""One file to one :class:`~prongsai.parse.PlanResult`: :func:`process_file`.

Read (:mod:`prongsai.extract`), repair (``clean_document``), parse and normalise
(:mod:`prongsai.parse`), then the last word on the file: a document that is not a plan
is ``failed`` (``NOT_A_PLAN``; the rule is
:func:`prongsai.diagnostics.not_a_plan_reason`). Never raises: a file that cannot be read or parsed gets
a ``failed`` plans row with one error warning (:func:`failed_result`). Batches of files
are :mod:`prongsai.runner`'s business, the command line :mod:`prongsai.cli`'s.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from prongsai.cache import file_sha256  # noqa: E402
from prongsai.decisions import Overrides  # noqa: E402
from prongsai.diagnostics import WarningCode, not_a_plan_reason  # noqa: E402
from prongsai.extract import SUFFIXES, clean_document, read_document, sniff_format  # noqa: E402
from prongsai.model import ExtractError  # noqa: E402
from prongsai.parse import PlanResult, parse_plan  # noqa: E402
from prongsai.parse.vocab import vocab  # noqa: E402


def plan_id_of(path: Path) -> str:
    """First 12 hex digits of the SHA-256 of the file's bytes."""
    return file_sha256(path)[:12]


def _base_row(path: Path, source_path: str, plan_id: str) -> dict[str, Any]:
    try:
        fmt = sniff_format(path)  # a PDF named .docx is a pdf
    except (ExtractError, OSError):
        fmt = SUFFIXES.get(path.suffix.lower(), path.suffix.lower().lstrip(".") or "txt")
    return {"plan_id": plan_id, "source_path": source_path, "source_format": fmt, "n_pages": None,
            "text_source": "text"}


def _failed(base: dict[str, Any], code: str, message: str) -> PlanResult:
    plan = dict(base, n_projects=0, status="failed", n_warnings=1)
    warning = {"plan_id": base["plan_id"], "project_id": None, "code": str(code), "severity": "error",
               "message": message, "source_ref": None}
    return PlanResult(plan, warnings=[warning])


def failed_result(path: Path, source_path: str, code: str, message: str, plan_id: str | None = None) -> PlanResult:
    """The ``failed`` result of a file that could not be processed (one error warning)."""
    if plan_id is None:
        try:
            plan_id = plan_id_of(path)
        except OSError:
            plan_id = hashlib.sha256(source_path.encode()).hexdigest()[:12]
    return _failed(_base_row(path, source_path, plan_id), code, message)


def _mark_not_a_plan(res: PlanResult, why: str) -> PlanResult:
    res.warnings.insert(0, {
        "plan_id": res.plan["plan_id"], "project_id": None, "code": WarningCode.NOT_A_PLAN.value,
        "severity": WarningCode.NOT_A_PLAN.severity,
        "message": why, "source_ref": None})
    res.plan["status"] = "failed"
    res.plan["n_warnings"] = len(res.warnings)
    return res


def process_file(path: Path, source_path: str, overrides: Overrides | None = None) -> PlanResult:
    """Everything for one file; never raises. ``overrides`` are a reviewer's decisions."""
    try:
        plan_id = plan_id_of(path)
    except OSError as exc:
        plan_id = hashlib.sha256(source_path.encode()).hexdigest()[:12]
        return _failed(_base_row(path, source_path, plan_id), WarningCode.UNREADABLE_FILE, f"cannot read file: {exc.strerror}")
    base = _base_row(path, source_path, plan_id)
    try:
        doc = read_document(path)
        base.update(source_format=doc.format, n_pages=doc.n_pages, text_source=doc.text_source)
    except ExtractError as exc:
        return _failed(base, exc.code, str(exc))
    except MemoryError:
        return _failed(base, WarningCode.OUT_OF_MEMORY, "reading the file ran out of memory")
    except Exception as exc:  # noqa: BLE001 - a backend bug must not take the batch down
        return _failed(base, WarningCode.UNREADABLE_FILE, f"cannot read file ({type(exc).__name__}: {exc})")
    try:
        cleaned = clean_document(doc)
        del doc
        res = parse_plan(cleaned, plan_id, base, overrides)
        why = not_a_plan_reason(cleaned.plain_text(), (w.get("code") for w in res.warnings),
                                vocab()["plan_words"],  # data/plan_vocab.yaml
                                has_projects=bool(res.projects),
                                has_org=bool(res.plan.get("org_name") or res.plan.get("org_type")))
        return _mark_not_a_plan(res, why) if why else res
    except MemoryError:
        return _failed(base, WarningCode.OUT_OF_MEMORY, "parsing the file ran out of memory")
    except Exception as exc:  # noqa: BLE001
        return _failed(base, WarningCode.PARSE_ERROR, f"the file was read but could not be parsed ({type(exc).__name__}: {exc})")
