"""Render random consistent reports in every text flattening, parse them back, compare every cell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao import parse_bytes
from nianbao.render import STYLES, render_text

from .factory import cells_of, consistent_report


@settings(max_examples=40, deadline=None)
@given(template=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 10_000), style=st.sampled_from(STYLES))
def test_parse_undoes_render(template: str, seed: int, style: str) -> None:
    report = consistent_report(template, seed)
    parsed = parse_bytes(render_text(report, style).encode("utf-8"), f"r.{style}")
    assert parsed.template == template
    assert (parsed.meta.agency, parsed.meta.year, parsed.meta.published) == (
        report.meta.agency, report.meta.year, report.meta.published)
    assert cells_of(parsed) == cells_of(report)
    assert not [f for f in parsed.findings if f.severity == "error"]
