"""Column names read through prongsai.schema: every declared column, nothing else."""

from __future__ import annotations

import pytest

from prongsai.checks.model import PR, B, P, W
from prongsai.report import data as report_data
from prongsai.schema import ALL_TABLES, PLANS, PROJECTS


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_every_declared_column_is_an_attribute_of_its_own_name(table) -> None:
    assert [getattr(table.c, name) for name in table.names] == table.names


def test_a_misspelt_column_fails_loudly() -> None:
    with pytest.raises(AttributeError, match="the projects table has no column 'budget_thbb'"):
        _ = PROJECTS.c.budget_thbb
    with pytest.raises(AttributeError, match="the plans table has no column 'title'"):
        _ = PLANS.c.title  # a projects column, not a plans one
    with pytest.raises(KeyError, match="the plans table has no column 'stauts'"):
        PLANS.pick("plan_id", "stauts")


def test_the_checks_and_the_report_read_the_schema_columns() -> None:
    assert (P.n_projects, PR.budget_thb, B.amount_thb, W.code) == ("n_projects", "budget_thb", "amount_thb", "code")
    assert set(report_data.PLAN_COLUMNS) <= set(PLANS.names)
    assert set(report_data.PROJECT_COLUMNS) <= set(PROJECTS.names)
