"""Application register (台账) → 表三 and 表四 with every cell traced to its rows, row checks and statutory deadlines.

Sits at the extract level of the data flow: reads a register, checks its rows, counts them into the report
contract and hands the result to the audit. ``template`` writes the blank register, ``read`` reads one,
``check`` judges its rows, ``deadlines`` counts the reply terms, ``tally`` fills the tables; the two functions
here chain them for the command line and the web.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..report import Report
from .check import Application, Case, Checked, check
from .deadlines import WARN_DAYS, Deadline, WorkCalendar, deadlines, load_holidays
from .read import Register, read_register, read_register_bytes
from .sheets import check_year
from .tally import tally
from .template import template_bytes, write_template

__all__ = ["Application", "Case", "Checked", "Deadline", "Register", "WorkCalendar", "check", "check_register",
           "deadlines", "load_holidays", "read_register", "read_register_bytes", "tally", "tally_register",
           "template_bytes", "write_template"]


def check_register(register: Register, year: int, today: date, holidays: Path | None = None,
                   warn_days: int = WARN_DAYS) -> tuple[Checked, list[Deadline]]:
    """A register's row findings and the deadline of every application open in ``year``."""
    check_year(year, register.name)
    checked = check(register, year)
    calendar = load_holidays(holidays) if holidays is not None else WorkCalendar()
    return checked, deadlines(checked.applications, calendar, today, year, warn_days)


def tally_register(register: Register, year: int, agency: str | None = None, previous: Report | None = None,
                   previous_name: str = "") -> Report:
    """The audited report of ``year`` counted from a register, carrying its row findings."""
    return tally(check(register, year), year, agency, previous, previous_name)
