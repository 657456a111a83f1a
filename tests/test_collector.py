"""Parsing with the cycle collector paused: the collector is paused during the call and as it was after it, and
generated reports read the same whether it was running or not."""

from __future__ import annotations

import gc

import pytest

from nianbao.api import parse_bytes
from nianbao.collector import collection_paused
from nianbao.render.text import render_text
from nianbao.synth import consistent_report


def test_paused_during_the_call_and_restored_after() -> None:
    seen = collection_paused(gc.isenabled)()
    assert not seen and gc.isenabled()
    gc.disable()
    try:
        assert not collection_paused(gc.isenabled)() and not gc.isenabled()  # left paused by whoever paused it
    finally:
        gc.enable()


@pytest.mark.parametrize(("template", "seed"), [("2021", 3), ("2019", 4)])
def test_a_generated_report_reads_the_same_with_the_collector_paused_or_not(template: str, seed: int) -> None:
    data = render_text(consistent_report(template, seed), "tabs").encode("utf-8")
    paused = parse_bytes(data, "report.txt")
    gc.disable()
    try:
        assert parse_bytes(data, "report.txt").to_json() == paused.to_json()
    finally:
        gc.enable()
