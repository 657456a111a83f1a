"""The reader registry: every readable format has a reader, found by content; a reader whose own import is broken
fails loudly instead of passing for an unsupported format or a missing optional package."""

from __future__ import annotations

import sys

import pytest

from nianbao import readers
from nianbao.errors import NianbaoError
from nianbao.readers import FORMAT_SUFFIXES, SUFFIXES, read_bytes

HTML = "<html><body><p>二〇二三年度政府信息公开工作年度报告</p></body></html>".encode()


@pytest.mark.parametrize("fmt", sorted(FORMAT_SUFFIXES))
def test_every_readable_format_has_a_reader(fmt: str) -> None:
    try:
        assert callable(readers._reader(fmt, f"report{FORMAT_SUFFIXES[fmt][0]}"))
    except NianbaoError as err:  # an optional package not installed is said so, never "unsupported"
        assert err.code == "missing_dependency", err


def test_the_suffixes_searched_are_those_of_the_readable_formats() -> None:
    assert {s for suffixes in FORMAT_SUFFIXES.values() for s in suffixes} == SUFFIXES
    assert {".tif", ".tiff", ".htm", ".md"} <= SUFFIXES


def test_a_broken_import_inside_a_reader_is_raised_not_called_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(readers._READERS, "html", raising=False)
    monkeypatch.setitem(sys.modules, "nianbao.readers.html", None)  # importing the module fails
    with pytest.raises(ModuleNotFoundError):
        read_bytes(HTML, "report.html")
