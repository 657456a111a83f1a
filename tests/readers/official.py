"""The official 表三 and 表四 as merged-cell anchors (FORMAT.md §3–4), for reader tests to build fixtures from."""

from __future__ import annotations

Anchor = tuple[int, int, int, int, str]
"""(row, col, rowspan, colspan, text) of one cell as the author wrote it."""

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
GROUPS = [
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                    "5.要求行政机关确认或重新出具已获取信息"]),
    ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
]
T3_ROWS, T3_COLS = 28, 10
VERTICAL = "三、本年度办理结果"


def value(row: int, k: int) -> str:
    """The number written in value column k (0-6) of row ``row``: distinct everywhere."""
    return str(row * 10 + k)


def t3_anchors() -> list[Anchor]:
    """Every cell of the official 2021 表三 (FORMAT.md §3.1/§3.2): 28 rows × 10 columns."""
    cells: list[Anchor] = [(0, 0, 3, 3, NOTE), (0, 3, 1, 7, "申请人情况"), (1, 3, 2, 1, "自然人"),
                           (1, 4, 1, 5, "法人或其他组织"), (1, 9, 2, 1, "总计")]
    cells += [(2, 4 + i, 1, 1, org) for i, org in enumerate(ORGS)]
    cells += [(3, 0, 1, 3, "一、本年新收政府信息公开申请数量"), (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
              (5, 0, 22, 1, VERTICAL), (5, 1, 1, 2, "（一）予以公开"),
              (6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    row = 7
    for group, leaves in GROUPS:
        cells.append((row, 1, len(leaves), 1, group))
        cells += [(row + i, 2, 1, 1, leaf) for i, leaf in enumerate(leaves)]
        row += len(leaves)
    cells += [(26, 1, 1, 2, "（七）总计"), (27, 0, 1, 3, "四、结转下年度继续办理")]
    cells += [(r, 3 + k, 1, 1, value(r, k)) for r in range(3, T3_ROWS) for k in range(7)]
    return cells


def t4_anchors() -> list[Anchor]:
    """The official 表四 (FORMAT.md §4): 4 rows × 15 columns."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells: list[Anchor] = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼")]
    cells += [(1, i, 2, 1, label) for i, label in enumerate(results)]
    cells += [(1, 5, 1, 5, "未经复议直接起诉"), (1, 10, 1, 5, "复议后起诉")]
    cells += [(2, 5 + i, 1, 1, label) for i, label in enumerate(results * 2)]
    cells += [(3, i, 1, 1, str(i + 1)) for i in range(15)]
    return cells


def expected_grid(anchors: list[Anchor], rows: int, cols: int) -> list[list[str]]:
    """The expanded grid the anchors describe: text at each anchor, empty elsewhere."""
    grid = [[""] * cols for _ in range(rows)]
    for r, c, _, _, text in anchors:
        grid[r][c] = text
    return grid
