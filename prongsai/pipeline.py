"""Command line and orchestration: ``prongsai run`` and ``prongsai text``.

Every input file is processed on its own: a file that cannot be read gets a
``failed`` plans row and an error warning, and the rest of the batch is still
written. Exit status: 0 all files processed, 1 some file failed, 2 bad usage.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

import typer  # noqa: E402

from prongsai import __version__  # noqa: E402
from prongsai.extract import SUFFIXES, clean_document, read_document  # noqa: E402
from prongsai.model import ExtractError  # noqa: E402
from prongsai.output import write_tables  # noqa: E402
from prongsai.parse import PlanResult, parse_plan  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Thai anti-corruption action plans -> one clean dataset.")

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/clean")


def plan_id_of(path: Path) -> str:
    """First 12 hex digits of the SHA-256 of the file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def discover(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(file, source_path) for every input file; folders are searched recursively.

    source_path is the path relative to the INPUT folder, or the file path as given.
    """
    found: list[tuple[Path, str]] = []
    for inp in inputs:
        if inp.is_dir():
            for p in sorted(inp.rglob("*")):
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")):
                    found.append((p, p.relative_to(inp).as_posix()))
        else:
            found.append((inp, inp.as_posix()))
    return found


def _base_row(path: Path, source_path: str, plan_id: str) -> dict[str, Any]:
    fmt = SUFFIXES.get(path.suffix.lower(), path.suffix.lower().lstrip(".") or "txt")
    return {"plan_id": plan_id, "source_path": source_path, "source_format": fmt, "n_pages": None,
            "text_source": "text"}


def _failed(base: dict[str, Any], code: str, message: str) -> PlanResult:
    plan = dict(base, n_projects=0, status="failed", n_warnings=1)
    warning = {"plan_id": base["plan_id"], "project_id": None, "code": code, "severity": "error",
               "message": message, "source_ref": None}
    return PlanResult(plan, warnings=[warning])


def process_file(path: Path, source_path: str) -> PlanResult:
    """Everything for one file; never raises."""
    try:
        plan_id = plan_id_of(path)
    except OSError as exc:
        plan_id = hashlib.sha256(source_path.encode()).hexdigest()[:12]
        return _failed(_base_row(path, source_path, plan_id), "UNREADABLE_FILE", f"cannot read file: {exc.strerror}")
    base = _base_row(path, source_path, plan_id)
    try:
        doc = read_document(path)
        base.update(source_format=doc.format, n_pages=doc.n_pages, text_source=doc.text_source)
    except ExtractError as exc:
        return _failed(base, "UNREADABLE_FILE", str(exc))
    except Exception as exc:  # noqa: BLE001 - a backend bug must not take the batch down
        return _failed(base, "UNREADABLE_FILE", f"cannot read file ({type(exc).__name__}: {exc})")
    try:
        return parse_plan(clean_document(doc), plan_id, base)
    except Exception as exc:  # noqa: BLE001
        return _failed(base, "PARSE_ERROR", f"the file was read but could not be parsed ({type(exc).__name__}: {exc})")


def run_batch(inputs: list[Path], out: Path) -> tuple[int, int]:
    """Process the inputs and write the tables; returns (files, failed files)."""
    tables: dict[str, list[dict[str, Any]]] = {"plans": [], "projects": [], "budgets": [], "warnings": []}
    files = discover(inputs)
    failed = 0
    for path, source_path in files:
        res = process_file(path, source_path)
        failed += res.plan["status"] == "failed"
        tables["plans"].append(res.plan)
        tables["projects"].extend(res.projects)
        tables["budgets"].extend(res.budgets)
        tables["warnings"].extend(res.warnings)
    tables["plans"].sort(key=lambda r: (r["source_path"], r["plan_id"]))
    write_tables(out, tables)
    return len(files), failed


def _usage_error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Files or folders (searched for .pdf .docx .txt .md).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")] = DEFAULT_OUT,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Read plan files and write the plans, projects, budgets and warnings tables."""
    inputs = inputs or [DEFAULT_INPUT]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        _usage_error(f"input not found: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        _usage_error(f"--out {out} exists and is not a folder")
    n, failed = run_batch(inputs, out)
    if not quiet:
        typer.echo(f"{n} file(s) processed, {failed} failed; tables written to {out}/")
    raise typer.Exit(1 if failed else 0)


def _page_range(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    try:
        a, _, b = spec.partition("-")
        lo, hi = int(a), int(b or a)
    except ValueError:
        _usage_error(f"--pages takes N or N-M, not {spec!r}")
        raise
    if lo < 1 or hi < lo:
        _usage_error(f"--pages takes N or N-M with 1 <= N <= M, not {spec!r}")
    return lo, hi


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A plan file.")],
    pages: Annotated[str | None, typer.Option("--pages", help="Only these pages, e.g. 3 or 3-5.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="The backend's text, without Thai repair.")] = False,
) -> None:
    """Print the text the pipeline reads from FILE (pages separated by form feeds)."""
    if not file.is_file():
        _usage_error(f"file not found: {file}")
    rng = _page_range(pages)
    try:
        doc = read_document(file)
    except ExtractError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    if not raw:
        doc = clean_document(doc)
    from prongsai.model import TextLine

    out: list[str] = []
    page = None
    for b in doc.blocks:
        p = b.ref.page
        if rng and p is not None and not (rng[0] <= p <= rng[1]):
            continue
        if page is not None and p is not None and p != page:
            out.append("\f")
        page = p if p is not None else page
        if isinstance(b, TextLine):
            out.append(b.text)
        else:
            out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
    typer.echo("\n".join(out))


NORMALIZE_KINDS = ("text", "digits", "money", "years", "org", "unit", "dimension", "mission")


def normalize_one(kind: str, value: str, framework: str | None = None) -> dict[str, Any]:
    """One JSON object for ``prongsai normalize``, using exactly the pipeline's functions.

    >>> normalize_one("money", "๘,๕๐๐.-")
    {'budget_thb': 8500.0, 'budget_status': 'amount'}
    >>> normalize_one("years", "ปีงบประมาณ พ.ศ. ๒๕๖๒ – ๒๕๖๔")
    {'fy_start': 2562, 'fy_end': 2564}
    """
    from prongsai.normalize import labels, money, org, thai, units, years

    if kind == "text":
        return {"text": thai.clean_text(value)}
    if kind == "digits":
        return {"text": thai.thai_digits_to_arabic(value)}
    if kind == "money":
        amount, status = money.parse_money(value)
        return {"budget_thb": amount, "budget_status": status}
    if kind == "years":
        fy = years.parse_fiscal_years(value)
        return {"fy_start": fy[0] if fy else None, "fy_end": fy[1] if fy else None}
    if kind == "org":
        o = org.parse_org(value)
        if o is not None:
            o = org.complete_org(o)
        keys = ("org_type", "org_name", "org_short_name", "district", "province", "org_code", "score")
        return {k: getattr(o, k) if o else None for k in keys}
    if kind == "unit":
        name, score = units.canonical_unit(value)
        return {"responsible_unit": name, "score": score if name else None}
    if kind == "dimension":
        d = labels.match_dimension(value, framework)
        if d is None:
            return {"dimension": None, "dimension_label": None, "framework": framework, "score": None}
        fw = framework or d.framework
        label = labels.dimension_label(d.dimension, fw) if fw else None
        return {"dimension": d.dimension, "dimension_label": label, "framework": fw, "score": d.score}
    if kind == "mission":
        m = labels.match_mission(value, framework)
        if m is None:
            return {"mission_code": None, "mission_label": None, "dimension": None, "score": None}
        code, label, score = m
        return {"mission_code": code, "mission_label": label, "dimension": int(code.split(".")[0]), "score": score}
    raise ValueError(kind)


@app.command()
def normalize(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(NORMALIZE_KINDS)}.")],
    values: Annotated[list[str], typer.Argument(help="Texts to normalise.")],
    framework: Annotated[str | None, typer.Option("--framework", help="2561 or 2566 (dimension, mission).")] = None,
) -> None:
    """Print one JSON object per TEXT, as the pipeline would normalise it."""
    import json

    if kind not in NORMALIZE_KINDS:
        _usage_error(f"unknown KIND {kind!r}; use one of: {', '.join(NORMALIZE_KINDS)}")
    if framework is not None and framework not in ("2561", "2566"):
        _usage_error("--framework takes 2561 or 2566")
    for v in values:
        typer.echo(json.dumps(normalize_one(kind, v, framework), ensure_ascii=False))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
