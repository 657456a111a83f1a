"""Table specs + metric dictionary → Frictionless data package descriptor (``datapackage.json``) and the CODEBOOK.md
rendered from it.

Generated from ``tables``, never written by hand; holds no timestamps, so exports stay byte-identical.
"""

from __future__ import annotations

from typing import Any

from ..schema import cell_labels
from ..schema.metrics import metric_dictionary
from .tables import Column, Spec

MEDIATYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "json": "application/json",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PACKAGE_NAME = "nianbao-corpus"
PACKAGE_TITLE = "政府信息公开工作年度报告语料（nianbao 导出）"
PACKAGE_DESCRIPTION = ("nianbao 语料库中的报告、表格单元格、审核发现和正文章节，以及表二、表三、表四的宽表视图。"
                       "官方格式印有标签的字段，以该标签为标题。值为空表示原文未载数值；`raw` 保留原印内容。")


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "title": column.title, "description": column.description,
                             "type": column.kind}
    if column.constraints:
        field["constraints"] = dict(column.constraints)
    return field


def _resource(spec: Spec, fmt: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field(c) for c in spec.exported()], "missingValues": [""],
                              "primaryKey": list(spec.primary_key)}
    if spec.foreign_key:
        schema["foreignKeys"] = [{"fields": spec.foreign_key, "reference": {"resource": "reports", "fields": "id"}}]
    resource = {"name": spec.name, "path": f"{spec.name}.{fmt}", "profile": "tabular-data-resource",
                "title": spec.title, "description": spec.description, "format": fmt,
                "mediatype": MEDIATYPES[fmt], "schema": schema}
    if fmt in ("csv", "json"):
        resource["encoding"] = "utf-8"
    return resource


def metrics_descriptor() -> dict[str, Any]:
    """The metric dictionary as the data package states it (a custom property: version, about, every metric)."""
    dictionary, labels = metric_dictionary(), cell_labels()
    return {"version": dictionary.version, "about": dictionary.about, "metrics": [
        {"key": m.key, "name": m.name, "kind": m.kind, "definition": m.definition, "formula": m.formula(labels),
         "numerator": list(m.numerator), "denominator": list(m.denominator), "scale": m.scale, "unit": m.unit,
         "version": m.version} for m in dictionary.metrics.values()]}


def datapackage(specs: tuple[Spec, ...], fmt: str) -> dict[str, Any]:
    """The Frictionless descriptor of an export of ``specs`` in ``fmt``, with the metric dictionary it goes with."""
    return {"profile": "tabular-data-package", "name": PACKAGE_NAME, "title": PACKAGE_TITLE,
            "description": PACKAGE_DESCRIPTION, "resources": [_resource(s, fmt) for s in specs],
            "metrics": metrics_descriptor()}


def _constraint(name: str, value: Any) -> str:
    if value is True:
        return name
    return f"{name} {' | '.join(map(str, value)) if isinstance(value, list) else value}"


def _constraints(field: dict[str, Any]) -> str:
    return "; ".join(_constraint(k, v) for k, v in field.get("constraints", {}).items())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_markdown(package: dict[str, Any]) -> str:
    """CODEBOOK.md: one section per resource, one table row per field."""
    lines = [f"# {package['title']}", "", package["description"], ""]
    for resource in package["resources"]:
        schema = resource["schema"]
        lines += [f"## {resource['name']} — {resource['title']}", "", f"文件 `{resource['path']}`。"
                  f"{resource['description']}", "", f"主键：{'、'.join(schema['primaryKey'])}。"]
        for fk in schema.get("foreignKeys", []):
            lines.append(f"`{fk['fields']}` 引用 `{fk['reference']['resource']}.{fk['reference']['fields']}`。")
        lines += ["", "| 字段名 | 标题 | 类型 | 约束 | 说明 |", "|---|---|---|---|---|"]
        lines += [f"| `{f['name']}` | {_cell(f['title'])} | {f['type']} | {_cell(_constraints(f))} | "
                  f"{_cell(f['description'])} |" for f in schema["fields"]]
        lines.append("")
    return "\n".join([*lines, *_metric_lines(package["metrics"])])


def _metric_lines(metrics: dict[str, Any]) -> list[str]:
    """The CODEBOOK section of the metric dictionary."""
    lines = [f"## 指标字典（指标口径 v{metrics['version']}）", "", metrics["about"], "",
             "| key | 指标 | 口径 | 公式 | 单位 | 版本 |", "|---|---|---|---|---|---|"]
    lines += [f"| `{m['key']}` | {_cell(m['name'])} | {_cell(m['definition'])} | {_cell(m['formula'])} | "
              f"{_cell(m['unit'])} | {m['version']} |" for m in metrics["metrics"]]
    return [*lines, ""]
