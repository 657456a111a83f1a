"""Narrative text → the portals it names (门户网站、政府网站), each with the text just around it.

What Q.foreign_place reads (``wording``). Found once per report where it is parsed (in the worker) and stored in
``portals``, so that the cross-report audit reads a few short windows per report instead of every narrative of
the corpus. The text is the report's sections joined in the order of their keys, whitespace removed; each window
holds at most ``BEFORE_CHARS`` characters before the portal's name and ``AFTER_CHARS`` after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..values import unspaced

PORTAL = re.compile(r"(?=[人门政])(?:人民政府)?(?:门户网站|政府网站|政务网站|政府网(?!站))")
"""A portal's name; the lookahead (the characters a name can start with) lets the scan skip the others fast."""
BEFORE_CHARS = 32
"""The most characters before a portal's name that the rule's settings may read (the place, the quote)."""
AFTER_CHARS = 16

Mention = tuple[int, str, str, str]
"""Where a portal's name starts in the joined text, the text before it, the name, the text after it."""


def joined_narrative(sections: Iterable[tuple[str, str]]) -> str:
    """The text of a report's sections (key, text), joined in the order of their keys, whitespace removed."""
    return unspaced("".join(text for _, text in sorted(sections)))


def portal_mentions(text: str) -> list[Mention]:
    """Each portal named in ``text`` (a ``joined_narrative``), in order, with its window."""
    return [(found.start(), text[max(0, found.start() - BEFORE_CHARS):found.start()], found.group(0),
             text[found.end():found.end() + AFTER_CHARS]) for found in PORTAL.finditer(text)]
