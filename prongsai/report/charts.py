"""The report's charts as Vega-Lite specs, built with altair.

Every chart reads a named data set (``rows``) that the page fills in when it draws
the chart, so one spec serves every plan and the data is written once.

>>> spec = CHARTS["plan_budget_by_year"]
>>> spec["data"], spec["mark"]["type"]
({'name': 'rows'}, 'bar')
"""

from __future__ import annotations

from typing import Any

import altair as alt

FONT = "Noto Sans Thai, Tahoma, sans-serif"
ROWS = alt.Data(name="rows")


def _spec(chart: alt.Chart) -> dict[str, Any]:
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    spec.pop("$schema", None)  # a URL the page never needs
    return spec


def _bars(field: str, title: str, *, sort: str = "-x", value: str = "n", value_title: str = "จำนวน / count",
          color: str = "#3b6ea8", fmt: str = ",.0f") -> dict[str, Any]:
    """Horizontal bars: one per ``field`` value, length ``value``."""
    return _spec(alt.Chart(ROWS).mark_bar(color=color).encode(
        y=alt.Y(f"{field}:N", sort=sort, title=title),
        x=alt.X(f"{value}:Q", title=value_title),
        tooltip=[alt.Tooltip(f"{field}:N", title=title), alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
    ).properties(width="container"))


def _budget_by_year(color_field: str | None) -> dict[str, Any]:
    enc: dict[str, Any] = {
        "x": alt.X("fiscal_year:O", title="ปีงบประมาณ / fiscal year"),
        "y": alt.Y("sum(amount_thb):Q", title="บาท / THB", axis=alt.Axis(format="~s")),
        "tooltip": [alt.Tooltip("fiscal_year:O", title="ปี / year"),
                    alt.Tooltip("sum(amount_thb):Q", title="บาท / THB", format=",.0f")],
    }
    if color_field:
        enc["color"] = alt.Color(f"{color_field}:N", title="มิติ / dimension")
        enc["tooltip"].insert(1, alt.Tooltip(f"{color_field}:N", title="มิติ / dimension"))
    return _spec(alt.Chart(ROWS).mark_bar().encode(**enc).properties(width="container", height=220))


CHARTS: dict[str, dict[str, Any]] = {
    "plans_by_status": _bars("status", "สถานะ / status"),
    "plans_by_org_type": _bars("org_type", "ประเภท อปท. / organisation type"),
    "plans_by_province": _bars("province", "จังหวัด / province"),
    "warnings_by_code": _bars("code", "รหัสคำเตือน / warning code", color="#b7791f"),
    "failed_checks_by_code": _bars("check", "การตรวจที่ไม่ผ่าน / failed check", color="#c53030"),
    "budget_by_dimension_year": _budget_by_year("dimension"),
    "plan_budget_by_year": _budget_by_year(None),
    "plan_budget_by_dimension": _bars("dimension", "มิติ / dimension", sort="x", value="amount_thb",
                                      value_title="บาท / THB", color="#2f855a"),
}
