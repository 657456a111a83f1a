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


def _cell_print(mark: str, dpi: int, blur: float, type_pt: float = 12) -> str | None:
    """A ruled cell holding ``mark`` in ``type_pt`` type, scanned at ``dpi`` and blurred: what its shape says it is."""
    import numpy as np

    pt_per_px = 72 / dpi
    width, height = (round(v / pt_per_px) for v in CELL_PT)
    image = Image.new("L", (width, height), 255)
    pen = ImageDraw.Draw(image)
    pen.rectangle((5, 5, width - 6, height - 6), outline=0, width=2)
    pen.text((width // 2, height // 2), mark, font=ImageFont.truetype(str(FONT), round(type_pt / pt_per_px)), fill=0,
             anchor="mm")
    settings = ScanSettings()
    scan = find_rules(np.asarray(image.filter(ImageFilter.GaussianBlur(blur))), pt_per_px, settings)
    box = reread.print_in(scan, (0, 0, *CELL_PT), pt_per_px, settings)
    assert box is not None, "the mark is print, not a speck"
    return reread.dash_in(scan.text_ink, box, pt_per_px, settings)


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize(("dpi", "blur", "type_pt"), [(150, 0.6, 12), (150, 1.2, 12), (200, 1.2, 12), (300, 1.2, 12),
                                                      (180, 1.0, 9), (200, 1.2, 10.5)])
def test_a_blurred_hyphen_is_a_dash(dpi: int, blur: float, type_pt: float) -> None:
    # at 150 dpi and blur 1.2 the bar's box is 2.9 pt tall: a hairline thickened by the blur; in small type the
    # blur leaves the bar's box only 1.3-1.5 times as long as tall
    assert _cell_print("-", dpi, blur, type_pt) == "-"


@pytest.mark.usefixtures("font")
@pytest.mark.parametrize("mark", [".", "、", "。"])
@pytest.mark.parametrize(("dpi", "type_pt"), [(150, 12), (200, 12), (150, 9), (180, 10.5), (300, 10.5)])
def test_round_marks_are_no_dash(mark: str, dpi: int, type_pt: float) -> None:
    assert _cell_print(mark, dpi, 1.2, type_pt) is None
