"""Report → documents in the official format: DOCX, HTML, Markdown and plain text."""

from __future__ import annotations

from ..report import Report
from .html import render_html
from .text import STYLES, render_text

FORMATS = ("docx", "html", "md", "txt")

__all__ = ["FORMATS", "STYLES", "render", "render_html", "render_text"]


def render(report: Report, fmt: str, style: str = "tabs") -> bytes:
    """The report as the bytes of a ``fmt`` file (docx, html, md or txt in ``style``)."""
    if fmt == "docx":
        from .docx import render_docx  # python-docx is an optional dependency

        return render_docx(report)
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "md":
        return render_text(report, "markdown").encode("utf-8")
    if fmt == "txt":
        return render_text(report, style).encode("utf-8")
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
