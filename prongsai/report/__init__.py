"""The auditors' report of an output folder, from its tables alone:
``report.html`` (self-contained, offline) and ``report.xlsx``.

>>> from prongsai.report import write_report  # doctest: +SKIP
>>> write_report(Path("data/clean"))           # doctest: +SKIP
(PosixPath('data/clean/report.html'), PosixPath('data/clean/report.xlsx'))
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prongsai.report.data import ReportError, load_tables, overview, plan_details, plan_list

__all__ = ["ReportError", "write_report"]


def _atomic_write(path: Path, write: object) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".report-", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))  # type: ignore[operator]
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_report(out_dir: Path) -> tuple[Path, Path]:
    """Write ``out_dir/report.html`` and ``out_dir/report.xlsx`` from the tables in
    ``out_dir``. Raises :class:`ReportError` when the tables are not there."""
    from prongsai.report.html import render_html
    from prongsai.report.xlsx import write_xlsx

    tables = load_tables(out_dir)
    html = render_html(overview(tables), plan_list(tables), plan_details(tables))
    html_path, xlsx_path = out_dir / "report.html", out_dir / "report.xlsx"
    _atomic_write(html_path, lambda p: p.write_text(html, encoding="utf-8"))
    _atomic_write(xlsx_path, lambda p: write_xlsx(tables, p))
    return html_path, xlsx_path
