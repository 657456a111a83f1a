"""Consistent random reports for tests: every identity of the official tables holds."""

from __future__ import annotations

import random

from nianbao.report import Report
from nianbao.schema import formats
from nianbao.skeleton import skeleton

APPLICANTS = [c.key for c in formats().t3_columns if c.key != "total"]


def _t3(template: str, rng: random.Random, values: dict[str, int | str]) -> None:
    outcomes = [r.key for r in formats().t3_data_rows(template)
                if r.key not in ("new_received", "carried_over", "result_total", "carried_forward")]
    for col in APPLICANTS:
        new = rng.choice([0, 0, 1, 3, 12, 250])
        carried = rng.choice([0, 0, 1, 4])
        forward = rng.randint(0, new + carried) if rng.random() < 0.4 else 0
        handled = new + carried - forward
        split = {key: 0 for key in outcomes}
        for _ in range(handled):
            split[rng.choice(outcomes[:6] if rng.random() < 0.7 else outcomes)] += 1
        for key, number in {"new_received": new, "carried_over": carried, "result_total": handled,
                            "carried_forward": forward, **split}.items():
            values[f"t3.{key}.{col}"] = number
    for row in formats().t3_data_rows(template):
        values[f"t3.{row.key}.total"] = sum(int(values[f"t3.{row.key}.{c}"]) for c in APPLICANTS)


def _t4(rng: random.Random, values: dict[str, int | str]) -> None:
    for prefix in ("review", "lit_direct", "lit_after_review"):
        parts = {p: rng.choice([0, 0, 1, 2, 7]) for p in ("upheld", "corrected", "other", "pending")}
        for part, number in parts.items():
            values[f"t4.{prefix}_{part}"] = number
        values[f"t4.{prefix}_total"] = sum(parts.values())


def _t2(template: str, rng: random.Random, values: dict[str, int | str]) -> None:
    if template == "2021":
        for row in ("regulation", "normative_doc"):
            issued = rng.randint(0, 20)
            values[f"t2.art20_1.{row}.issued"] = issued
            values[f"t2.art20_1.{row}.repealed"] = rng.randint(0, 5)
            values[f"t2.art20_1.{row}.in_force"] = issued + rng.randint(0, 80)
        for key in ("art20_5.admin_license", "art20_6.admin_penalty", "art20_6.admin_coercion"):
            values[f"t2.{key}.decisions"] = rng.choice([0, 5, 312, 10450])
        values["t2.art20_8.admin_fee.fee_amount"] = rng.choice(["0", "12.35", "4068.208", "0.0125"])
        return
    for row in ("regulation", "normative_doc"):
        published = rng.randint(0, 20)
        values[f"t2.art20_1.{row}.new_made"] = published
        values[f"t2.art20_1.{row}.new_published"] = published
        values[f"t2.art20_1.{row}.total_published"] = published + rng.randint(0, 60)
    for key in ("art20_5.admin_license", "art20_5.other_admin_service", "art20_6.admin_penalty",
                "art20_6.admin_coercion", "art20_8.admin_fee"):
        previous = rng.randint(0, 120)
        values[f"t2.{key}.prev_year_items"] = previous
        values[f"t2.{key}.change_this_year"] = str(rng.randint(-previous, 15))
        if not key.startswith("art20_8"):
            values[f"t2.{key}.decisions"] = rng.choice([0, 8, 1200])
    items = rng.choice([0, 3, 18])
    values["t2.art20_9.central_procurement.procurement_items"] = items
    values["t2.art20_9.central_procurement.procurement_amount"] = "0" if not items else rng.choice(["35.6", "1200"])


def consistent_report(template: str, seed: int = 0, agency: str = "青石县人民政府办公室",
                      year: int | None = None) -> Report:
    """A report whose every table identity holds, numbers drawn from ``seed``."""
    rng = random.Random(seed)
    values: dict[str, int | str] = {}
    _t2(template, rng, values)
    _t3(template, rng, values)
    _t4(rng, values)
    report = skeleton(template, agency, year or (2020 if template == "2019" else 2023), values)
    report.meta.published = f"{report.meta.year + 1}-01-2{rng.randint(0, 9)}"
    report.sections = {"overview": "全年主动公开政府信息，规范办理依申请公开。",
                       "problems_improvements": "公开的及时性有待提高。", "other_matters": "无。"}
    return report


def cells_of(report: Report) -> dict[str, tuple[str, object]]:
    """(raw without whitespace, value) of every cell by dotted key."""
    out: dict[str, tuple[str, object]] = {}
    for block, rows in report.tables.t2.items():
        for row, cols in rows.items():
            for col, cell in cols.items():
                out[f"t2.{block}.{row}.{col}"] = ("".join(cell.raw.split()), cell.value)
    for row, cols in report.tables.t3.items():
        for col, cell in cols.items():
            out[f"t3.{row}.{col}"] = ("".join(cell.raw.split()), cell.value)
    for col, cell in report.tables.t4.items():
        out[f"t4.{col}"] = ("".join(cell.raw.split()), cell.value)
    return out
