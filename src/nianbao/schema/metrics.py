"""metrics.json → the metric dictionary: every derived figure (key, Chinese name, 口径, formula over cell keys, unit,
version), read once; and the formula written out with the cells' printed labels."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS = ("sum", "ratio", "change", "per_population", "findings")


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric of the dictionary."""

    key: str
    name: str
    kind: str
    unit: str
    version: int
    definition: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: float = 1
    group: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every cell key the metric reads."""
        return (*self.numerator, *self.denominator)

    def value(self, numerator: float | None, denominator: float | None = None) -> float | None:
        """The metric from its summed numerator and denominator (None where the denominator is 0 or missing)."""
        if self.kind == "sum":
            return numerator
        if numerator is None or not denominator:
            return None
        if self.kind == "change":
            return round(self.scale * (numerator - denominator) / denominator, 1)
        return round(self.scale * numerator / denominator, 1)

    def formula(self, label: dict[str, str]) -> str:
        """The formula with each cell key's printed label (``label``: key → label)."""
        top = " + ".join(label.get(k, k) for k in self.numerator)
        bottom = " + ".join(label.get(k, k) for k in self.denominator)
        scale = f" × {self.scale:g}" if self.scale != 1 else ""
        if self.kind == "sum":
            return top
        if self.kind == "ratio":
            return f"({top}) ÷ ({bottom}){scale}"
        if self.kind == "change":
            return f"(本年 {top} − 上年 {top}) ÷ 上年 {top}{scale}"
        if self.kind == "per_population":
            return f"({top}) ÷ 名录人口{scale}"
        return self.definition


@dataclass(frozen=True)
class MetricDictionary:
    """All metrics and the dictionary's version (every output names it)."""

    version: str
    about: str
    metrics: dict[str, Metric]

    def __getitem__(self, key: str) -> Metric:
        return self.metrics[key]

    @property
    def label(self) -> str:
        """How outputs name the version used."""
        return f"指标口径 v{self.version}"


@cache
def metric_dictionary() -> MetricDictionary:
    """The metric dictionary, read from ``metrics.json``."""
    data = json.loads((Path(__file__).with_name("metrics.json")).read_text(encoding="utf-8"))
    metrics = {}
    for item in data["metrics"]:
        metric = Metric(item["key"], item["name"], item["kind"], item["unit"], int(item["version"]),
                        item["definition"], tuple(item.get("numerator", ())), tuple(item.get("denominator", ())),
                        float(item.get("scale", 1)), item.get("group"))
        if metric.kind not in KINDS:
            raise ValueError(f"metrics.json: {metric.key}: unknown kind {metric.kind!r}")
        metrics[metric.key] = metric
    return MetricDictionary(str(data["version"]), data["about"], metrics)
