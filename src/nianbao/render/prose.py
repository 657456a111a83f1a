"""Report → the fixed wording around the tables: title, intro paragraph, headings, signature.

Shared by every output format; the intro follows the conventional content (legal basis, the six
parts, statistics period, where to download, contact details).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..schema import formats

if TYPE_CHECKING:
    from ..report import Report

HEADINGS = tuple(section.heading for section in formats().sections)
_CONTACT_LABELS = (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("fax", "传真"), ("email", "电子邮箱"))


def title(report: Report) -> str:
    """``<agency><year>年政府信息公开工作年度报告``."""
    year = f"{report.meta.year}年" if report.meta.year else ""
    return f"{report.meta.agency or ''}{year}政府信息公开工作年度报告"


def intro(report: Report) -> str:
    """The paragraph before section 一."""
    meta = report.meta
    template = formats().templates.get(report.template or "")
    notice = template.notice if template else ""
    basis = f"和《中华人民共和国政府信息公开工作年度报告格式》（{notice}）" if notice else ""
    contents = "、".join(section.label.replace("、", "和") for section in formats().sections)
    parts = f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）{basis}要求编制，全文包括{contents}。"
    if meta.year:
        parts += f"本报告所列数据的统计期限自{meta.year}年1月1日起至{meta.year}年12月31日止。"
    contact = meta.contact
    if contact and contact.website:
        parts += f"本报告电子版可在{contact.website}下载。"
    fields = [f"{label}：{getattr(contact, key)}" for key, label in _CONTACT_LABELS
              if contact and getattr(contact, key)]
    if fields:
        parts += f"如对本报告有疑问，请与{meta.agency or '本机关'}联系（{'，'.join(fields)}）。"
    return parts


def narrative(report: Report, number: int) -> str:
    """The text printed under the 0-based section ``number`` (无。 when the report has none)."""
    return report.sections.get(formats().sections[number].key, "") or "无。"


def closing_lines(report: Report) -> list[str]:
    """Signing body and date, as printed at the end."""
    lines = []
    if report.meta.agency:
        lines.append(report.meta.agency)
    if report.meta.published:
        year, month, day = (int(p) for p in report.meta.published.split("-"))
        lines.append(f"{year}年{month}月{day}日")
    return lines
