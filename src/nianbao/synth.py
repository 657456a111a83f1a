"""Seed → synthetic reports whose tables add up: one report, or the yearly reports of units named after real divisions.

For tests, benchmarks and demos (which render them). The tables are filled from the format data: 表三's rows
and columns by role, 表二's columns by role (documents made, new, repealed, in force, published; items and their
change; amounts), 表四's groups; the cells that are zero together and the rows the generated bodies (county
level and below) print no number in come from the rule catalogue. A unit's numbers carry over from year to
year along the chains the format data marks (表三's row repeating last year's, 表二's documents in force and
items). With faults a few of a unit's reports break the carry-over, are signed late or copy another unit's
narrative, so the cross-report audit has something to find.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from .regions import Division, latest_counties, township_names
from .report import Report
from .schema import Block, catalogue, formats, runs
from .skeleton import CellValue, skeleton

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
KINDS = ("人民政府办公室", "财政局", "教育局", "卫生健康局", "市场监督管理局", "自然资源局",
         "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "农业农村局", "民政局", "司法局",
         "应急管理局", "水利局", "文化和旅游局")
DEPARTMENTS = ("发展和改革局", "公安局", "科学技术局", "工业和信息化局", "生态环境局", "商务局", "审计局",
               "统计局", "医疗保障局", "林业局", "退役军人事务局", "城市管理局", "信访局", "体育局", "档案馆",
               "人民防空办公室", "乡村振兴局", "政务服务管理局", "机关事务管理局", "民族宗教事务局",
               "行政审批局", "住房公积金管理中心", "粮食和物资储备局", "地方金融监督管理局", "数据局",
               "国有资产监督管理局", "综合行政执法局", "医疗保障服务中心", "融媒体中心", "供销合作社联合社")
"""Further bodies of a people's government that publish reports: with ``KINDS`` and the townships, the pool a
national-scale panel (a few hundred thousand units) is named from."""
AGENCY = "青石县人民政府办公室"
"""The agency of a single report unless one is named."""
YEAR = 2023
"""The year of a single report unless one is named (its format's last year when that format ended before)."""
BREAK_RATE = 0.02
LATE_RATE = 0.03
COPY_RATE = 0.01
PLAIN_SECTIONS = {"overview": "全年主动公开政府信息，规范办理依申请公开。",
                  "problems_improvements": "公开的及时性有待提高。", "other_matters": "无。"}
"""The narrative of a single report: short, and claiming no number the tables could contradict."""
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
_SETTINGS = ("在机关内部", "在基层站所", "在窗口单位", "在重点领域", "在年度考核中", "在日常工作中",
             "在政策发布后", "在重大决策前", "在专项整治中", "在信息化建设中", "在业务培训中", "在督查检查中",
             "在群众办事中", "在网站改版中", "在制度修订中", "在年度总结中")
_MEANS = ("依托门户网站", "通过政务新媒体", "结合政务服务大厅", "利用公开专栏", "借助政务热线", "通过新闻发布会",
          "依托村务公开栏", "结合线上平台", "通过公告公示", "利用宣传册", "借助图解视频", "通过意见征集",
          "依托档案系统", "结合实地走访", "通过问卷调查", "利用短信平台")
_OVERVIEW_SENTENCES = 12
_PROBLEM_SENTENCES = 4
_TOWNSHIP_SHARE = 0.3


@dataclass(frozen=True)
class Draws:
    """Where the numbers of a report are drawn from."""

    received: tuple[int, ...]
    """表三 applications received in a column (a unit's first year; later years move a little)."""
    carried: tuple[int, ...]
    """表三 applications carried over in a column of a unit's first report."""
    forward_share: float
    """The share of columns that carry some applications forward."""
    common_outcomes: int
    """How many of the first outcomes most applications end in…"""
    common_share: float
    """…and the share that does."""
    t4_parts: tuple[int, ...]
    """表四 cases of one result."""
    new: int
    """表二 documents new in a year, at most."""
    stock: int
    """表二 documents in force or published before a unit's first year, at most."""
    repealed: int
    """表二 documents repealed in a year, at most."""
    items: int
    """表二 items at the start of a unit's first year, at most."""
    change: tuple[int, int]
    """表二 items lost and gained in a year, at most."""
    counts: tuple[int, ...]
    """Other 表二 counts (decisions, procurement items) of a unit's first year."""
    amounts: tuple[str, ...]
    """表二 amounts other than zero, as printed."""
    step: int = 2
    """How far a count moves from one year to the next, at most."""


VARIED = Draws(received=(0, 0, 1, 3, 12, 250), carried=(0, 0, 1, 4), forward_share=0.4, common_outcomes=6,
               common_share=0.7, t4_parts=(0, 0, 1, 2, 7), new=20, stock=80, repealed=5, items=120,
               change=(120, 15), counts=(0, 5, 18, 312, 10450), amounts=("12.35", "4068.208", "0.0125", "35.6", "1200"))
"""A single report's spread, for readers to meet: zeros, hundreds and tens of thousands, decimals, declines."""
STEADY = Draws(received=(0, 0, 1, 2, 5, 12, 40), carried=(0, 0, 1), forward_share=0.3, common_outcomes=4,
               common_share=0.8, t4_parts=(0, 0, 0, 1, 2), new=8, stock=40, repealed=3, items=60, change=(3, 3),
               counts=(0, 3, 25, 140), amounts=("1.25", "36.5", "210.0425"))
"""A unit's spread over the years: small counts that move a little."""
LARGE = Draws(received=(0, 40, 380, 1650, 6200), carried=(0, 12, 140), forward_share=0.6, common_outcomes=8,
              common_share=0.6, t4_parts=(0, 3, 26, 140), new=400, stock=3000, repealed=60, items=4000,
              change=(900, 300), counts=(0, 75, 2400, 38600, 126500),
              amounts=("1250.5", "36820", "0.35", "409.275"))
"""A large body's spread (a province's department, a city government): thousands in 表三's rows, five- and
six-digit counts in 表二, so that cells print wide and glue into long runs of digits."""


@cache
def _idle_rows() -> frozenset[str]:
    """表二 rows the generated bodies (county level and below) print no number in: those they have no power for."""
    return frozenset(r.params["row"] for r in catalogue().rules if r.check == "regulation_power")


@cache
def _zero_together(template: str) -> dict[str, str]:
    """Cell → the cell it is zero together with, in ``template``."""
    pairs = [r.cells for r in catalogue().rules if r.check == "zero_together" and template in r.templates]
    return {**{a: b for a, b in pairs}, **{b: a for a, b in pairs}}


@dataclass
class _Unit:
    """One unit's tables, year after year: what it draws from and what its next report continues."""

    rng: random.Random
    draws: Draws
    faults: bool = False
    carry: dict[str, int] = field(default_factory=dict)
    """Cell key → the value that cell of next year's report continues from."""
    level: dict[str, int] = field(default_factory=dict)
    """Cell key → the count it moves from (no jumps from year to year)."""

    def values(self, template: str) -> dict[str, CellValue]:
        """Every cell of a consistent report of ``template``, by dotted key."""
        values: dict[str, CellValue] = {}
        self._t2(template, values)
        self._t3(template, values)
        self._t4(values)
        return values

    def _count(self, key: str, start: tuple[int, ...]) -> int:
        """A count that starts at one of ``start`` and moves a little from year to year."""
        value = self.level[key] + self.rng.randint(-self.draws.step, self.draws.step) if key in self.level \
            else self.rng.choice(start)
        self.level[key] = max(0, value)
        return self.level[key]

    def _t3(self, template: str, values: dict[str, CellValue]) -> None:
        fmt, rng, draws = formats(), self.rng, self.draws
        received, total = fmt.t3_role("received").key, fmt.t3_role("total").key
        opening, closing = (r.key for r in fmt.t3_carried)
        outcomes = [r.key for r in fmt.t3_outcome_rows if template in r.templates]
        common = outcomes[:draws.common_outcomes]
        applicants = [c.key for c in fmt.t3_applicant_columns]
        counts: dict[str, int] = {}
        for col in applicants:
            new = self._count(f"t3.{received}.{col}", draws.received)
            carried = self.carry.get(f"t3.{opening}.{col}", rng.choice(draws.carried))
            forward = rng.randint(0, new + carried) if rng.random() < draws.forward_share else 0
            split = dict.fromkeys(outcomes, 0)
            for _ in range(new + carried - forward):
                split[rng.choice(common if rng.random() < draws.common_share else outcomes)] += 1
            rows = {received: new, opening: carried, total: new + carried - forward, closing: forward, **split}
            counts.update((f"t3.{row}.{col}", number) for row, number in rows.items())
            self.carry[f"t3.{opening}.{col}"] = forward
        first = applicants[0]
        if self.faults and rng.random() < BREAK_RATE and counts[f"t3.{received}.{first}"]:
            counts[f"t3.{received}.{first}"] -= 1
            counts[f"t3.{opening}.{first}"] += 1
        column = next(c.key for c in fmt.t3_columns if c.role == "total")
        for row in fmt.t3_data_rows(template):
            counts[f"t3.{row.key}.{column}"] = sum(counts[f"t3.{row.key}.{c}"] for c in applicants)
        values.update(counts)

    def _t4(self, values: dict[str, CellValue]) -> None:
        for _, columns in runs(formats().t4_columns, 2):
            parts = {f"t4.{c.key}": self.rng.choice(self.draws.t4_parts) for c in columns if c.role != "total"}
            values.update(parts)
            values.update((f"t4.{c.key}", sum(parts.values())) for c in columns if c.role == "total")

    def _t2(self, template: str, values: dict[str, CellValue]) -> None:
        amounts: list[str] = []
        for block in formats().t2[template]:
            for row in block.rows:
                prefix = f"t2.{block.key}.{row.key}"
                if prefix in _idle_rows():
                    values.update((f"{prefix}.{c.key}", 0) for c in block.columns)
                    continue
                values.update(self._t2_row(block, prefix))
                amounts += [f"{prefix}.{c.key}" for c in block.columns if c.type == "amount"]
        for key in amounts:
            partner = _zero_together(template).get(key)
            if partner is None:
                values[key] = self.rng.choice(("0", *self.draws.amounts))
            else:
                values[key] = self.rng.choice(self.draws.amounts) if values[partner] else "0"

    def _t2_row(self, block: Block, prefix: str) -> dict[str, CellValue]:
        """The counts of one 表二 row by their columns' roles (its amounts are drawn once the table is known)."""
        roles = {c.role: f"{prefix}.{c.key}" for c in block.columns}
        new = self.rng.randint(0, self.draws.new)
        moved = {"made_documents": new, "new_documents": new}
        if "in_force" in roles:
            moved.update(self._in_force(roles["in_force"], new, "repealed_documents" in roles))
        if "published_documents" in roles:
            moved["published_documents"] = self.rng.randint(0, self.draws.stock) + new
        if "previous_items" in roles:
            moved.update(self._items(roles["previous_items"]))
        counts: dict[str, CellValue] = {}
        for column in block.columns:
            key = f"{prefix}.{column.key}"
            if column.type != "amount":
                counts[key] = moved[column.role] if column.role in moved else self._count(key, self.draws.counts)
        return counts

    def _in_force(self, key: str, new: int, repeals: bool) -> dict[str, int]:
        """The documents in force and the year's repealed ones: last year's in force (drawn in a unit's first
        year) plus the new, less the repealed."""
        last = self.carry[key] if key in self.carry else self.rng.randint(0, self.draws.stock)
        repealed = self.rng.randint(0, min(last, self.draws.repealed)) if repeals else 0
        self.carry[key] = last + new - repealed
        return {"in_force": self.carry[key], "repealed_documents": repealed}

    def _items(self, key: str) -> dict[str, int]:
        """The items at the start of the year (last year's plus last year's change; drawn in a unit's first year)
        and the year's signed change."""
        opening = self.carry[key] if key in self.carry else self.rng.randint(0, self.draws.items)
        lost, gained = self.draws.change
        change = self.rng.randint(-min(opening, lost), gained)
        self.carry[key] = opening + change
        return {"previous_items": opening, "items_change": change}


def _published(rng: random.Random, year: int, late: bool) -> str:
    """A date of signing in January of the next year, or in a later month when ``late``."""
    month, day = (rng.choice((2, 3, 4)), rng.randint(1, 28)) if late else (1, rng.randint(5, 30))
    return f"{year + 1}-{month:02d}-{day:02d}"


def _year_of(template: str) -> int:
    governing = formats().templates[template]
    return YEAR if governing.governs(YEAR) else governing.last_year or governing.first_year


def consistent_report(template: str, seed: int = 0, agency: str = AGENCY, year: int | None = None,
                      draws: Draws = VARIED) -> Report:
    """A report of ``template`` whose every table identity holds, its numbers drawn from ``seed`` over
    ``draws`` (by default a wide spread, ``VARIED``), with a short narrative."""
    rng = random.Random(seed)
    year = year or _year_of(template)
    report = skeleton(template, agency, year, _Unit(rng, draws).values(template))
    report.meta.published = _published(rng, year, late=False)
    report.sections = dict(PLAIN_SECTIONS)
    return report


def unit_names(count: int, seed: int = 0, within: str | None = None) -> list[str]:
    """``count`` distinct agency names made of real city, county (and township) names (of the province or city
    ``within`` only, when given).

    Up to half the county bodies and townships there are, names are drawn with a fixed share of townships;
    beyond, they are sampled from every body of every level (province, city, county, township) and department
    (``KINDS``, ``DEPARTMENTS``), as a national corpus holds them. More names than that pool raise ValueError.
    """
    rng = random.Random(seed)
    counties = [d for d in latest_counties() if within is None or within in (d.province, d.city)]
    by_code = {d.code: d for d in counties}
    towns = [(name, by_code[code]) for name, code in township_names() if code in by_code]
    if within is not None:
        return _sample(rng, _pool(counties, towns, KINDS), count, within)
    if count > (len(counties) * len(KINDS) + len(towns)) // 2:
        kinds = KINDS + DEPARTMENTS
        levels = {*(c.province for c in counties), *(c.city for c in counties if c.city)}
        return _sample(rng, sorted({*_pool(counties, towns, kinds), *(f"{n}{k}" for n in levels for k in kinds)}),
                       count, "the country")
    names: set[str] = set()
    while len(names) < count:
        if rng.random() < _TOWNSHIP_SHARE:
            name, county = rng.choice(towns)
            names.add(_township_body(name, county))
        else:
            county = rng.choice(counties)
            names.add(f"{_prefix(county)}{rng.choice(KINDS)}")
    return sorted(names)


def _pool(counties: list[Division], towns: list[tuple[str, Division]], kinds: tuple[str, ...]) -> list[str]:
    """Every name of a body of the counties (each kind) and of the townships, sorted."""
    return sorted({*(f"{_prefix(c)}{kind}" for c in counties for kind in kinds),
                   *(_township_body(name, c) for name, c in towns)})


def _sample(rng: random.Random, pool: list[str], count: int, where: str) -> list[str]:
    if count > len(pool):
        raise ValueError(f"{where} offers {len(pool)} unit names, fewer than {count}")
    return sorted(rng.sample(pool, count))


def _township_body(name: str, county: Division) -> str:
    return f"{_prefix(county)}{name}{'办事处' if name.endswith('街道') else '人民政府'}"


def _prefix(county: Division) -> str:
    return f"{county.city or county.province}{county.county}"


def _sentence(rng: random.Random, own: random.Random) -> str:
    """A sentence of a narrative; ``own`` (the report's own draws) sets how and where, so that two units'
    narratives seldom share a sentence by chance even among a million reports."""
    return (f"{rng.choice(_TOPICS)}方面，{own.choice(_SETTINGS)}{own.choice(_MEANS)}{rng.choice(_ACTIONS)}"
            f"{rng.choice(_OBJECTS)}，{rng.choice(_RESULTS)}。")


def _narrative(rng: random.Random, agency: str, year: int) -> dict[str, str]:
    own = random.Random(f"{agency}{year}")
    overview = "".join(_sentence(rng, own) for _ in range(_OVERVIEW_SENTENCES))
    problems = "".join(_sentence(rng, own) for _ in range(_PROBLEM_SENTENCES))
    return {"overview": f"{year}年，{agency}坚持以公开为常态、不公开为例外。{overview}",
            "problems_improvements": problems, "other_matters": "本年度未收取信息处理费。"}


def _template(year: int) -> str:
    governing = formats().template_for_year(year)
    if governing is None:
        raise ValueError(f"{year}年早于第一个官方格式（{formats().first_report_year}年）")
    return governing.key


def unit_reports(agency: str, years: tuple[int, ...], seed: int, faults: bool = True) -> Iterator[Report]:
    """The consecutive yearly reports of one unit (``STEADY`` spread), each continuing the one before; without
    ``faults`` none breaks a rule or is late."""
    rng = random.Random(f"{seed}/{agency}")
    unit = _Unit(rng, STEADY, faults)
    for year in years:
        template = _template(year)
        report = skeleton(template, agency, year, unit.values(template))
        report.meta.published = _published(rng, year, late=faults and rng.random() < LATE_RATE)
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
