"""``prongsai.duckdb``: the tables of a run with their keys (DDL derived from
:mod:`prongsai.schema`, column comments in English and Thai), the NACC ``taxonomy``
reference table, and the views researchers would otherwise write:

- ``projects_2566``: every project placed in the 2566 framework through the
  crosswalk (``dimension_2566``, ``mission_code_2566``) with the 2566 labels and its
  organisation (codes the crosswalk cannot place stay null);
- ``budget_by_year``: per project and fiscal year, with the organisation's type,
  province and district;
- ``plan_summary``: per plan, its projects, budget and coverage of the framework's
  dimensions and missions.

The tables are loaded from the Parquet files of the same run, so the database holds
exactly what the files hold.
"""

from __future__ import annotations

from pathlib import Path

from prongsai.normalize.registry import taxonomy
from prongsai.schema import DUCKDB_TYPE, FRAMEWORKS, TABLES, TAXONOMY, Table

MEMORY_LIMIT = "600MB"
THREADS = 2

VIEWS = {
    "projects_2566": """
SELECT p.project_id, p.plan_id, pl.org_code, pl.org_type, pl.org_name, pl.district, pl.province,
       pl.framework AS plan_framework, pl.fy_start AS plan_fy_start, pl.fy_end AS plan_fy_end,
       p.dimension_2566, d.label AS dimension_label_2566,
       p.mission_code_2566, m.label AS mission_label_2566,
       p.dimension, p.mission_code, p.title, p.kind, p.fy_start, p.fy_end, p.budget_thb, p.budget_status,
       p.responsible_unit
FROM projects p
JOIN plans pl USING (plan_id)
LEFT JOIN taxonomy d ON d.framework = '2566' AND d.code = CAST(p.dimension_2566 AS VARCHAR)
LEFT JOIN taxonomy m ON m.framework = '2566' AND m.code = p.mission_code_2566""",
    "budget_by_year": """
SELECT b.project_id, p.plan_id, b.fiscal_year, b.amount_thb,
       pl.org_code, pl.org_type, pl.org_name, pl.district, pl.province,
       p.dimension_2566, p.mission_code_2566, p.title
FROM budgets b
JOIN projects p USING (project_id)
JOIN plans pl USING (plan_id)""",
    "plan_summary": """
SELECT pl.plan_id, pl.source_path, pl.org_code, pl.org_type, pl.org_name, pl.district, pl.province,
       pl.plan_kind, pl.fy_start, pl.fy_end, pl.framework, pl.status,
       count(p.project_id) AS n_projects,
       count(p.project_id) FILTER (WHERE p.budget_status = 'amount') AS n_budgeted,
       sum(p.budget_thb) AS budget_thb,
       count(DISTINCT p.dimension) AS dimensions_covered,
       (SELECT count(*) FROM taxonomy t WHERE t.framework = pl.framework AND t.level = 'dimension')
           AS dimensions_in_framework,
       count(DISTINCT regexp_extract(p.mission_code, '^[0-9]+\\.[0-9]+')) FILTER (WHERE p.mission_code LIKE '%.%')
           AS missions_covered,
       (SELECT count(*) FROM taxonomy t WHERE t.framework = pl.framework AND t.level = 'mission')
           AS missions_in_framework
FROM plans pl
LEFT JOIN projects p USING (plan_id)
GROUP BY ALL""",
}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _q(name: str) -> str:
    return f'"{name}"'  # quoted: "check" is an SQL keyword


def _cols(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(_q(n) for n in names)


def ddl(table: Table) -> str:
    """``CREATE TABLE`` of a table, with NOT NULL, primary, unique and foreign keys.

    >>> print(ddl(TABLES["budgets"]))  # doctest: +NORMALIZE_WHITESPACE
    CREATE TABLE budgets ("project_id" VARCHAR NOT NULL, "fiscal_year" BIGINT NOT NULL, "amount_thb" DOUBLE NOT NULL,
      PRIMARY KEY ("project_id", "fiscal_year"), FOREIGN KEY ("project_id") REFERENCES projects ("project_id"))
    """
    parts = [f"{_q(c.name)} {DUCKDB_TYPE[c.type]}{' NOT NULL' if c.required else ''}" for c in table.columns]
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({_cols(table.primary_key)})")
    parts += [f"UNIQUE ({_cols(u)})" for u in table.unique]
    parts += [f"FOREIGN KEY ({_cols(fk.columns)}) REFERENCES {fk.table} ({_cols(fk.ref_columns)})"
              for fk in table.foreign_keys]
    return f"CREATE TABLE {table.name} ({', '.join(parts[:len(table.columns)])},\n  {', '.join(parts[len(table.columns):])})"


def comments(table: Table) -> list[str]:
    out = [f"COMMENT ON TABLE {table.name} IS {_sql_str(f'{table.en} / {table.th}')}"]
    out += [f"COMMENT ON COLUMN {table.name}.{_q(c.name)} IS {_sql_str(f'{c.en} / {c.th}')}" for c in table.columns]
    return out


def taxonomy_rows() -> list[tuple[str, str, str, str]]:
    return [(fw, code, e.level, e.label) for fw in FRAMEWORKS for code, e in sorted(taxonomy(fw).items())]


def build_database(path: Path, parquet_dir: Path) -> None:
    """Create the database at ``path`` (which must not exist) from ``<table>.parquet`` in ``parquet_dir``."""
    import duckdb

    # bounded memory: the 500,000-project benchmark stays within 2 GB (DuckDB's default is 80 % of RAM)
    con = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
    try:
        con.execute(ddl(TAXONOMY))
        rows = taxonomy_rows()
        values = ", ".join(f"({', '.join(_sql_str(v) for v in r)})" for r in rows)
        con.execute(f"INSERT INTO taxonomy VALUES {values}")
        for stmt in comments(TAXONOMY):
            con.execute(stmt)
        for table in TABLES.values():
            con.execute(ddl(table))
            src = _sql_str(str(parquet_dir / f"{table.name}.parquet"))
            cols = _cols(table.names)
            con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM read_parquet({src})")
            for stmt in comments(table):
                con.execute(stmt)
        for name, sql in VIEWS.items():
            con.execute(f"CREATE VIEW {name} AS {sql}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
