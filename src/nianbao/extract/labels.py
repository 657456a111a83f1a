"""Printed label → official key: normalisation and matching that tolerates the variants of real reports.

Matching is exact first (a label followed by a parenthetical note of the agency's is still exact), then by
fragment (a label cut short or glued to its neighbour), then by similarity for typos; every match returns
all keys it could mean, never a silent pick.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..values import squash

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．,]|[(][一二三四五六七八九十\d]+[)]|\d{1,2}[.．、,](?!\d)|[#]+)"
)
_PREFIX = re.compile(r"^(?:表[一二三四五六七八九十\d]+[:：]?)")
_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_OPEN_NOTE = re.compile(r"[(（][^()（）]*$")
"""A note opened after a label and left open: its text wraps onto the lines after (``规章（含以本机关名义``)."""
_NOTES = re.compile(r"[(（][^()（）]*[)）]")
"""Parenthetical notes anywhere in a text (a unit, how to count) after the labels they follow."""
"""A parenthetical note ending a label: ``规章（含以本机关名义印发的文件）``."""
_PUNCT = re.compile(r"[()（）\[\]【】“”\"'‘’「」『』,，、。.．:：;；《》!！?？\-—_*|/\\]")


_CACHED = 65_536
"""Matches a label index remembers, of each kind."""


@lru_cache(maxsize=8192)
def norm_label(text: str) -> str:
    """Fold widths and quotes, drop whitespace, leading numbering and punctuation."""
    folded = squash(unicodedata.normalize("NFKC", text))
    folded = _PREFIX.sub("", folded)
    previous = None
    while previous != folded:
        previous = folded
        folded = _NUMBERING.sub("", folded)
    return _PUNCT.sub("", folded)


def is_numbered(text: str) -> bool:
    """Whether the text begins with a row's numbering (``一、``, ``（一）``, ``1.``)."""
    return bool(_NUMBERING.match(squash(unicodedata.normalize("NFKC", text))))


@dataclass(frozen=True, slots=True)
class Match:
    """The keys a piece of text may stand for, and how it matched (exact, fragment, fuzzy)."""

    keys: frozenset[str]
    how: str
    unique: str | None = field(init=False, compare=False, repr=False)
    """The one key, when there is only one (asked for often: set once)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "unique", next(iter(self.keys)) if len(self.keys) == 1 else None)


NO_MATCH = Match(frozenset(), "none")


def _last_printed(normed: str, contained: list[tuple[str, str]], heads: frozenset[str]) -> list[tuple[str, str]]:
    """The (key, label) of ``contained`` less the labels of groups (``heads``) that another starts after the end of:
    a group's label printed before a row's on its line (``三、本年度办理结果（一）予以公开``) names no row of its own.
    Two rows' labels stay: a reader that joined them shows neither's values."""
    starts = [normed.rfind(label) for _, label in contained]
    return [(key, label) for key, label in contained
            if key not in heads or not any(normed.rfind(label) + len(label) <= start for start in starts)]


class LabelIndex:
    """Official labels of one table (keys with their printed labels and variants)."""

    def __init__(self, labels: Iterable[tuple[str, str]], min_fragment: int, fuzzy_ratio: float,
                 max_chars: int, heads: Iterable[str] = ()) -> None:
        self._labels: list[tuple[str, str]] = []
        for key, label in labels:
            normed = norm_label(label)
            if normed and (key, normed) not in self._labels:
                self._labels.append((key, normed))
        self._exact: dict[str, set[str]] = {}
        for key, normed in self._labels:
            self._exact.setdefault(normed, set()).add(key)
        self._min_fragment = min_fragment
        self._fuzzy_ratio = fuzzy_ratio
        self._max_chars = max_chars
        self._heads = frozenset(heads)
        """The keys of groups' labels (a row heading others)."""
        self._cache: tuple[dict[str, Match], dict[str, Match]] = ({}, {})
        """Matches already made, by text: exact ones, then fuzzy ones."""

    @property
    def min_fragment(self) -> int:
        """The shortest text matched as part of a label (``min_fragment_chars``): a shorter one tells nothing."""
        return self._min_fragment

    def whole(self, text: str) -> frozenset[str]:
        """Keys whose whole label the text is (a note in brackets after it aside); empty for any other text."""
        match = self.match(text)
        return match.keys if match.how == "exact" else frozenset()

    @property
    def max_chars(self) -> int:
        """The longest text taken as a label (``label_max_chars``), folded."""
        return self._max_chars

    def match(self, text: str, fuzzy: bool = False) -> Match:
        """Keys the text may name; empty when it names none."""
        cache = self._cache[fuzzy]
        cached = cache.get(text)
        if cached is None:
            if len(cache) >= _CACHED:
                cache.clear()  # a long run of reports with ever new texts: memory stays bounded
            cached = cache[text] = self._match(text, fuzzy)
        return cached

    def _match(self, text: str, fuzzy: bool) -> Match:
        normed = norm_label(text)
        if not normed or len(normed) > self._max_chars:
            return NO_MATCH
        exact = self._exact.get(normed) or self._noted(text)
        if exact:
            return Match(frozenset(exact), "exact")
        if len(normed) >= self._min_fragment:
            inside = {key for key, label in self._labels if normed in label}
            if inside:
                return Match(frozenset(inside), "fragment")
            contained = _last_printed(normed, self._contained(normed), self._heads)
            if contained:
                longest = max(len(label) for _, label in contained)
                return Match(frozenset(k for k, label in contained if len(label) == longest), "contains")
        if fuzzy and len(normed) >= self._min_fragment:
            return self._fuzzy(normed)
        return NO_MATCH

    def before_contained(self, text: str) -> str:
        """The text printed before the label a text ``contains`` (see ``match``), normalised, notes left out: another
        row's label a reader joined in front of it (a label printed alone on the line above a row's), or nothing."""
        normed = norm_label(_NOTES.sub("", squash(text)))
        found = [label for _, label in _last_printed(normed, self._contained(normed), self._heads)]
        if not found or normed in found:
            return ""
        return normed[:normed.index(max(found, key=len))]

    def _contained(self, normed: str) -> list[tuple[str, str]]:
        """The (key, label) of every label long enough to tell (``min_fragment``) that a normalised text holds."""
        return [(key, label) for key, label in self._labels if len(label) >= self._min_fragment and label in normed]

    def _noted(self, text: str) -> set[str] | None:
        """The keys of the label that ``text`` prints with a parenthetical note after it (or opening one it wraps)."""
        squashed = squash(text)
        bare = _OPEN_NOTE.sub("", _NOTE.sub("", squashed))
        return self._exact.get(norm_label(bare)) if bare != squashed else None

    def _fuzzy(self, normed: str) -> Match:
        best: dict[str, float] = {}
        for key, label in self._labels:
            matcher = SequenceMatcher(None, normed, label, autojunk=False)
            if matcher.real_quick_ratio() < self._fuzzy_ratio or matcher.quick_ratio() < self._fuzzy_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= self._fuzzy_ratio:
                best[key] = max(ratio, best.get(key, 0.0))
        if not best:
            return NO_MATCH
        top = max(best.values())
        return Match(frozenset(k for k, r in best.items() if r == top), "fuzzy")
