"""表三 printed as ``pdftotext -raw`` prints a PDF table: each label wrapped in its cell on lines of its own,
the row's values on the line right after (extract/broken.py's ``join_labels_over_values``)."""

from __future__ import annotations

import random

from nianbao.api import parse_bytes
from nianbao.document import Row, TextCell
from nianbao.extract.broken import join_labels_over_values
from nianbao.extract.rows import match_row, split_row
from nianbao.extract.t3 import is_header_piece, label_index, row_holds
from nianbao.readers.layout import text_to_document
from nianbao.render import render_text
from nianbao.settings import DEFAULTS
from nianbao.synth import consistent_report

from .cells import cells_of

SAMPLE = 20


def _raw(text: str, rng: random.Random) -> str:
    """The 表三 rows of a TAB dump with every label cell cut into pieces on lines of their own, the values
    one line after, set apart by single spaces."""
    out = []
    t3 = False
    for line in text.splitlines():
        t3 = (t3 or line.startswith("三、收到")) and not line.startswith("四、")
        cells = line.split("\t")
        values = [c for c in cells if c and c.lstrip("-").isdigit()]
        if not t3 or len(values) != len([c for c in cells[1:] if c]) or not values:
            out.append(line)
            continue
        for label in (c for c in cells if c and c not in values):
            width = rng.randint(3, 8)
            out += [label[k:k + width] for k in range(0, len(label), width)]
        out.append(" ".join(values))
    return "\n".join(out) + "\n"


def test_labels_wrapped_above_their_values_take_them() -> None:
    for seed in range(SAMPLE):
        rng = random.Random(seed)
        report = consistent_report(rng.choice(["2019", "2021"]), seed)
        parsed = parse_bytes(_raw(render_text(report, "tabs"), rng).encode(), f"raw-{seed}.txt")
        truth, got = cells_of(report), cells_of(parsed)
        t3 = {key: cell for key, cell in truth.items() if key.startswith("t3.")}
        assert {key: got.get(key) for key in t3} == t3, seed


def test_values_that_break_their_row_identity_are_not_taken() -> None:
    index = label_index(DEFAULTS.extract)
    holds = lambda cells, ends: len(cells) == 7 and row_holds(cells)  # noqa: E731
    text = "1.属于国家\n秘密\n0 1 2 3 4 5 15\n2.其他法律行政法规\n禁止公开\n0 1 2 3 4 5 16\n"
    rows = list(text_to_document(text).rows())
    joined = join_labels_over_values(rows, index, holds, is_header_piece)
    assert [row.cells[0].text for row in joined if row.in_table] == ["1.属于国家秘密", "0"]


def test_labels_of_several_rows_listed_before_their_values_are_not_joined() -> None:
    index = label_index(DEFAULTS.extract)
    holds = lambda cells, ends: len(cells) == 7 and row_holds(cells)  # noqa: E731
    text = "1.属于国家\n秘密\n2.其他法律行政法规\n禁止公开\n0 1 2 3 4 5 15\n0 1 2 3 4 5 15\n"
    rows = list(text_to_document(text).rows())
    assert join_labels_over_values(rows, index, holds, is_header_piece) == rows


def test_a_label_printed_after_another_names_the_row_however_long_the_one_before() -> None:
    index = label_index(DEFAULTS.extract)
    assert index.match("三、本年度办理结果（一）予以公开").keys == {"granted"}
    assert index.match("三、本年度办理结果").keys == {"results"}


def test_a_label_cut_across_cells_is_read_whole_before_any_of_its_pieces() -> None:
    # （六）其他 alone is the whole label of 2021's 3.其他 under （六）其他处理: the pieces together name the row
    cells = [TextCell(text, {"line": 1, "cell": k}) for k, text in enumerate(["(六)其他", "处理", "0", "6", "6"])]
    split = split_row(Row(cells, {"line": 1}, True))
    assert match_row(split, label_index(DEFAULTS.extract), fuzzy=False).keys == {"other_handling"}
    assert label_index(DEFAULTS.extract).match("(六)其他").keys == {"other_other"}
