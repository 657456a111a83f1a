"""The README's worked register example is what the code does: its rows, due dates and counted rows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from nianbao.register import check_register, read_register_bytes, tally_register
from nianbao.register.template import csv_header

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _example() -> bytes:
    rows = re.search(r"cat >> 申请\.csv <<'EOF'\n(.*?)\nEOF", README, re.S)
    assert rows is not None
    return csv_header("申请") + (rows.group(1) + "\n").encode()


def test_the_worked_example_checks_and_tallies_as_shown() -> None:
    register = read_register_bytes(_example(), "申请.csv")
    checked, found = check_register(register, 2025, date(2025, 12, 31))
    assert checked.findings == []
    shown = re.findall(r"^ (\d)\s+(\S+)\s+\S+\s+\S+\s+(\S+)\s+\S+\s+(\S+)", README, re.M)
    assert [(str(d.row), d.id, str(d.due), d.label) for d in found] == shown
    report = tally_register(register, 2025, "东湖街道办事处")
    t3 = report.tables.t3
    assert t3["new_received"]["total"].at == {"sheet": "申请", "rows": [2, 3]}
    assert t3["granted"]["total"].at["rows"] == [2] and t3["carried_forward"]["total"].at["rows"] == [3]
    assert report.errors == []
