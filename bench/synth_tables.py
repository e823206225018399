"""Synthetic batches of tables for the checks and report benchmarks (no input files).

Every plan has projects with NACC-like model titles (a third to a half of its titles come
from a shared pool of model titles) and section texts of its own made from a Thai word
list; ``copies`` of the plans are copies of another organisation's plan with only the
names changed.
"""

from __future__ import annotations

import random
from typing import Any

WORDS = ("การ ส่งเสริม คุณธรรม จริยธรรม บุคลากร ประชาชน ชุมชน โปร่งใส ตรวจสอบ ทุจริต ป้องกัน ข้อมูล ข่าวสาร "
         "เผยแพร่ อบรม สัมมนา ความรู้ ระเบียบ กฎหมาย จัดซื้อ จัดจ้าง งบประมาณ แผน ติดตาม ประเมินผล รายงาน "
         "ผู้บริหาร สมาชิกสภา พนักงาน เยาวชน โรงเรียน วัด ตลาด เกษตรกร ผู้สูงอายุ สิ่งแวดล้อม ป่าไม้ แหล่งน้ำ "
         "ถนน ไฟฟ้า ประปา ร้องเรียน ร้องทุกข์ เว็บไซต์ ประกาศ คำสั่ง มาตรการ กิจกรรม โครงการ ร่วมมือ เครือข่าย "
         "อาสาสมัคร ครัวเรือน หมู่บ้าน ตำบล ประชุม ประชาคม ความคิดเห็น พึงพอใจ ร้อยละ เป้าหมาย ผลลัพธ์").split()
MODEL_TITLES = [f"โครงการ{a}{b}" for a in ("ส่งเสริม", "อบรม", "เสริมสร้าง", "เผยแพร่", "พัฒนา", "รณรงค์")
                for b in ("คุณธรรมจริยธรรม", "ความโปร่งใส", "การมีส่วนร่วมของประชาชน", "ข้อมูลข่าวสาร",
                          "การจัดซื้อจัดจ้าง", "การตรวจสอบภายใน", "การรับเรื่องร้องเรียน", "จิตสำนึกสาธารณะ",
                          "เครือข่ายต้านทุจริต", "ธรรมาภิบาล")]
PROVINCES = ("ร้อยเอ็ด", "เชียงใหม่", "ขอนแก่น", "ชลบุรี", "นครพนม", "มหาสารคาม", "ราชบุรี", "จันทบุรี")
SECTIONS = ("rationale", "objectives", "targets", "area", "method", "indicators", "outcomes")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def synthetic_tables(n_plans: int, projects_per_plan: int = 20, copies: float = 0.01,
                     seed: int = 1) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    plans, projects, budgets = [], [], []
    for i in range(n_plans):
        pid = f"{i:012x}"
        short = f"ทดสอบ{i:05d}"
        plans.append({"plan_id": pid, "source_path": f"plans/{i:05d}.pdf", "source_format": "pdf", "n_pages": 40,
                      "text_source": "text", "org_type": ("sao", "subdistrict_mun", "town_mun")[i % 3],
                      "org_name": f"องค์การบริหารส่วนตำบล{short}", "org_short_name": short, "district": "เมือง",
                      "province": PROVINCES[i % len(PROVINCES)], "org_code": str(1000000 + i),
                      "plan_kind": "multi_year", "fy_start": 2566, "fy_end": 2570, "framework": "2566",
                      "status": "ok", "n_warnings": 0})
        copy_of = rng.randrange(i) if i and rng.random() < copies else None
        source = [p for p in projects if p["plan_id"] == f"{copy_of:012x}"] if copy_of is not None else None
        total = 0.0
        for seq in range(1, projects_per_plan + 1):
            if source and seq <= len(source):
                old = source[seq - 1]
                other = plans[copy_of]["org_short_name"]
                row = {k: (v.replace(other, short) if isinstance(v, str) else v) for k, v in old.items()}
            else:
                title = (rng.choice(MODEL_TITLES) if rng.random() < 0.4
                         else "โครงการ" + "".join(rng.choice(WORDS) for _ in range(4)))
                row = {"title": title, "dimension": 1 + seq % 4, "mission_code": f"{1 + seq % 4}.{1 + seq % 2}",
                       "kind": "project", "budget_status": "amount", "budget_thb": float(rng.randrange(0, 50) * 1000),
                       "fy_start": 2566, "fy_end": 2570, "responsible_unit": "สำนักปลัด", "layout": "detail",
                       "period_text": "ปีงบประมาณ 2566-2570"}
                for s in SECTIONS:
                    row[s] = _sentence(rng, rng.randrange(15, 60)) + (f" องค์การบริหารส่วนตำบล{short}"
                                                                      if s == "objectives" else "")
            row.update(project_id=f"{pid}-{seq:03d}", plan_id=pid, seq=seq, source_ref=f"p.{seq + 5}")
            projects.append(row)
            total += row["budget_thb"]
            budgets.append({"project_id": row["project_id"], "fiscal_year": 2566, "amount_thb": row["budget_thb"]})
        plans[-1].update(n_projects=projects_per_plan, budget_total_thb=total)
    return {"plans": plans, "projects": projects, "budgets": budgets, "warnings": []}
