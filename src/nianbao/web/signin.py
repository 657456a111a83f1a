"""HTTP sign-in requests → a session cookie: the sign-in page and form, and signing out.

Routes only; the users and sessions are ``identity``'s. Without a users file every page is open and these
routes only say so.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .context import state
from .identity import SESSION_COOKIE, SESSION_SECONDS

router = APIRouter(include_in_schema=False)
PUBLIC_PATHS = ("/login", "/static/")


def _local(target: str) -> str:
    """``target`` when it is a path of this site, else the front page (no redirect elsewhere)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def signed_in(request: Request) -> str | None:
    """The user of the request: its session cookie, or HTTP Basic credentials (for scripts calling the API)."""
    identity = state(request).identity
    user = identity.sessions.user(request.cookies.get(SESSION_COOKIE))
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if user is None and identity.users is not None and scheme.lower() == "basic":
        try:
            name, _, password = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = name if identity.users.verify(name, password) else None
    return user


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return state(request).templates.TemplateResponse(request, "login.html", {"next": _local(next), "failed": False})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, name: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=256)],
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    """Check the name and password; on success a session cookie and back to the page asked for."""
    users = state(request).identity.users
    if users is None or not users.verify(name.strip(), password):
        return state(request).templates.TemplateResponse(request, "login.html", {"next": _local(next), "failed": True},
                                                         status_code=status.HTTP_401_UNAUTHORIZED)
    response = RedirectResponse(_local(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(SESSION_COOKIE, state(request).identity.sessions.start(name.strip()), max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session."""
    state(request).identity.sessions.end(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response
