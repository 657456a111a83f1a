"""Variation generator: random reports rendered through every form a user meets, to measure how
general the parser is (bench/bench_variants.py runs it at scale, tests/test_variants.py a fixed sample).

A form turns a Report into the bytes of one file, the way some tool a user meets would print it.
Each form module registers its forms with ``@form(name, suffix)``; the registry is ``FORMS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from nianbao.report import Report

Make = Callable[[Report, random.Random], bytes]


@dataclass(frozen=True, slots=True)
class Form:
    """One way a report reaches a user: its name, file suffix, maker and the system tools it needs."""

    name: str
    suffix: str
    make: Make
    needs: tuple[str, ...] = ()


FORMS: dict[str, Form] = {}


def form(name: str, suffix: str, needs: tuple[str, ...] = ()) -> Callable[[Make], Make]:
    """Register ``make`` as the form ``name`` (files end in ``suffix``; ``needs`` names executables)."""
    def register(make: Make) -> Make:
        if name in FORMS:
            raise ValueError(f"form {name} registered twice")
        FORMS[name] = Form(name, suffix, make, needs)
        return make
    return register
