"""Scans: the report printed, photocopied and scanned, as an image PDF or a multi-page TIFF.

The renderer's DOCX (in its drawing) is converted to PDF by LibreOffice (batched and cached, see ``office``)
and rasterised by ``pdftoppm`` at 150–300 dpi; each page is then turned by up to ±1.2°, lightly blurred, given
sensor noise and JPEG-compressed at quality 55–80, as a photocopy-and-scan leaves it. ``scan-pdf`` saves the
pages as a PDF of pictures (no text layer), ``scan-tiff`` as one multi-page TIFF stating its resolution.
``pdf-unmapped`` is LibreOffice's PDF with its fonts' Unicode maps taken out, as some PDF printers embed fonts:
the page prints right, but its text layer is garbage and only the print can be read. OCR is slow (about a
second a page), so the test sample makes few of them.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from nianbao.report import Report

from . import batch, form
from .office import docx_of, libreoffice, pdfs_of

DPI = (150, 300)
MAX_TURN_DEG = 1.2
BLUR_RADIUS = (0.3, 0.9)
NOISE_SIGMA = (3.0, 9.0)
JPEG_QUALITY = (55, 80)
TOOL_TIMEOUT_S = 180
SAMPLE = 2
"""Files of each scan form in the test sample."""


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """The pages of a PDF as grey Pillow images at ``dpi``."""
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


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """A page as a photocopy-and-scan leaves it: turned, blurred, noisy, JPEG-compressed."""
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


def _scanned(pdf: bytes, rng: random.Random) -> tuple[list[Image.Image], int]:
    """The pages of a PDF scanned at a random resolution, and that resolution."""
    dpi = rng.randint(*DPI)
    return [degrade(page, rng) for page in rasterise(pdf, dpi)], dpi


def _scans(jobs: Sequence[tuple[Report, random.Random]]) -> list[tuple[list[Image.Image], int]]:
    pdfs = libreoffice([docx_of(report) for report, _ in jobs], "pdf")
    return [_scanned(pdf, rng) for pdf, (_, rng) in zip(pdfs, jobs, strict=True)]


def _image_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    buffer = BytesIO()
    first, *rest = pages
    first.save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return buffer.getvalue()


def _tiff(pages: list[Image.Image], dpi: int) -> bytes:
    buffer = BytesIO()
    first, *rest = pages
    first.save(buffer, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw", save_all=True, append_images=rest)
    return buffer.getvalue()


@batch("scan-pdf")
def scan_pdfs(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """Each report scanned into a PDF of page pictures, without a text layer."""
    return [_image_pdf(*scan) for scan in _scans(jobs)]


@form("scan-pdf", ".pdf", needs=("soffice", "pdftoppm"), sample=SAMPLE)
def scan_pdf(report: Report, rng: random.Random) -> bytes:
    """The scan as a PDF of page pictures, without a text layer."""
    return scan_pdfs([(report, rng)])[0]


@batch("scan-tiff")
def scan_tiffs(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """Each report scanned into one multi-page TIFF stating its resolution."""
    return [_tiff(*scan) for scan in _scans(jobs)]


@form("scan-tiff", ".tif", needs=("soffice", "pdftoppm"), sample=SAMPLE)
def scan_tiff(report: Report, rng: random.Random) -> bytes:
    """The scan as one multi-page TIFF stating its resolution."""
    return scan_tiffs([(report, rng)])[0]


@batch("pdf-unmapped")
def unmapped_pdfs(jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
    """Each report's LibreOffice PDF with every font's Unicode map unnamed (the key keeps its length, so the file's
    cross-reference offsets still hold): a viewer shows the page, text extraction gives garbage."""
    return [pdf.replace(b"/ToUnicode", b"/NoUnicode") for pdf in pdfs_of(jobs)]


@form("pdf-unmapped", ".pdf", needs=("soffice",), sample=SAMPLE)
def unmapped_pdf(report: Report, rng: random.Random) -> bytes:
    """A PDF whose fonts carry no Unicode map."""
    return unmapped_pdfs([(report, rng)])[0]
