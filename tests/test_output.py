"""prongsai.output: the tables' exact columns and types, and CSV/Parquet writing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prongsai.output import UnknownColumnError, frame, write_csv, write_parquet

WARNING_COLUMNS = [  # SPEC "warnings", in order
    ("plan_id", "string"), ("project_id", "string"), ("code", "string"), ("severity", "string"),
    ("message", "string"), ("source_ref", "string"), ("field", "string"), ("raw_value", "string"),
    ("chosen_value", "string"), ("score", "Float64"),
]
BUDGET_COLUMNS = [("project_id", "string"), ("fiscal_year", "Int64"), ("amount_thb", "Float64")]


def _warning_rows() -> list[dict[str, object]]:
    return [
        {"score": 87.5, "code": "FUZZY_LABEL", "plan_id": "0123456789ab", "severity": "info",
         "message": "ตำบล ~ ตาบล", "field": "org_name", "raw_value": "อบต.ตาบล", "chosen_value": "อบต.ตำบล"},
        {"plan_id": "0123456789ab", "code": "NO_PROJECTS", "severity": "warning", "message": "none"},
    ]


def test_frame_has_exactly_the_columns_in_order_with_their_types() -> None:
    df = frame("warnings", _warning_rows())
    assert [(c, str(t)) for c, t in df.dtypes.items()] == WARNING_COLUMNS
    assert df.loc[0, "score"] == 87.5
    assert df.loc[1, "score"] is pd.NA and df.loc[1, "field"] is pd.NA  # missing -> null, not NaN/""
    b = frame("budgets", [{"project_id": "0123456789ab-001", "fiscal_year": 2567, "amount_thb": 1500}])
    assert [(c, str(t)) for c, t in b.dtypes.items()] == BUDGET_COLUMNS
    assert b.loc[0, "fiscal_year"] == 2567 and b.loc[0, "amount_thb"] == 1500.0


def test_frame_of_no_rows_still_has_the_columns() -> None:
    df = frame("budgets", [])
    assert len(df) == 0
    assert [(c, str(t)) for c, t in df.dtypes.items()] == BUDGET_COLUMNS


def test_an_undeclared_column_is_an_error() -> None:
    rows = _warning_rows()
    rows[1]["mesage"] = "typo"
    with pytest.raises(UnknownColumnError, match="mesage"):
        frame("warnings", rows)
    with pytest.raises(UnknownColumnError, match="extra"):
        frame("budgets", pd.DataFrame({"project_id": ["x-001"], "fiscal_year": [2567], "amount_thb": [1.0],
                                       "extra": [1]}))


def test_csv_with_bom_and_parquet_read_back_equal(tmp_path: Path) -> None:
    df = frame("warnings", _warning_rows())
    write_csv(df, tmp_path / "warnings.csv")
    write_parquet(df, tmp_path / "warnings.parquet")
    raw = (tmp_path / "warnings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfplan_id,project_id,code,")
    assert b"\r\n" not in raw
    assert "ตำบล ~ ตาบล".encode() in raw
    dtypes = dict(WARNING_COLUMNS)
    back_csv = pd.read_csv(tmp_path / "warnings.csv", encoding="utf-8-sig", dtype=dtypes)
    pd.testing.assert_frame_equal(back_csv, df)
    back_pq = pd.read_parquet(tmp_path / "warnings.parquet", dtype_backend="numpy_nullable")
    pd.testing.assert_frame_equal(back_pq, df)
