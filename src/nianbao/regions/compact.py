"""The division tables of ``data/`` → ``data/names.txt``, the sorted list of their names that ``nianbao.regions``
looks names up in, so that a process reads the rows one name names instead of indexing the tables whole.

Derived from the tables only; run ``python -m nianbao.regions.compact`` after they change (a test checks that the
shipped file is what they give).
"""

from __future__ import annotations

from collections import defaultdict

from . import DATA, DIVISIONS_FILE, MIN_NAME_CHARS, NAMES_FILE, TOWNSHIPS_FILE, DivisionRows, fields, read_lines


def names_text() -> str:
    """The text of ``names.txt``: the first and last year of the divisions, then one line per name of
    ``MIN_NAME_CHARS`` characters or more, sorted: the name, the rows of the divisions it names (their most
    specific level) and the townships it names as ``county rows:township code``, tab-separated."""
    divisions = DivisionRows(read_lines(DIVISIONS_FILE))
    by_name: dict[str, list[int]] = defaultdict(list)
    by_code: dict[str, list[int]] = defaultdict(list)
    for number in range(len(divisions.lines)):
        name, code = divisions.name_and_code(number)
        by_name[name].append(number)
        by_code[code].append(number)
    townships: dict[str, list[str]] = defaultdict(list)
    for county_code, township, township_code in map(fields, read_lines(TOWNSHIPS_FILE)[1:]):
        townships[township].append(f"{','.join(map(str, by_code.get(county_code, ())))}:{township_code}")
    years = [int(divisions.field(fields(line), column)) for line in divisions.lines
             for column in ("first_year", "last_year")]
    lines = sorted(f"{name}\t{' '.join(map(str, by_name.get(name, ())))}\t{' '.join(townships.get(name, ()))}"
                   for name in {*by_name, *townships} if len(name) >= MIN_NAME_CHARS)
    return "\n".join((f"{min(years)} {max(years)}", *lines)) + "\n"


def main() -> None:
    """Write ``data/names.txt`` (byte for byte the same from the same tables)."""
    (DATA / NAMES_FILE).write_bytes(names_text().encode("utf-8"))


if __name__ == "__main__":
    main()
