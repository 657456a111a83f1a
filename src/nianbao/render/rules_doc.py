"""The rule catalogue → ``docs/rules.md``: id, severity, basis, title and an example message of each rule.

The example is the rule's own message template filled with sample values (cells named by their
printed labels), so the page changes whenever the catalogue does.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Any

from ..findings import finding
from ..schema import Rule, catalogue, formats

_SAMPLE_CELLS = {"T2": "t2.art20_1.normative_doc.in_force", "T3": "t3.result_total.total",
                 "T4": "t4.review_total", "X": "t3.new_received.total", "Y": "t3.carried_over.total",
                 "H": "t3.new_received.total", "R": "t4.review_corrected", "S": "t3.granted.total"}
_SAMPLES: dict[str, Any] = {
    "expected": 12, "actual": 13, "lhs": 13, "rhs": 12, "count": 3, "found": 6, "delta": 1, "days": 9,
    "year": 2023, "previous_year": 2022, "previous": 30, "issued": 2, "repealed": 1, "factor": 10,
    "template": formats().latest, "number": "五", "previous_number": "四",
    "heading": "五、存在问题及改进措施", "headings": "四、…；五、…", "line": 57, "unit": "件", "table": "12件",
    "quote": "……",
    "amount_yi": 1.7, "rate": "50%", "similarity": 92, "shared": 480, "passages": "……",
    "other": "临水县人民政府办公室", "child": "东湖街道办事处", "level": "县级政府部门", "place": "高新区",
    "home": "西工区", "printed": "二、", "official": "三、",
    "earlier_number": "四", "other_number": "六", "other_years": "2022年度", "published": "2024-02-09",
    "deadline": "2024-01-31",
    "source": "落款日期", "basis_text": "条例第四十九条", "why": "报告未署日期（成文日期或网页发布日期）",
    "leftover": "（或本部门）", "unpaid": 2, "reason": "只写了“无”", "stock": 6,
    "clauses": 7, "phrases": "有待提高”“有待加强", "width": 7,
    "read": "临水县东湖镇人民政府", "seen": "东湖镇", "county": "临水县", "township": "东潮镇",
    "near": "东潮镇、乐湖镇", "named": "东潮镇", "readings": "表四“行政复议·结果维持”：3或1",
}


@cache
def _samples() -> dict[str, Any]:
    """The samples, with those that name a part of the official format read from it."""
    fmt = formats()
    return {**_SAMPLES, "label": fmt.section("problems_improvements").label, "what": fmt.t4_columns[0].group,
            "who": next(c.group for c in fmt.t3_columns if c.group), "body": fmt.body("county", "department"),
            "earlier": fmt.section("review_litigation").heading}


@cache
def _what() -> dict[str, str]:
    """Sample subjects of the narrative rules whose message names what the text spoke of."""
    review, lit = dict.fromkeys(c.group or "" for c in formats().t4_columns)
    both = f"{review}和{lit}"
    return {"X.litigation": lit, "X.review_litigation": both, "X.outcomes": "不予公开",
            "X.no_review_litigation": f"{review}或{lit}", "X.cases_claimed": both}
_UNIT_NAMES = ("Q", "H")
"""Families whose ``{unit}`` is a reporting body, not a counting unit."""
_BASIS = {"official": "官方格式规定", "implied": "格式隐含", "derived": "推导", "format": "格式要求"}
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def example_message(rule: Rule) -> str:
    """The rule's message rendered with sample values; a placeholder without a sample shows as ``…``."""
    names = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    family = rule.id.split(".")[0]
    samples = _samples()
    fields = {name: samples.get(name, "…") for name in names - {"expected", "actual"}}
    if "what" in fields:
        fields["what"] = _what().get(rule.id, fields["what"])
    if "unit" in fields and family in _UNIT_NAMES:
        fields["unit"] = samples["other"]
    cells = list(rule.cells) or ([_SAMPLE_CELLS[family]] if family in _SAMPLE_CELLS else [])
    if "where" in fields and cells:
        del fields["where"]
    return finding(rule.id, cells=cells, expected=samples["expected"], actual=samples["actual"],
                   **fields).message


def rules_markdown() -> str:
    """The catalogue as a Markdown page, one table row per rule in catalogue order."""
    lines = ["# 规则目录", "",
             "由 `nianbao rules --markdown` 从 `src/nianbao/schema/rules.json` 生成，请勿手工编辑。", "",
             "| id | 严重程度 | 依据 | 标题 | 示例消息 |", "|---|---|---|---|---|"]
    for rule in catalogue().rules:
        cells = (rule.id, _SEVERITY.get(rule.severity, rule.severity), _BASIS.get(rule.basis, rule.basis),
                 rule.title, example_message(rule))
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
