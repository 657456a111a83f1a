"""Corpus HTML page and generated DOCX report → milliseconds per document and per reader stage (median of runs).

Prints figures only; asserts nothing. Run: ``.venv/bin/python bench/bench_html_docx.py [runs]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import docx

from nianbao.readers import docx as docx_reader
from nianbao.readers import html as html_reader
from nianbao.settings import DEFAULTS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS_PAGE = SHARED / ("corpus/raw/zxj6827111-blip__KIROGOVCOMPARE/tests/"
                        "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局_2025-12-30.html")
DEFAULT_RUNS = 30
ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
GROUPS = [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def merged(table, r: int, c: int, rows: int, cols: int, text: str) -> None:
    cell = table.cell(r, c)
    if rows > 1 or cols > 1:
        cell = cell.merge(table.cell(r + rows - 1, c + cols - 1))
    cell.text = text


def add_t2(document) -> None:
    blocks = [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
              ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
              ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
              ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])]
    table = document.add_table(rows=sum(2 + len(rows) for _, _, rows in blocks), cols=4)
    r = 0
    for caption, headers, rows in blocks:
        merged(table, r, 0, 1, 4, caption)
        for label in ["信息内容", *rows]:
            r += 1
            table.cell(r, 0).text = label
            texts = headers if label == "信息内容" else [str(r)] * len(headers)
            if len(texts) == 1:
                merged(table, r, 1, 1, 3, texts[0])
            else:
                for k, text in enumerate(texts):
                    table.cell(r, 1 + k).text = text
        r += 1


def add_t3(document) -> None:
    table = document.add_table(rows=28, cols=10)
    merged(table, 0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    merged(table, 0, 3, 1, 7, "申请人情况")
    merged(table, 1, 3, 2, 1, "自然人")
    merged(table, 1, 4, 1, 5, "法人或其他组织")
    merged(table, 1, 9, 2, 1, "总计")
    for i, org in enumerate(ORGS):
        table.cell(2, 4 + i).text = org
    merged(table, 3, 0, 1, 3, "一、本年新收政府信息公开申请数量")
    merged(table, 4, 0, 1, 3, "二、上年结转政府信息公开申请数量")
    merged(table, 5, 0, 22, 1, "三、本年度办理结果")
    merged(table, 5, 1, 1, 2, "（一）予以公开")
    merged(table, 6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    r = 7
    for group, count in GROUPS:
        merged(table, r, 1, count, 1, group)
        for i in range(count):
            table.cell(r + i, 2).text = f"{i + 1}.情形"
        r += count
    merged(table, 26, 1, 1, 2, "（七）总计")
    merged(table, 27, 0, 1, 3, "四、结转下年度继续办理")
    for row in range(3, 28):
        for k in range(7):
            table.cell(row, 3 + k).text = str(row + k)


def add_t4(document) -> None:
    table = document.add_table(rows=4, cols=15)
    merged(table, 0, 0, 1, 5, "行政复议")
    merged(table, 0, 5, 1, 10, "行政诉讼")
    for i, label in enumerate(RESULTS):
        merged(table, 1, i, 2, 1, label)
    merged(table, 1, 5, 1, 5, "未经复议直接起诉")
    merged(table, 1, 10, 1, 5, "复议后起诉")
    for i, label in enumerate(RESULTS * 2):
        table.cell(2, 5 + i).text = label
    for i in range(15):
        table.cell(3, i).text = str(i)


def generated_docx() -> bytes:
    """A two-page report: narrative sections and the three official tables with their merged cells."""
    document = docx.Document()
    document.add_paragraph("某某县人民政府2023年政府信息公开工作年度报告")
    sections = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    tables = {1: add_t2, 2: add_t3, 3: add_t4}
    for number, heading in enumerate(sections):
        document.add_paragraph(heading)
        for _ in range(3):
            document.add_paragraph("本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，" * 4)
        if number in tables:
            tables[number](document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bench_html(runs: int) -> None:
    if not CORPUS_PAGE.is_file():
        print(f"html: skipped ({CORPUS_PAGE} not found)")
        return
    data = CORPUS_PAGE.read_bytes()
    text, _ = html_reader.decode_html(data)

    def parsed_and_marked():
        root = html_reader._parse(text, "bench")
        html_reader._mark_breaks(root)
        return root

    def taken():
        root = parsed_and_marked()
        grids = html_reader._take_tables(root)
        html_reader._mark_layout_tables(root)
        return root, grids

    stages = {
        "decode": median_ms(lambda: html_reader.decode_html(data), runs),
        "parse (libxml2)": median_ms(lambda: html_reader._parse(text, "bench"), runs),
    }
    stages["mark blocks"] = median_ms(parsed_and_marked, runs) - stages["parse (libxml2)"]
    stages["tables"] = median_ms(taken, runs) - stages["parse (libxml2)"] - stages["mark blocks"]
    prepared = [taken() for _ in range(runs)]
    stages["paragraphs + grids"] = median_ms(lambda: html_reader._blocks(*prepared.pop()), runs)
    total = median_ms(lambda: html_reader.read(data, str(CORPUS_PAGE), DEFAULTS), runs)
    report("html", f"{CORPUS_PAGE.name} ({len(data) // 1024} KiB)", total, stages)


def bench_docx(runs: int) -> None:
    data = generated_docx()

    def walked():
        walk = docx_reader._Walk()
        walk.container(body)
        return walk

    body = docx_reader._body(data, "bench")
    stages = {"open (python-docx)": median_ms(lambda: docx_reader._body(data, "bench"), runs),
              "walk body + grids": median_ms(walked, runs)}
    total = median_ms(lambda: docx_reader.read(data, "bench.docx", DEFAULTS), runs)
    report("docx", f"generated report ({len(data) // 1024} KiB, tables 14×4, 28×10, 4×15)", total, stages)


def report(name: str, what: str, total: float, stages: dict[str, float]) -> None:
    print(f"{name}: {total:.2f} ms per document — {what}")
    for stage, ms in stages.items():
        print(f"    {stage:<22} {ms:7.2f} ms")
    slowest = max(stages, key=lambda k: stages[k])
    print(f"    slowest stage: {slowest}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RUNS
    print(f"median of {runs} runs")
    bench_html(runs)
    bench_docx(runs)


if __name__ == "__main__":
    main()
