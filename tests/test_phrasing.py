"""The narrative checks on the phrasing corpus: sentences worded as real reports word them, each
with the table cells it is checked against and the findings it must (and must only) raise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from nianbao.audit import audit
from nianbao.schema import catalogue
from nianbao.skeleton import skeleton

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "phrasing.yaml").read_text(encoding="utf-8"))
INTERNAL_KEY = re.compile(r"\bt[234]\.")


def _id(case: dict[str, Any]) -> str:
    return f"{case['text'][:24]}->{','.join(case['expect']) or 'none'}"


@pytest.mark.parametrize("case", CORPUS, ids=[_id(c) for c in CORPUS])
def test_sentence(case: dict[str, Any]) -> None:
    template = case.get("template", "2021")
    report = skeleton(template, "临水县人民政府", 2020 if template == "2019" else 2023, dict(case["cells"]))
    report.sections["overview"] = case["text"]
    found = [f for f in audit(report).findings if f.rule.startswith("X.")]
    assert sorted(f.rule for f in found) == sorted(case["expect"]), [f.message for f in found]
    for f in found:
        assert case["text"].rstrip("。") in f.message and not INTERNAL_KEY.search(f.message)
        assert f.at == [{"text": case["text"]}]


def test_the_corpus_is_large_and_covers_every_narrative_rule_both_ways() -> None:
    assert len(CORPUS) >= 150
    narrative = {r.id for r in catalogue().rules if r.id.startswith("X.") and r.id != "X.year"}
    flagged = {rule for case in CORPUS for rule in case["expect"]}
    assert narrative <= flagged
    for rule in narrative:
        quiet = [c for c in CORPUS if not c["expect"] and rule.split(".")[1][:6] in _id(c)]
        assert quiet or any(rule not in c["expect"] for c in CORPUS)


def test_runs_of_digits_or_numerals_too_long_to_be_counts_are_not_read() -> None:
    report = skeleton("2021", "临水县人民政府", 2023, {"t3.new_received.total": 1})
    report.sections["overview"] = ("全年共收到政府信息公开申请" + "9" * 5000 + "件。全年共收到申请"
                                   + "九" * 3000 + "件。")
    assert not [f for f in audit(report).findings if f.rule.startswith("X.")]
