"""Report → documents in the official format: DOCX, HTML, Markdown and plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .html import render_html
from .layout import DEFAULT, Layout
from .text import STYLES, render_text

if TYPE_CHECKING:
    from ..report import Report

FORMATS = ("docx", "html", "md", "txt")

__all__ = ["FORMATS", "STYLES", "Layout", "render", "render_html", "render_text"]


def render(report: Report, fmt: str, style: str = "tabs", layout: Layout = DEFAULT) -> bytes:
    """The report as the bytes of a ``fmt`` file (docx, html, md or txt in ``style``), drawn as ``layout`` says."""
    if fmt == "docx":
        from .docx import render_docx  # python-docx is an optional dependency

        return render_docx(report, layout)
    if fmt == "html":
        return render_html(report, layout).encode("utf-8")
    if fmt == "md":
        return render_text(report, "markdown", layout).encode("utf-8")
    if fmt == "txt":
        return render_text(report, style, layout).encode("utf-8")
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
