"""Command line → a picture of what the reader saw on one page: ``nianbao debug FILE --page N -o OUT.png``.

A thin skin over ``readers.sight`` (the page as its reader saw it), ``api.parse_file`` (the cells the report placed)
and ``render.sight`` (the drawing); ``register(app)`` adds the command to the main typer app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_common import SettingsOption, settings_from
from .cli_common import console as _console
from .cli_common import fail as _fail
from .errors import NianbaoError


def debug_command(
    file: Annotated[Path, typer.Argument(help="报告文件：PDF、OFD 或扫描图片（PNG、JPEG、TIFF）。")],
    output: Annotated[Path, typer.Option("-o", "--output", help="要写出的 PNG 图片。")],
    page: Annotated[int, typer.Option("--page", min=1, help="要画的页码，从 1 开始。")] = 1,
    settings_file: SettingsOption = None,
) -> None:
    """画出解析器在一页上看到的内容，用来查明某个单元格为什么没有取到。

    页面上画出：字符框（蓝色；扫描件为文字识别的字框）、表格线（红色）、找到的表格单元格（绿色），
    以及报告取到的单元格（紫色底），按所匹配的官方行框在一起，行名写在框的左边。

    \b
    Example:
        nianbao debug report.pdf --page 3 -o page3.png
    """
    from .api import parse_file
    from .readers.sight import see_page
    from .render.sight import sight_png

    settings = settings_from(settings_file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(NianbaoError(str(file), "unreadable", f"无法读取文件：{exc.strerror or exc}")) from None
    try:
        sight = see_page(data, str(file), page, settings)
    except NianbaoError as err:
        raise _fail(err) from None
    try:
        report = parse_file(file, settings, data).report
    except NianbaoError:
        report = None  # not a report: the page is drawn without placed cells
    try:
        output.write_bytes(sight_png(sight, report))
    except OSError as exc:
        raise _fail(NianbaoError(str(output), "unwritable", f"无法写出图片：{exc.strerror or exc}")) from None
    placed = "" if report is None else "，报告取到的单元格按行框出"
    _console().print(f"已写出 {output}：第 {page} 页，{len(sight.chars)} 个字符、{len(sight.edges)} 条表格线、"
                     f"{len(sight.cells)} 个单元格{placed}")


def register(app: typer.Typer) -> None:
    """Add ``debug`` to the ``nianbao`` command."""
    app.command("debug")(debug_command)
