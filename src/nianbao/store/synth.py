"""Seed → synthetic corpus: Report objects of units with real division names, over consecutive years.

For benchmarks, tests and demos (which render them; rendering is not the store's business). Every report's
tables add up; each unit's numbers carry over from year to year (表三 carry-over, 表二 in-force and item
chains); a few reports break the carry-over, are signed late or copy another unit's narrative, so the
cross-report audit has something to find.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..regions import Division, latest_counties, township_names
from ..report import Report
from ..schema import formats
from ..skeleton import skeleton

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
KINDS = ("人民政府办公室", "财政局", "教育局", "卫生健康局", "市场监督管理局", "自然资源局",
         "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "农业农村局", "民政局", "司法局",
         "应急管理局", "水利局", "文化和旅游局")
BREAK_RATE = 0.02
LATE_RATE = 0.03
COPY_RATE = 0.01
_TOPICS = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障", "政策解读", "回应关切",
           "基层政务公开", "重点领域信息公开", "政务新媒体", "公开目录", "保密审查", "公开指南", "政府网站",
           "政务服务", "信息发布")
_ACTIONS = ("认真落实", "持续完善", "全面梳理", "扎实推进", "不断健全", "着力规范", "逐步优化", "严格执行",
            "积极探索", "统筹推进", "深入开展", "切实加强", "大力推行", "稳步推进", "及时更新", "系统整合",
            "规范管理", "强化")
_OBJECTS = ("公开工作机制", "信息发布流程", "依申请办理程序", "公开内容审核制度", "政策文件解读方式",
            "栏目设置", "公开事项标准目录", "答复文书格式", "公开平台功能", "信息公开台账", "考核评议办法",
            "责任追究制度", "工作人员培训", "意见征集渠道", "办事指南", "数据开放目录")
_RESULTS = ("公开质量明显提升", "群众满意度不断提高", "办理时限进一步压缩", "信息查找更加便捷",
            "公开的规范化水平稳步提高", "社会关切得到及时回应", "公开内容更加全面", "工作效率显著提高",
            "权力运行更加透明", "政务服务更加便民", "制度体系更加完善", "监督渠道更加畅通", "工作合力不断增强",
            "基础工作更加扎实")
_OVERVIEW_SENTENCES = 12
_PROBLEM_SENTENCES = 4
_TOWNSHIP_SHARE = 0.3
_DECISIONS = (0, 3, 25, 140)


@dataclass
class _History:
    """What a unit's next report must continue: last year's 结转, 现行有效 and item counts."""

    forward: dict[str, int] = field(default_factory=dict)
    in_force: dict[str, int] = field(default_factory=dict)
    items: dict[str, tuple[int, int]] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)

    def drift(self, key: str, rng: random.Random, start: tuple[int, ...]) -> int:
        """A count that moves a little from year to year (no jumps), starting at one of ``start``."""
        value = self.level.get(key, rng.choice(start))
        self.level[key] = max(0, value + rng.randint(-2, 2))
        return self.level[key]


def unit_names(count: int, seed: int = 0, within: str | None = None) -> list[str]:
    """``count`` distinct agency names made of real city, county (and township) names (of the province or city
    ``within`` only, when given)."""
    rng = random.Random(seed)
    counties = [d for d in latest_counties() if within is None or within in (d.province, d.city)]
    by_code = {d.code: d for d in counties}
    towns = [(name, by_code[code]) for name, code in township_names() if code in by_code]
    if within is not None:
        pool = sorted({*(f"{_prefix(c)}{kind}" for c in counties for kind in KINDS),
                       *(f"{_prefix(c)}{name}{'办事处' if name.endswith('街道') else '人民政府'}"
                         for name, c in towns)})
        if count > len(pool):
            raise ValueError(f"{within} offers {len(pool)} unit names, fewer than {count}")
        return sorted(rng.sample(pool, count))
    names: set[str] = set()
    while len(names) < count:
        if rng.random() < _TOWNSHIP_SHARE:
            name, county = rng.choice(towns)
            names.add(f"{_prefix(county)}{name}{'办事处' if name.endswith('街道') else '人民政府'}")
        else:
            county = rng.choice(counties)
            names.add(f"{_prefix(county)}{rng.choice(KINDS)}")
    return sorted(names)


def _prefix(county: Division) -> str:
    return f"{county.city or county.province}{county.county}"


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_TOPICS)}方面，{rng.choice(_ACTIONS)}{rng.choice(_OBJECTS)}，{rng.choice(_RESULTS)}。"


def _narrative(rng: random.Random, agency: str, year: int) -> dict[str, str]:
    overview = "".join(_sentence(rng) for _ in range(_OVERVIEW_SENTENCES))
    problems = "".join(_sentence(rng) for _ in range(_PROBLEM_SENTENCES))
    return {"overview": f"{year}年，{agency}坚持以公开为常态、不公开为例外。{overview}",
            "problems_improvements": problems, "other_matters": "本年度未收取信息处理费。"}


def _t3(template: str, rng: random.Random, history: _History, values: dict[str, Any], faults: bool) -> None:
    applicants = [c.key for c in formats().t3_applicant_columns]
    outcomes = [r.key for r in formats().t3_outcome_rows if template in r.templates]
    for col in applicants:
        new = history.drift(f"new.{col}", rng, (0, 0, 1, 2, 5, 12, 40))
        carried = history.forward.get(col, rng.choice((0, 0, 1)))
        forward = rng.randint(0, new + carried) if rng.random() < 0.3 else 0
        handled = new + carried - forward
        split = dict.fromkeys(outcomes, 0)
        for _ in range(handled):
            split[rng.choice(outcomes[:4] if rng.random() < 0.8 else outcomes)] += 1
        rows = {"new_received": new, "carried_over": carried, "result_total": handled, "carried_forward": forward}
        for key, number in {**rows, **split}.items():
            values[f"t3.{key}.{col}"] = number
        history.forward[col] = forward
    if faults and rng.random() < BREAK_RATE and values["t3.new_received.natural_person"]:
        values["t3.new_received.natural_person"] -= 1
        values["t3.carried_over.natural_person"] += 1
    for row in formats().t3_data_rows(template):
        values[f"t3.{row.key}.total"] = sum(values[f"t3.{row.key}.{c}"] for c in applicants)


def _t4(rng: random.Random, values: dict[str, Any]) -> None:
    for prefix in ("review", "lit_direct", "lit_after_review"):
        parts = {p: rng.choice((0, 0, 0, 1, 2)) for p in ("upheld", "corrected", "other", "pending")}
        values.update({f"t4.{prefix}_{p}": n for p, n in parts.items()})
        values[f"t4.{prefix}_total"] = sum(parts.values())


def _t2(template: str, rng: random.Random, history: _History, values: dict[str, Any]) -> None:
    if template == "2021":
        for row in ("regulation", "normative_doc"):
            issued = 0 if row == "regulation" else rng.randint(0, 8)
            previous = history.in_force.get(row, 0 if row == "regulation" else rng.randint(0, 30))
            repealed = rng.randint(0, min(previous, 3))
            values.update({f"t2.art20_1.{row}.issued": issued, f"t2.art20_1.{row}.repealed": repealed,
                           f"t2.art20_1.{row}.in_force": previous + issued - repealed})
            history.in_force[row] = previous + issued - repealed
        for key in ("art20_5.admin_license", "art20_6.admin_penalty", "art20_6.admin_coercion"):
            values[f"t2.{key}.decisions"] = history.drift(key, rng, _DECISIONS)
        values["t2.art20_8.admin_fee.fee_amount"] = rng.choice(("0", "1.25", "36.5", "210.0425"))
        return
    for row in ("regulation", "normative_doc"):
        made = 0 if row == "regulation" else rng.randint(0, 8)
        total = 0 if row == "regulation" else made + rng.randint(0, 40)
        values.update({f"t2.art20_1.{row}.new_made": made, f"t2.art20_1.{row}.new_published": made,
                       f"t2.art20_1.{row}.total_published": total})
    for key in ("art20_5.admin_license", "art20_5.other_admin_service", "art20_6.admin_penalty",
                "art20_6.admin_coercion", "art20_8.admin_fee"):
        last_items, last_change = history.items.get(key, (rng.randint(0, 60), 0))
        items = last_items + last_change
        change = rng.randint(-min(items, 3), 3)
        values[f"t2.{key}.prev_year_items"], values[f"t2.{key}.change_this_year"] = items, str(change)
        history.items[key] = (items, change)
        if not key.startswith("art20_8"):
            values[f"t2.{key}.decisions"] = history.drift(key, rng, _DECISIONS)
    values["t2.art20_9.central_procurement.procurement_items"] = 0
    values["t2.art20_9.central_procurement.procurement_amount"] = "0"


def _template(year: int) -> str:
    governing = formats().template_for_year(year)
    if governing is None:
        raise ValueError(f"{year}年早于第一个官方格式（{formats().first_report_year}年）")
    return governing.key


def unit_reports(agency: str, years: tuple[int, ...], seed: int, faults: bool = True) -> Iterator[Report]:
    """The consecutive yearly reports of one unit; without ``faults`` none breaks a rule or is late."""
    rng, history = random.Random(f"{seed}/{agency}"), _History()
    for year in years:
        template = _template(year)
        values: dict[str, Any] = {}
        _t2(template, rng, history, values)
        _t3(template, rng, history, values, faults)
        _t4(rng, values)
        report = skeleton(template, agency, year, values)
        late = faults and rng.random() < LATE_RATE
        month, day = (rng.choice((2, 3, 4)), rng.randint(1, 28)) if late else (1, rng.randint(5, 30))
        report.meta.published = f"{year + 1}-{month:02d}-{day:02d}"
        report.sections = _narrative(rng, agency, year)
        yield report


def copy_narrative(report: Report, source: Report) -> None:
    """Give ``report`` the narrative of ``source`` (another unit), as 雷同 reports do."""
    report.sections = {k: v.replace(source.meta.agency or "", report.meta.agency or "")
                       for k, v in source.sections.items()}


def panel(agencies: list[str], years: tuple[int, ...] = YEARS, seed: int = 0, faults: bool = True
          ) -> Iterator[Report]:
    """The reports of ``agencies`` for ``years``, unit by unit; with ``faults`` a few break a rule, are late
    or copy the narrative of the unit before them."""
    rng, previous = random.Random(seed), None
    for agency in agencies:
        reports = list(unit_reports(agency, years, seed, faults))
        for year_index, report in enumerate(reports):
            if faults and previous is not None and rng.random() < COPY_RATE:
                copy_narrative(report, previous[year_index])
            yield report
        previous = reports
