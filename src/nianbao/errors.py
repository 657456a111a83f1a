"""The one exception nianbao raises for an input it cannot read, with a code and a message."""

from __future__ import annotations


class NianbaoError(Exception):
    """An input could not be read as a report: names the file and the reason."""

    def __init__(self, path: str, code: str, reason: str) -> None:
        self.path = path
        self.code = code
        self.reason = reason
        super().__init__(f"{path}: {reason}")
