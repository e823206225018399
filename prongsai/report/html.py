"""``report.html``: one self-contained page (scripts, styles, the Thai font and the data
inline; a Content-Security-Policy forbids any request), rendered with Jinja2.

The batch overview is drawn when the page opens; each plan's section (scorecard,
projects, charts, warnings) is drawn from its own JSON block when it is opened
(``#plan=<plan_id>``), so a report of thousands of plans opens as fast as one of ten.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from prongsai import __version__
from prongsai.report.charts import CHARTS

#: plans per page of the plan list
PAGE_SIZE = 50

OVERVIEW_CHARTS = (
    ("plans_by_status", "แผนตามสถานะ / plans by status"),
    ("plans_by_org_type", "แผนตามประเภท อปท. / plans by organisation type"),
    ("plans_by_province", "แผนตามจังหวัด / plans by province"),
    ("warnings_by_code", "คำเตือนตามรหัส / warnings by code"),
    ("failed_checks_by_code", "การตรวจที่ไม่ผ่านตามรหัส / failed checks by code"),
    ("budget_by_dimension_year", "งบประมาณตามมิติและปีงบประมาณ / budget by dimension and fiscal year"),
)

PROJECT_LABELS = {
    "seq": "ลำดับ / #", "dimension": "มิติ / dim.", "mission_code": "ภารกิจ / mission", "title": "ชื่อ / title",
    "kind": "ประเภท / kind", "fy_start": "ปีเริ่ม / from", "fy_end": "ปีสิ้นสุด / to", "budget_thb": "งบประมาณ / budget",
    "budget_status": "สถานะงบ / budget status", "responsible_unit": "ผู้รับผิดชอบ / unit", "layout": "ที่พบ / layout",
    "source_ref": "ตำแหน่ง / source",
}

_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def _inline(text: str) -> str:
    """Text safe inside a <script> or <style> element.

    >>> _inline('{"a": "</script>"}')
    '{"a": "<\\\\/script>"}'
    """
    return _SCRIPT_END.sub(r"<\\/\1", text)


def _asset(name: str) -> str:
    return files("prongsai.report").joinpath("assets", name).read_text(encoding="utf-8")


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (bundled by vl-convert, no network)."""
    import vl_convert

    return vl_convert.javascript_bundle(vl_version="6.4")  # type: ignore[call-arg]  # snippet is optional at run time


@cache
def thai_font_base64() -> str | None:
    """Noto Sans Thai (OFL) from the fontpkg-noto-sans-thai package, base64, or None."""
    try:
        import fontpkg_noto_sans_thai as font
    except ImportError:
        return None
    path = next(iter(sorted(Path(font.ROOT, "files").glob("*.ttf"))), None)
    return base64.b64encode(path.read_bytes()).decode("ascii") if path else None


def _json(value: Any) -> str:
    return _inline(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def render_html(overview: dict[str, Any], plans: list[dict[str, Any]], details: dict[str, dict[str, Any]]) -> str:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(_asset("report.html.j2"))
    data = {"page_size": PAGE_SIZE, "charts": CHARTS, "overview": overview["charts"], "plans": plans,
            "project_labels": PROJECT_LABELS}
    return template.render(
        version=__version__, totals=overview["totals"], overview_charts=OVERVIEW_CHARTS,
        css=Markup(_inline(_asset("report.css"))), font_b64=thai_font_base64() or "",
        data_json=Markup(_json(data)),
        plan_blobs=[(pid, Markup(_json(d))) for pid, d in details.items()],
        vega_js=Markup(_inline(vega_bundle())), app_js=Markup(_inline(_asset("report.js"))),
    )
