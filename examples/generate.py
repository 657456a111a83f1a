"""Write the bundled example reports (fictional bodies, made-up numbers) in three text layouts.

Run from the repository root: ``.venv/bin/python examples/generate.py``.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.render import render_text
from nianbao.skeleton import skeleton

HERE = Path(__file__).parent


def _t3_row(key: str, natural: int, enterprise: int = 0, law: int = 0) -> dict[str, int]:
    return {f"t3.{key}.natural_person": natural, f"t3.{key}.commercial_enterprise": enterprise,
            f"t3.{key}.legal_service_org": law, f"t3.{key}.total": natural + enterprise + law}


def street_2023() -> dict[str, int | str]:
    values: dict[str, int | str] = {
        "t2.art20_1.normative_doc.issued": 2, "t2.art20_1.normative_doc.in_force": 9,
        "t2.art20_5.admin_license.decisions": 35, "t2.art20_6.admin_penalty.decisions": 12,
        "t2.art20_8.admin_fee.fee_amount": "0",
    }
    for key, numbers in {"new_received": (7, 1, 0), "carried_over": (1, 0, 0), "granted": (3, 1, 0),
                         "partially_granted": (1, 0, 0), "unable_not_held": (2, 0, 0), "rejected_duplicate": (1, 0, 0),
                         "result_total": (7, 1, 0), "carried_forward": (1, 0, 0)}.items():
        values.update(_t3_row(key, *numbers))
    values.update({"t4.review_upheld": 1, "t4.review_total": 1})
    return values


def county_office_2020() -> dict[str, int | str]:
    values: dict[str, int | str] = {
        "t2.art20_1.normative_doc.new_made": 4, "t2.art20_1.normative_doc.new_published": 4,
        "t2.art20_1.normative_doc.total_published": 57,
        "t2.art20_5.admin_license.prev_year_items": 112, "t2.art20_5.admin_license.change_this_year": "-6",
        "t2.art20_5.admin_license.decisions": 2310,
        "t2.art20_9.central_procurement.procurement_items": 18,
        "t2.art20_9.central_procurement.procurement_amount": "356.2",
    }
    for key, numbers in {"new_received": (21, 3, 1), "carried_over": (2, 0, 0), "granted": (9, 2, 0),
                         "partially_granted": (3, 0, 0), "denied_process_info": (1, 0, 0),
                         "unable_not_held": (6, 1, 1), "other_handling": (2, 0, 0),
                         "result_total": (21, 3, 1), "carried_forward": (2, 0, 0)}.items():
        values.update(_t3_row(key, *numbers))
    values.update({"t4.review_upheld": 2, "t4.review_pending": 1, "t4.review_total": 3,
                   "t4.lit_direct_upheld": 1, "t4.lit_direct_total": 1})
    return values


def street_2024_with_errors() -> dict[str, int | str]:
    values = street_2023()
    values.update(_t3_row("new_received", 9, 1, 0))
    values.update({"t3.carried_over.natural_person": 1, "t3.carried_over.total": 1})
    return values


def main() -> None:
    reports = [
        ("xinhe-street-2023.txt", "cells", skeleton("2021", "新河区东湖街道办事处", 2023, street_2023()),
         "2024-01-22", "2023年，东湖街道共收到政府信息公开申请8件，上年结转1件，办结8件，结转下年度1件。"),
        ("linshui-county-office-2020.txt", "tabs",
         skeleton("2019", "临水县人民政府办公室", 2020, county_office_2020()), "2021-01-28",
         "2020年，本办共收到政府信息公开申请25件，办结25件。发生行政复议3件，行政诉讼1件。"),
        ("xinhe-street-2024.md", "markdown",
         skeleton("2021", "新河区东湖街道办事处", 2024, street_2024_with_errors()), "2025-01-24",
         "2024年，东湖街道共收到政府信息公开申请10件。"),
    ]
    for name, style, report, published, overview in reports:
        report.meta.published = published
        report.sections = {"overview": overview,
                           "problems_improvements": "本年度有3件政策文件晚于规定时限公开，依申请公开答复书格式"
                                                    "不统一。针对上年度报告指出的政策解读不及时问题，已建立文件与"
                                                    "解读同步审签制度。下一步将完善发布审核流程，统一答复书模板。",
                           "other_matters": "本年度未收取信息处理费。"}
        (HERE / name).write_text(render_text(report, style), encoding="utf-8")


if __name__ == "__main__":
    main()
