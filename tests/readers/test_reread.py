"""A scanned table cell OCR left blank whose print is one flat bar is a dash by its shape, though blur thickens it;
round or square marks (a dot, 、, 。) are no dash."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from nianbao.readers import reread
from nianbao.readers.ruling import find_rules
from nianbao.settings import ScanSettings

from .test_image import FONT
from .test_image import font as font  # the fixture: skips without the CJK font

CELL_PT = (80, 40)
TYPE_PT = 12


def _cell_print(mark: str, dpi: int, blur: float) -> str | None:
    """A ruled cell holding ``mark`` in TYPE_PT type, scanned at ``dpi`` and blurred: what its shape says it is."""
    import numpy as np

    pt_per_px = 72 / dpi
    width, height = (round(v / pt_per_px) for v in CELL_PT)
    image = Image.new("L", (width, height), 255)
    pen = ImageDraw.Draw(image)
    pen.rectangle((5, 5, width - 6, height - 6), outline=0, width=2)
    pen.text((width // 2, height // 2), mark, font=ImageFont.truetype(str(FONT), round(TYPE_PT / pt_per_px)), fill=0,
             anchor="mm")
    settings = ScanSettings()
    scan = find_rules(np.asarray(image.filter(ImageFilter.GaussianBlur(blur))), pt_per_px, settings)
    box = reread._print_in(scan, (0, 0, *CELL_PT), pt_per_px, settings)
    assert box is not None, "the mark is print, not a speck"
    return reread._dash(scan.text_ink, box, pt_per_px, settings)


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize(("dpi", "blur"), [(150, 0.6), (150, 1.2), (200, 1.2), (300, 1.2)])
def test_a_blurred_hyphen_is_a_dash(dpi: int, blur: float) -> None:
    # at 150 dpi and blur 1.2 the bar's box is 2.9 pt tall: a hairline thickened by the blur
    assert _cell_print("-", dpi, blur) == "-"


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize("mark", [".", "、", "。"])
@pytest.mark.parametrize("dpi", [150, 200])
def test_round_marks_are_no_dash(mark: str, dpi: int) -> None:
    assert _cell_print(mark, dpi, 1.2) is None
