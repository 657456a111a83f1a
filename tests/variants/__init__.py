"""Variation generator: random reports rendered through every form a user meets, to measure how
general the parser is (bench/bench_variants.py runs it at scale, tests/test_variants.py a fixed sample).

A form turns a Report into the bytes of one file, the way some tool a user meets would print it.
Each form module registers its forms with ``@form(name, suffix)``; the registry is ``FORMS``.
A form whose tool is slow to start (LibreOffice) may also register a batch maker with
``@batch(name)``, which prints many reports in one run of the tool; ``Form.make_all`` uses it.
``load_forms()`` imports every module of this package so that all their forms register.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from nianbao.report import Report

Make = Callable[[Report, random.Random], bytes]
MakeMany = Callable[[Sequence[tuple[Report, random.Random]]], list[bytes]]


@dataclass(frozen=True, slots=True)
class Form:
    """One way a report reaches a user: its name, file suffix, maker and the system tools it needs."""

    name: str
    suffix: str
    make: Make
    needs: tuple[str, ...] = ()
    sample: int | None = None
    """How many files of this form tests/test_variants.py makes (None: its default); slow forms set fewer."""

    def missing(self) -> list[str]:
        """The executables this form needs that are not installed."""
        return [tool for tool in self.needs if shutil.which(tool) is None]

    def make_all(self, jobs: Sequence[tuple[Report, random.Random]]) -> list[bytes]:
        """The file of every (report, rng), in one batch when the form has a batch maker."""
        many = BATCHES.get(self.name)
        return many(jobs) if many else [self.make(report, rng) for report, rng in jobs]

    def files(self, jobs: Sequence[tuple[Report, random.Random]], seconds: float) -> Iterator[bytes]:
        """The files of ``jobs`` in order, until ``seconds`` have passed since the first was asked for (at
        least one file): slow forms (OCR scans) give fewer files, batch makers give them all."""
        start = time.perf_counter()
        if self.name in BATCHES:
            yield from self.make_all(jobs)
            return
        for count, (report, rng) in enumerate(jobs):
            if count and time.perf_counter() - start > seconds:
                return
            yield self.make(report, rng)


FORMS: dict[str, Form] = {}
BATCHES: dict[str, MakeMany] = {}


def form(name: str, suffix: str, needs: tuple[str, ...] = (), sample: int | None = None) -> Callable[[Make], Make]:
    """Register ``make`` as the form ``name`` (files end in ``suffix``; ``needs`` names executables;
    ``sample`` how many files the test sample makes, for forms slow to make or to parse)."""
    def register(make: Make) -> Make:
        if name in FORMS:
            raise ValueError(f"form {name} registered twice")
        FORMS[name] = Form(name, suffix, make, needs, sample)
        return make
    return register


def batch(name: str) -> Callable[[MakeMany], MakeMany]:
    """Register ``make_many`` as the batch maker of the form ``name``."""
    def register(make_many: MakeMany) -> MakeMany:
        if name in BATCHES:
            raise ValueError(f"batch maker of {name} registered twice")
        BATCHES[name] = make_many
        return make_many
    return register


def load_forms() -> dict[str, Form]:
    """Import every module of this package (each registers its forms) and return the registry."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return FORMS
