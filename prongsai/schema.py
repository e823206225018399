"""The output tables of SPEC.md, declared once: columns, types, required columns,
allowed codes, keys, and a Thai and an English description of every column.

Everything else derives from here: the pandas dtypes the tables are written with
(:mod:`prongsai.output`), their validation (:mod:`prongsai.validate`), the
Frictionless ``datapackage.json`` and the DuckDB DDL (:mod:`prongsai.package`,
:mod:`prongsai.database`). No other module spells a column list. Allowed codes of
warnings, checks and statuses come from :mod:`prongsai.diagnostics`.

>>> TABLES["projects"].primary_key
('project_id',)
>>> TABLES["plans"].column("org_type").enum
('pao', 'city_mun', 'town_mun', 'subdistrict_mun', 'sao', 'bma', 'pattaya')
>>> [t for t in TABLE_NAMES if t.startswith("p")]
['plans', 'projects', 'plan_links', 'project_links']
>>> bool(LAYOUT_PATTERN and __import__("re").fullmatch(LAYOUT_PATTERN, "detail+plan_table"))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prongsai.diagnostics import CheckCode, CheckStatus, PlanLink, PlanStatus, Severity, WarningCode

#: logical types (Frictionless names) -> pandas dtype, DuckDB type
PANDAS_DTYPE = {"string": "string", "integer": "Int64", "number": "Float64"}
DUCKDB_TYPE = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}

ORG_TYPES = ("pao", "city_mun", "town_mun", "subdistrict_mun", "sao", "bma", "pattaya")
FRAMEWORKS = ("2561", "2566")
BUDGET_STATUSES = ("amount", "none", "unspecified")
TEXT_SOURCES = ("text", "ocr", "mixed")
PLAN_KINDS = ("annual", "multi_year")
PROJECT_KINDS = ("project", "activity", "measure")
LAYOUT_PARTS = ("detail", "plan_table", "project_table")
#: ``detail``, ``plan_table``, ``project_table`` or a ``+``-joined combination of them
LAYOUT_PATTERN = r"(?:{p})(?:\+(?:{p}))*".format(p="|".join(LAYOUT_PARTS))
PLAN_ID_PATTERN = r"[0-9a-f]{12}"
PROJECT_ID_PATTERN = r"[0-9a-f]{12}-[0-9]{3,}"
CODE_PATTERN = r"[1-9](?:\.[0-9]{1,2}){0,2}"  # mission codes, Arabic digits
QUARTERS_PATTERN = r"[1-4](?:,[1-4])*"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number
    en: str
    th: str
    required: bool = False  # never null
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def dtype(self) -> str:
        return PANDAS_DTYPE[self.type]


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


class ColumnNames:
    """The column names of one table as attributes: code that reads a column names it
    through here (``PROJECTS.c.budget_thb == "budget_thb"``), so a misspelt name fails
    loudly instead of reading a silent null.

    >>> PROJECTS.c.budget_thb
    'budget_thb'
    >>> PROJECTS.c.budget_thbb
    Traceback (most recent call last):
    ...
    AttributeError: the projects table has no column 'budget_thbb' (declare it in prongsai/schema.py)
    """

    def __init__(self, table: str, names: list[str]) -> None:
        self._table = table
        for name in names:
            setattr(self, name, name)

    def __getattr__(self, name: str) -> str:  # only called for a name that is not a column
        raise AttributeError(f"the {self._table} table has no column {name!r} (declare it in prongsai/schema.py)")


@dataclass(frozen=True)
class Table:
    name: str
    en: str
    th: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()  # further unique column sets
    files: bool = True  # written as CSV/Parquet and described in the package (else: database only)
    _index: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)
    #: the column names as attributes (:class:`ColumnNames`)
    c: ColumnNames = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({c.name: c for c in self.columns})
        object.__setattr__(self, "c", ColumnNames(self.name, self.names))

    def pick(self, *names: str) -> tuple[str, ...]:
        """``names``, each checked to be a column of this table (a list of columns to show).

        >>> PLANS.pick("plan_id", "status")
        ('plan_id', 'status')
        >>> PLANS.pick("plan_id", "stauts")
        Traceback (most recent call last):
        ...
        KeyError: "the plans table has no column 'stauts' (declare it in prongsai/schema.py)"
        """
        for name in names:
            if name not in self._index:
                raise KeyError(f"the {self.name} table has no column {name!r} (declare it in prongsai/schema.py)")
        return names

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.columns}

    def column(self, name: str) -> Column:
        return self._index[name]


def _enum(e: type) -> tuple[str, ...]:
    return tuple(m.value for m in e)  # type: ignore[attr-defined]


S, INT, N = "string", "integer", "number"
C = Column


def _fk(col: str, table: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey((col,), table, (ref or col,))


_PLAN_ID = C("plan_id", S, "First 12 hex digits of the SHA-256 of the file's bytes",
             "เลข 12 หลักแรก (ฐาน 16) ของ SHA-256 ของไฟล์", True, pattern=PLAN_ID_PATTERN)
_PROJECT_ID = C("project_id", S, "<plan_id>-<seq:03d>", "รหัสโครงการ <plan_id>-<ลำดับ 3 หลัก>", True,
                pattern=PROJECT_ID_PATTERN)
_SOURCE_REF = C("source_ref", S, "Where in the source it starts: p.<page> or line <n>",
                "ตำแหน่งในต้นฉบับ: p.<หน้า> หรือ line <บรรทัด>")

PLANS = Table("plans", "One row per input document (byte-identical files are one plan)",
              "แผนหนึ่งแถวต่อเอกสารนำเข้าหนึ่งฉบับ (ไฟล์ที่เหมือนกันทุกไบต์นับเป็นแผนเดียว)", (
    _PLAN_ID,
    C("source_path", S, "Path as given / relative to the INPUT folder (the first path of identical files)",
      "ที่อยู่ไฟล์ตามที่ระบุ หรือเทียบกับโฟลเดอร์นำเข้า", True),
    C("source_format", S, "The input file's extension without the dot (pdf, docx, txt, ...)",
      "นามสกุลไฟล์ต้นฉบับ (pdf, docx, txt, ...)", True),
    C("n_pages", INT, "Pages (PDF), null otherwise", "จำนวนหน้า (PDF)", minimum=0),
    C("text_source", S, "text, ocr, or mixed (some pages OCR'd)", "ที่มาของข้อความ: ชั้นข้อความ, OCR หรือผสม", True,
      enum=TEXT_SOURCES),
    C("org_type", S, "Organisation type: pao อบจ., city_mun ทน., town_mun ทม., subdistrict_mun ทต., sao อบต., "
      "bma กทม., pattaya เมืองพัทยา", "ประเภทองค์กรปกครองส่วนท้องถิ่น", enum=ORG_TYPES),
    C("org_name", S, "Canonical full Thai name of the organisation", "ชื่อเต็มขององค์กรปกครองส่วนท้องถิ่น"),
    C("org_short_name", S, "The name without its type", "ชื่อองค์กรโดยไม่มีคำนำหน้าประเภท"),
    C("district", S, "District (อำเภอ) without the prefix", "อำเภอ (ไม่มีคำว่าอำเภอ)"),
    C("province", S, "Province (จังหวัด) without the prefix", "จังหวัด (ไม่มีคำว่าจังหวัด)"),
    C("org_code", S, "DLA code of the organisation when exactly one registry entry fits",
      "รหัส อปท. ของกรมส่งเสริมการปกครองท้องถิ่น เมื่อระบุได้เพียงหนึ่งเดียว"),
    C("plan_kind", S, "annual (one fiscal year) or multi_year", "แผนประจำปี (annual) หรือแผนหลายปี (multi_year)",
      enum=PLAN_KINDS),
    C("fy_start", INT, "First fiscal year of the plan, Buddhist Era", "ปีงบประมาณแรกของแผน (พ.ศ.)",
      minimum=2500, maximum=2700),
    C("fy_end", INT, "Last fiscal year of the plan, Buddhist Era", "ปีงบประมาณสุดท้ายของแผน (พ.ศ.)",
      minimum=2500, maximum=2700),
    C("framework", S, "NACC framework of the dimension labels: 2561 or 2566", "กรอบมิติของ ป.ป.ช.: 2561 หรือ 2566",
      enum=FRAMEWORKS),
    C("n_projects", INT, "Rows in projects for this plan", "จำนวนโครงการของแผนในตาราง projects", True, minimum=0),
    C("budget_total_thb", N, "Sum of the projects' budget_thb where known", "ผลรวมงบประมาณของโครงการ (บาท)"),
    C("status", S, "ok, partial (some content could not be parsed) or failed",
      "สถานะ: ok, partial (อ่านได้บางส่วน) หรือ failed", True, enum=_enum(PlanStatus)),
    C("n_warnings", INT, "Rows in warnings for this plan", "จำนวนคำเตือนของแผนในตาราง warnings", True, minimum=0),
), primary_key=("plan_id",))

PROJECTS = Table("projects", "One row per project / activity / measure", "โครงการ กิจกรรม มาตรการ หนึ่งแถวต่อรายการ", (
    _PROJECT_ID,
    C("plan_id", S, "The plan of the project", "แผนที่โครงการนี้อยู่", True, pattern=PLAN_ID_PATTERN),
    C("seq", INT, "1-based order of first appearance in the document", "ลำดับที่พบครั้งแรกในเอกสาร", True, minimum=1),
    C("dimension", INT, "Dimension (มิติ) 1-4", "มิติที่ 1-4", minimum=1, maximum=4),
    C("dimension_label", S, "Canonical label of the dimension in the plan's framework", "ชื่อมิติตามกรอบของแผน"),
    C("mission_code", S, "Deepest mission / sub-heading number known, e.g. 2.2.1", "เลขภารกิจตามมิติที่ละเอียดที่สุด",
      pattern=CODE_PATTERN),
    C("dimension_2566", INT, "Dimension harmonised to the 2566 framework", "มิติเทียบกรอบ 2566", minimum=1, maximum=4),
    C("mission_code_2566", S, "Mission code harmonised to the 2566 framework", "เลขภารกิจเทียบกรอบ 2566",
      pattern=CODE_PATTERN),
    C("title", S, "The project's name as written, normalised", "ชื่อโครงการตามต้นฉบับ (ปรับรูปแบบแล้ว)", True),
    C("kind", S, "project โครงการ, activity กิจกรรม, measure มาตรการ", "ประเภท: โครงการ กิจกรรม มาตรการ",
      enum=PROJECT_KINDS),
    C("objectives", S, "Objectives (วัตถุประสงค์)", "วัตถุประสงค์"),
    C("targets", S, "Targets (เป้าหมาย)", "เป้าหมาย"),
    C("area", S, "Area (พื้นที่ดำเนินการ)", "พื้นที่ดำเนินการ"),
    C("method", S, "Method (วิธีดำเนินการ)", "วิธีดำเนินการ"),
    C("indicators", S, "Indicators (ตัวชี้วัด)", "ตัวชี้วัด"),
    C("outcomes", S, "Expected outcomes (ผลลัพธ์ที่คาดว่าจะได้รับ)", "ผลลัพธ์ที่คาดว่าจะได้รับ"),
    C("rationale", S, "Rationale (หลักการและเหตุผล)", "หลักการและเหตุผล"),
    C("period_text", S, "Period as written (ระยะเวลาดำเนินการ)", "ระยะเวลาดำเนินการตามต้นฉบับ"),
    C("fy_start", INT, "First fiscal year the project runs, Buddhist Era", "ปีงบประมาณแรกของโครงการ (พ.ศ.)",
      minimum=2500, maximum=2700),
    C("fy_end", INT, "Last fiscal year the project runs, Buddhist Era", "ปีงบประมาณสุดท้ายของโครงการ (พ.ศ.)",
      minimum=2500, maximum=2700),
    C("budget_thb", N, "Total budget in baht over the project's years; 0 when it states no budget",
      "งบประมาณรวม (บาท); 0 เมื่อไม่ใช้งบประมาณ", minimum=0),
    C("budget_status", S, "amount (a figure), none (no budget) or unspecified (nothing stated)",
      "สถานะงบประมาณ: ระบุจำนวน, ไม่ใช้งบประมาณ, ไม่ระบุ", True, enum=BUDGET_STATUSES),
    C("responsible_unit", S, "Responsible unit(s), canonical names joined with ', '", "หน่วยงานรับผิดชอบ"),
    C("unit", S, "Unit of count (หน่วยนับ)", "หน่วยนับ"),
    C("quantity", N, "Quantity (ปริมาณงาน)", "ปริมาณงาน"),
    C("quarters", S, "Planned quarters, e.g. 1,2,3,4", "ไตรมาสที่ดำเนินการ เช่น 1,2,3,4", pattern=QUARTERS_PATTERN),
    C("layout", S, "Where it was found: detail, plan_table, project_table or a +-joined combination",
      "รูปแบบที่พบ: รายละเอียดโครงการ ตารางแผน ตารางโครงการ หรือหลายแบบ (+)", True, pattern=LAYOUT_PATTERN),
    C("source_ref", S, _SOURCE_REF.en, _SOURCE_REF.th, True),
    C("confidence", N, "0-1, the parser's own estimate", "ความเชื่อมั่นของตัวแยกข้อมูล 0-1", True,
      minimum=0, maximum=1),
), primary_key=("project_id",), foreign_keys=(_fk("plan_id", "plans"),), unique=(("plan_id", "seq"),))

BUDGETS = Table("budgets", "One row per project and fiscal year with a figure", "งบประมาณรายปีของแต่ละโครงการ", (
    C("project_id", S, "The project", "โครงการ", True, pattern=PROJECT_ID_PATTERN),
    C("fiscal_year", INT, "Fiscal year, Buddhist Era", "ปีงบประมาณ (พ.ศ.)", True, minimum=2500, maximum=2700),
    C("amount_thb", N, "Amount in baht", "จำนวนเงิน (บาท)", True, minimum=0),
), primary_key=("project_id", "fiscal_year"), foreign_keys=(_fk("project_id", "projects"),))

WARNINGS = Table("warnings", "Everything a reviewer should look at", "สิ่งที่ผู้ตรวจสอบควรพิจารณา", (
    C("plan_id", S, "The plan", "แผน", True, pattern=PLAN_ID_PATTERN),
    C("project_id", S, "The project, when the warning is about one", "โครงการ (ถ้าคำเตือนเกี่ยวกับโครงการ)",
      pattern=PROJECT_ID_PATTERN),
    C("code", S, "Stable UPPER_SNAKE code (see prongsai/diagnostics.py)", "รหัสคำเตือน", True,
      enum=_enum(WarningCode)),
    C("severity", S, "info, warning or error", "ระดับ: info, warning, error", True, enum=_enum(Severity)),
    C("message", S, "What was found and what was assumed", "สิ่งที่พบและสิ่งที่สันนิษฐาน", True),
    _SOURCE_REF,
    C("field", S, "Column a fuzzy or inferred decision filled", "คอลัมน์ที่ได้จากการจับคู่หรืออนุมาน"),
    C("raw_value", S, "The text as written", "ข้อความตามต้นฉบับ"),
    C("chosen_value", S, "The value chosen", "ค่าที่เลือก"),
    C("score", N, "Match score 0-100", "คะแนนการจับคู่ 0-100", minimum=0, maximum=100),
), foreign_keys=(_fk("plan_id", "plans"), _fk("project_id", "projects")))

CHECKS = Table("checks", "One row per plan and audit check", "ผลการตรวจสอบของแต่ละแผน", (
    C("plan_id", S, "The plan", "แผน", True, pattern=PLAN_ID_PATTERN),
    C("check", S, "The audit check", "รายการตรวจสอบ", True, enum=_enum(CheckCode)),
    C("status", S, "pass, fail or not_applicable", "ผล: ผ่าน ไม่ผ่าน ไม่เกี่ยวข้อง", True, enum=_enum(CheckStatus)),
    C("detail", S, "What was found (Thai and English)", "สิ่งที่พบ"),
    _SOURCE_REF,
), primary_key=("plan_id", "check"), foreign_keys=(_fk("plan_id", "plans"),))

PLAN_LINKS = Table("plan_links", "The same organisation's plans, ordered by period", "แผนขององค์กรเดียวกันเรียงตามช่วงปี", (
    C("plan_id_from", S, "The organisation's earlier plan", "แผนก่อนหน้าขององค์กร", True, pattern=PLAN_ID_PATTERN),
    C("plan_id_to", S, "The organisation's later plan", "แผนถัดไปขององค์กร", True, pattern=PLAN_ID_PATTERN),
    C("link", S, "next_cycle (the next plan period) or same_period (a revision or another copy)",
      "next_cycle (รอบแผนถัดไป) หรือ same_period (ฉบับปรับปรุงหรือสำเนาของช่วงเดียวกัน)", True, enum=_enum(PlanLink)),
), primary_key=("plan_id_from", "plan_id_to"),
    foreign_keys=(_fk("plan_id_from", "plans", "plan_id"), _fk("plan_id_to", "plans", "plan_id")))

PROJECT_LINKS = Table("project_links", "A project and its continuation in the organisation's next plan (one-to-one)",
                      "โครงการและโครงการที่ต่อเนื่องในแผนถัดไปขององค์กรเดียวกัน (หนึ่งต่อหนึ่ง)", (
    C("project_id_from", S, "A project of the earlier plan", "โครงการในแผนก่อนหน้า", True, pattern=PROJECT_ID_PATTERN),
    C("project_id_to", S, "Its continuation in the next plan", "โครงการที่ต่อเนื่องในแผนถัดไป", True,
      pattern=PROJECT_ID_PATTERN),
    C("score", N, "0-100 similarity of title and texts", "ความคล้ายของชื่อและเนื้อหา 0-100", True,
      minimum=0, maximum=100),
), primary_key=("project_id_from", "project_id_to"),
    foreign_keys=(_fk("project_id_from", "projects", "project_id"), _fk("project_id_to", "projects", "project_id")))

#: reference table of the database (not a file): the NACC frameworks' labels
TAXONOMY = Table("taxonomy", "NACC framework labels (prongsai/data/taxonomy-*.yaml)", "ชื่อมิติและภารกิจตามกรอบ ป.ป.ช.", (
    C("framework", S, "2561 or 2566", "กรอบ 2561 หรือ 2566", True, enum=FRAMEWORKS),
    C("code", S, "Dimension or mission code", "เลขมิติหรือภารกิจ", True, pattern=CODE_PATTERN),
    C("level", S, "dimension, mission or sub-mission", "ระดับ", True, enum=("dimension", "mission", "sub-mission")),
    C("label", S, "Canonical label", "ชื่อมาตรฐาน", True),
), primary_key=("framework", "code"), files=False)

ALL_TABLES: tuple[Table, ...] = (PLANS, PROJECTS, BUDGETS, WARNINGS, CHECKS, PLAN_LINKS, PROJECT_LINKS, TAXONOMY)
TABLES: dict[str, Table] = {t.name: t for t in ALL_TABLES if t.files}
#: the tables written as files, in dependency order (a table after the ones its keys point to)
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
