"""Scans: the report printed, photocopied and scanned, as an image PDF or a multi-page TIFF.

The renderer's DOCX is converted to PDF by LibreOffice and rasterised by ``pdftoppm`` at 150–300 dpi; each
page is then turned by up to ±1.2°, lightly blurred, given sensor noise and JPEG-compressed at quality
55–80, as a photocopy-and-scan leaves it. ``scan-pdf`` saves the pages as a PDF of pictures (no text layer),
``scan-tiff`` as one multi-page TIFF stating its resolution.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from nianbao.render import render
from nianbao.report import Report

from . import form

DPI = (150, 300)
MAX_TURN_DEG = 1.2
BLUR_RADIUS = (0.3, 0.9)
NOISE_SIGMA = (3.0, 9.0)
JPEG_QUALITY = (55, 80)
TOOL_TIMEOUT_S = 180


def report_pdf(report: Report) -> bytes:
    """The renderer's DOCX of the report, converted to PDF by LibreOffice (the last few are kept: both scan
    forms of one report convert it once)."""
    return _docx_to_pdf(render(report, "docx"))


@lru_cache(maxsize=4)
def _docx_to_pdf(docx: bytes) -> bytes:
    """A DOCX converted to PDF by LibreOffice, with a profile of its own (conversions may run in parallel)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as tmp:
        folder = Path(tmp)
        (folder / "report.docx").write_bytes(docx)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(folder / "report.docx")],
                       capture_output=True, check=True, timeout=TOOL_TIMEOUT_S)
        return (folder / "report.pdf").read_bytes()


def rasterise(pdf: bytes, dpi: int) -> list[object]:
    """The pages of a PDF as grey Pillow images at ``dpi``."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as tmp:
        folder = Path(tmp)
        (folder / "report.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(folder / "report.pdf"), str(folder / "page")],
                       capture_output=True, check=True, timeout=TOOL_TIMEOUT_S)
        pages = []
        for path in sorted(folder.glob("page*.png")):
            with Image.open(path) as page:
                pages.append(page.copy())
        return pages


def degrade(page: object, rng: random.Random) -> object:
    """A page as a photocopy-and-scan leaves it: turned, blurred, noisy, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageFilter

    assert isinstance(page, Image.Image)
    turned = page.rotate(rng.uniform(-MAX_TURN_DEG, MAX_TURN_DEG), resample=Image.Resampling.BICUBIC,
                         expand=False, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(rng.uniform(*BLUR_RADIUS)))
    pixels = np.asarray(blurred, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0.0, rng.uniform(*NOISE_SIGMA), pixels.shape)
    noisy = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    buffer = BytesIO()
    noisy.save(buffer, "JPEG", quality=rng.randint(*JPEG_QUALITY))
    with Image.open(BytesIO(buffer.getvalue())) as jpeg:
        return jpeg.convert("L")


def scanned_pages(report: Report, rng: random.Random) -> tuple[list[object], int]:
    """The report's pages scanned at a random resolution, and that resolution."""
    dpi = rng.randint(*DPI)
    return [degrade(page, rng) for page in rasterise(report_pdf(report), dpi)], dpi


@form("scan-pdf", ".pdf", needs=("soffice", "pdftoppm"))
def scan_pdf(report: Report, rng: random.Random) -> bytes:
    """The scan as a PDF of page pictures, without a text layer."""
    pages, dpi = scanned_pages(report, rng)
    buffer = BytesIO()
    first, *rest = pages
    first.save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=rest)  # type: ignore[attr-defined]
    return buffer.getvalue()


@form("scan-tiff", ".tif", needs=("soffice", "pdftoppm"))
def scan_tiff(report: Report, rng: random.Random) -> bytes:
    """The scan as one multi-page TIFF stating its resolution."""
    pages, dpi = scanned_pages(report, rng)
    buffer = BytesIO()
    first, *rest = pages
    first.save(buffer, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw", save_all=True,  # type: ignore[attr-defined]
               append_images=rest)
    return buffer.getvalue()
