"""Report → documents in the official format (text styles for now); the inverse of parsing."""

from .text import STYLES, render_text

__all__ = ["STYLES", "render_text"]
