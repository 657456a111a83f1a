"""Tables printed one cell per line with an empty line for each blank cell (an office suite's plain-text
export, the ``cell-lines`` form of the variation generator): the lines say where the blank cells are, and
a 表三 of a unit that received nothing (a 无 after each row's label) is read as stating nothing."""

from __future__ import annotations

import random

from nianbao.api import parse_bytes
from nianbao.report import Cell
from nianbao.synth import consistent_report
from nianbao.values import is_blank

from .variants import load_forms
from .variants.drawing import draw
from .variants.reports import random_report
from .variants.score import cells, score

SAMPLE = 40


def _sample() -> list[tuple[object, object]]:
    form = load_forms()["cell-lines"]
    out = []
    for seed in range(SAMPLE):
        truth = random_report(random.Random(f"cell-lines/{seed}"))
        data = form.make(truth, random.Random(f"cell-lines/{seed}/form"))
        out.append((truth, parse_bytes(data, f"cell-lines-{seed}.txt")))
    return out


def test_blank_cells_are_read_by_their_lines_and_no_value_is_wrong() -> None:
    blank_rows = read = nothing = 0
    for truth, parsed in _sample():
        result = score(truth, parsed)
        assert not result.wrong and not result.meta, result.wrong[:3]
        if draw(truth).axes["last_year"] == "none":  # last year's rows printed beside leave theirs missing
            assert not [key for key in result.missing if key.startswith(("t4.", "t2."))], result.missing
        got, expected = cells(parsed), cells(truth)
        nothing += all(is_blank(cell.raw) for key, cell in expected.items() if key.startswith("t3."))
        rows = {key.rsplit(".", 1)[0] for key in expected if key.startswith("t3.")}
        for row in rows:
            keys = [key for key in expected if key.rsplit(".", 1)[0] == row]
            if all(is_blank(expected[key].raw) for key in keys):
                blank_rows += 1
                read += all(key in got for key in keys)
    assert nothing and blank_rows and read == blank_rows, (nothing, read, blank_rows)


def test_a_row_of_blank_cells_printed_by_lines_is_read_blank() -> None:
    truth = consistent_report("2019", 3)
    row = truth.tables.t2["art20_1"]["regulation"]
    for key, cell in row.items():
        row[key] = Cell(raw="", value=None, at=cell.at)
    data = load_forms()["cell-lines"].make(truth, random.Random(3))
    parsed = parse_bytes(data, "cell-lines.txt")
    assert parsed.tables.t2["art20_1"]["regulation"] and all(
        is_blank(cell.raw) for cell in parsed.tables.t2["art20_1"]["regulation"].values())
    assert not score(truth, parsed).wrong


def test_the_last_row_of_a_block_printed_blank_is_read_blank() -> None:
    """A blank 行政许可 before the next block's caption: its empty line sets it apart as well."""
    truth = consistent_report("2021", 3)
    row = truth.tables.t2["art20_5"]["admin_license"]
    for key, cell in row.items():
        row[key] = Cell(raw="", value=None, at=cell.at)
    parsed = parse_bytes(load_forms()["cell-lines"].make(truth, random.Random(3)), "cell-lines.txt")
    assert {key: cell.raw for key, cell in parsed.tables.t2["art20_5"]["admin_license"].items()} == {
        key: "" for key in row}
    assert not score(truth, parsed).wrong
