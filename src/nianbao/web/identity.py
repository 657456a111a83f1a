"""Who may use the app: the users file (names with Argon2 password hashes), sign-in sessions, and the Host names
the app answers to (so that a page of another site cannot reach it by rebinding its own name to this address).

Decides nothing about what a signed-in user may do: every user may upload, review and download.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NianbaoError

SESSION_COOKIE = "nianbao_session"
SESSION_SECONDS = 12 * 3600
NAME_MAX_CHARS = 64
LOOPBACK_NAMES = frozenset({"localhost"})
_SEPARATOR = ":"


def _require_argon2() -> None:
    try:
        import argon2  # noqa: F401
    except ModuleNotFoundError:
        raise NianbaoError("--auth", "missing_dependency",
                           "sign-in needs the package 'argon2-cffi': pip install 'nianbao[web]'") from None


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS or _SEPARATOR in name or not name.isprintable():
        raise NianbaoError(name, "bad_option", f"用户名须为1到{NAME_MAX_CHARS}个可打印字符，且不含冒号")
    return name


def add_user(path: str | Path, name: str, password: str) -> None:
    """Add ``name`` to the users file at ``path`` (created when missing), or change its password."""
    _require_argon2()
    from argon2 import PasswordHasher

    name = _check_name(name)
    if not password:
        raise NianbaoError(name, "bad_option", "密码不能为空")
    file = Path(path)
    lines = file.read_text(encoding="utf-8").splitlines() if file.exists() else []
    kept = [line for line in lines if line.split(_SEPARATOR, 1)[0] != name]
    kept.append(f"{name}{_SEPARATOR}{PasswordHasher().hash(password)}")
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    file.chmod(0o600)


@dataclass
class Users:
    """The users of a users file: one ``name:argon2-hash`` a line."""

    hashes: dict[str, str]

    @classmethod
    def load(cls, path: str | Path) -> Users:
        """The users in the file at ``path``; NianbaoError when it is missing or holds nobody."""
        _require_argon2()
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise NianbaoError(str(path), "unreadable", f"用户文件无法读取（{exc.strerror}）") from None
        hashes = dict(line.split(_SEPARATOR, 1) for line in text.splitlines() if _SEPARATOR in line)
        if not hashes:
            raise NianbaoError(str(path), "bad_option", "用户文件中没有用户；用 nianbao user 添加")
        return cls(hashes)

    def verify(self, name: str, password: str) -> bool:
        """True when ``password`` is ``name``'s."""
        from argon2 import PasswordHasher
        from argon2.exceptions import Argon2Error

        known = self.hashes.get(name)
        if known is None:
            return False
        try:
            return bool(PasswordHasher().verify(known, password))
        except Argon2Error:
            return False


@dataclass
class Sessions:
    """Signed-in sessions: random tokens (kept in a cookie) → user name, for SESSION_SECONDS."""

    _tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, name: str) -> str:
        """A new session of ``name``: its token."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._tokens = {t: v for t, v in self._tokens.items() if v[1] > now}
            self._tokens[token] = (name, now + SESSION_SECONDS)
        return token

    def user(self, token: str | None) -> str | None:
        """The user of a live session, or None."""
        with self._lock:
            found = self._tokens.get(token or "")
        return found[0] if found and found[1] > time.monotonic() else None

    def end(self, token: str | None) -> None:
        """End a session."""
        with self._lock:
            self._tokens.pop(token or "", None)


@dataclass(frozen=True)
class Identity:
    """Sign-in (``users`` None: nobody signs in, everyone may do everything) and the Host names answered
    (``hosts`` None: any; otherwise these names, and any IP address, which no rebinding can forge)."""

    users: Users | None = None
    hosts: frozenset[str] | None = None
    sessions: Sessions = field(default_factory=Sessions)

    def host_allowed(self, host: str) -> bool:
        """True when the app answers requests naming ``host`` (the Host header, port included or not)."""
        if self.hosts is None:
            return True
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
        name = name.strip("[]").lower()
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in self.hosts


def served_hosts(extra: Iterable[str]) -> frozenset[str]:
    """The Host names a served app answers to: localhost and the names given."""
    return frozenset({*LOOPBACK_NAMES, *(h.strip().lower() for h in extra if h.strip())})


def is_loopback(host: str) -> bool:
    """True when listening on ``host`` reaches this machine only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
