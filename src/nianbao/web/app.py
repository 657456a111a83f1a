"""Corpus database path (+ settings) → the FastAPI app: JSON API, HTML pages, local static files and API docs;
and ``serve``, which runs it with uvicorn.

Assembles the routers and the safety layer (security headers, same-origin form posts, bodies within the upload
limit, errors as pages or JSON);
holds no route logic of its own beyond the docs page.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import NianbaoError
from ..settings import Settings, resolve
from ..store.db import LOCKED, connect
from ..store.review import ensure_reviews
from . import api, correction_pages, downloads, metric_pages, pages, registers, report_pages, signin, summary_pages
from .context import STATIC, State, state
from .corpus import WAIT_SECONDS, Corpus
from .identity import Identity, Users, served_hosts
from .problems import status_words, validation_errors, validation_summary
from .signin import PUBLIC_PATHS, signed_in
from .uploads import UPLOADS_DDL

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
UNAVAILABLE = {"locked": LOCKED, "database": "报告库暂时无法打开，请稍后再试", "no_database": "报告库不存在",
               "busy": "服务器正忙，请稍后再试"}
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MULTIPART_OVERHEAD = 64 * 1024
"""Bytes a multipart body may carry beyond the file itself (boundaries, headers, the file name)."""


def _refusal(request: Request) -> Response | None:
    """A request refused before its body is read: one naming a host the app does not answer to (DNS rebinding),
    a post from another origin (scheme, host and port), or a body announced too large."""
    if not state(request).identity.host_allowed(request.headers.get("host", "")):
        return JSONResponse({"detail": "拒绝请求：主机名不在允许之列"}, status_code=status.HTTP_400_BAD_REQUEST)
    if request.method not in _UNSAFE_METHODS:
        return None
    origin = request.headers.get("origin")
    if origin and _origin(origin) != f"{request.url.scheme}://{request.url.netloc}":
        return JSONResponse({"detail": "拒绝跨站请求"}, status_code=status.HTTP_403_FORBIDDEN)
    limit = state(request).settings.reader.max_file_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
        return JSONResponse({"detail": _too_large(limit).detail}, status_code=status.HTTP_413_CONTENT_TOO_LARGE)
    return None


def _origin(origin: str) -> str:
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}"


def _unsigned(request: Request) -> Response | None:
    """When sign-in is on and the request has no user: the sign-in page for a page, 401 for the rest."""
    if state(request).identity.users is None or request.url.path.startswith(PUBLIC_PATHS):
        return None
    user = signed_in(request)
    if user is not None:
        request.state.user = user
        return None
    if request.method == "GET" and _wants_html(request):
        target = f"/login?{urlencode({'next': request.url.path})}"
        return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    return JSONResponse({"detail": "请先登录"}, status_code=status.HTTP_401_UNAUTHORIZED,
                        headers={"WWW-Authenticate": 'Basic realm="nianbao", charset="UTF-8"'})


def _too_large(limit: int) -> StarletteHTTPException:
    return StarletteHTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"文件超过大小上限（{limit} 字节）")


class BodyLimit:
    """Counts a request body as it arrives and refuses it (413) as soon as it passes the upload limit, whether or
    not the client announced its length: a chunked body is never read, nor spooled to disk, beyond the limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit: int = scope["app"].state.nianbao.settings.reader.max_file_bytes
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit + MULTIPART_OVERHEAD:
                raise _too_large(limit)
            return message

        await self.app(scope, counted, send)


class HeadAsGet:
    """Answers HEAD as GET without the body (the routes are declared for GET only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class Safety(BaseHTTPMiddleware):
    """Security headers on every response; foreign hosts, cross-origin posts and announced oversized bodies refused
    unread; with sign-in on, requests without a user sent to sign in."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = _refusal(request) or _unsigned(request) or await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _problem(request: Request, code: int, detail: str) -> Response:
    if _wants_html(request) and "hx-request" not in request.headers:
        return state(request).templates.TemplateResponse(request, "error.html", {"code": code, "detail": detail},
                                                         status_code=code)
    return JSONResponse({"detail": detail}, status_code=code)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _problem(request, exc.status_code, status_words(exc.status_code, exc.detail))

    @app.exception_handler(NianbaoError)
    async def nianbao_error(request: Request, exc: NianbaoError) -> Response:
        """A corpus that cannot be reached, in Chinese words of our own: never DuckDB's text, a path or a PID."""
        if exc.code in UNAVAILABLE:
            return _problem(request, status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE[exc.code])
        return _problem(request, status.HTTP_500_INTERNAL_SERVER_ERROR, "服务器内部错误：报告库查询失败")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": validation_errors(exc.errors())},
                                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        return _problem(request, status.HTTP_400_BAD_REQUEST, validation_summary(exc.errors()))


def _docs(app: FastAPI) -> None:
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> Response:
        """The OpenAPI docs, drawn by the vendored Swagger UI."""
        return state(request).templates.TemplateResponse(request, "docs.html", {})


def _prepare(corpus: Corpus) -> None:
    """Create the corpus when missing, and the tables of the web's own: uploads and review decisions."""
    with corpus.writing():
        con = connect(corpus.db, wait=WAIT_SECONDS)
        try:
            con.execute(UPLOADS_DDL)
            ensure_reviews(con)
        finally:
            con.close()


def create_app(db_path: str | Path, settings: Settings | dict[str, Any] | None = None, *,
               identity: Identity | None = None) -> FastAPI:
    """The web app over the corpus at ``db_path`` (created when missing); uploads go beside it. ``identity``
    says who signs in and which Host names are answered (default: no sign-in, any host)."""
    corpus = Corpus(db_path)
    _prepare(corpus)
    app = FastAPI(title="nianbao 政府信息公开工作年度报告", version=__version__, docs_url=None, redoc_url=None,
                  description="上传、解析、审核和检索政府信息公开工作年度报告。报告数据格式见 nianbao.report/1。")
    app.state.nianbao = State.start(corpus, resolve(settings), identity or Identity())
    app.add_middleware(BodyLimit)
    app.add_middleware(Safety)
    app.add_middleware(HeadAsGet)
    _handlers(app)
    _docs(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (api, pages, report_pages, downloads, registers, signin, correction_pages, metric_pages,
                   summary_pages):
        app.include_router(module.router)
    return app


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          users: str | Path | None = None, allowed_hosts: Iterable[str] = (),
          settings: Settings | dict[str, Any] | None = None) -> None:
    """Serve the web app over the corpus at ``db_path`` until interrupted: with sign-in when a users file is given,
    answering only to localhost, IP addresses and ``allowed_hosts`` by name; uploads are read with ``settings``."""
    import uvicorn

    identity = Identity(Users.load(users) if users else None, served_hosts(allowed_hosts))
    uvicorn.run(create_app(db_path, settings, identity=identity), host=host, port=port, log_level="info")
