"""The same report in every encoding and line ending gives identical cells."""

from __future__ import annotations

import codecs

import pytest

from nianbao import parse_bytes
from nianbao.render import render_text
from nianbao.synth import consistent_report

from .cells import cells_of
from .conftest import shared_path

ENCODINGS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_rendered_report_in_every_encoding(encoding: str) -> None:
    text = render_text(consistent_report("2021", 9), "cells")
    plain = cells_of(parse_bytes(text.encode("utf-8"), "r.txt"))
    assert cells_of(parse_bytes(ENCODINGS[encoding](text), "r.txt")) == plain


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_seed_in_every_encoding(encoding: str) -> None:
    text = next(shared_path("seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    plain = cells_of(parse_bytes(text.encode("utf-8"), "seed.txt"))
    assert cells_of(parse_bytes(ENCODINGS[encoding](text), "seed.txt")) == plain
