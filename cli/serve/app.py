"""The routes of `feasible serve` (docs/serve.md, "HTTP API"), all under /t/TOKEN/, behind the guard: the token,
the Host and Origin headers, JSON-only state changes, bounded bodies, and the same headers on every response."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from feasible.positions import InvalidScenario, UserError

from ..html_report import check_html
from . import guard, words
from .session import Job, Session, error_text, presented
from .whatif import TEXT_LIMIT, BadRequest, has_controls, parse_whatif

STATIC = {"serve.js": "text/javascript; charset=utf-8", "serve.css": "text/css; charset=utf-8"}  # the allow-list
STATIC_DIR = Path(__file__).parent / "static"
TOKENED = re.compile(r"/t/([^/]*)(?:/|$)")
#: Seconds between two looks at whether a report download was given up.
DISCONNECT_EVERY = 0.1


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=status)


class Guarded:
    """The ASGI app behind the guard: refuses what the page never sends before any route sees it, and adds the
    security headers to every response (refusals included)."""

    def __init__(self, app, token: str, hosts: frozenset[str]) -> None:
        self.app, self.token, self.hosts = app, token, hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not k.lower().startswith(b"access-control-")]
                headers += [(k.lower().encode(), v.encode()) for k, v in guard.HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            await _plain(*refusal)(scope, receive, send_guarded)
            return
        try:
            await self.app(scope, receive, send_guarded)
        except Exception as exc:  # noqa: BLE001 - answered 500 already (`internal`): its trace, once, here only
            traceback.print_exception(exc, file=sys.stderr)

    def refusal(self, scope) -> guard.Refusal | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        tokened = TOKENED.match(scope["path"])  # /t/TOKEN/... (/t/TOKEN without the slash: sent on to it)
        if tokened is None:
            return 403, words.FORBIDDEN
        method = scope["method"]
        return (guard.host_refused(headers, self.hosts) or guard.token_refused(tokened[1], self.token)
                or guard.origin_refused(headers, self.hosts)
                or (guard.post_refused(headers) if method == "POST" else None)
                or (None if method in ("GET", "HEAD", "POST") else (405, words.METHOD)))


async def _body(request: Request, keys: tuple[str, ...] = ("whatif",)) -> dict[str, Any]:
    """The request's JSON object (with no key but `keys`), read up to the body limit."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > guard.BODY_LIMIT:
            raise BadRequest(words.TOO_BIG.format(limit=guard.BODY_LIMIT))
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks) or b"{}")
    except RecursionError:
        raise BadRequest(words.TOO_DEEP) from None
    except ValueError:
        raise BadRequest(words.BAD_JSON) from None
    try:  # text the page could never send (a lone surrogate, in a key or a value): refused before any use
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise BadRequest(words.TOO_DEEP) from None
    except UnicodeEncodeError:
        raise BadRequest(words.NOT_UTF8) from None
    if not isinstance(data, dict):
        raise BadRequest(words.WHATIF_NOT_OBJECT)
    for key in data:
        if key not in keys:
            raise BadRequest(words.UNKNOWN_KEY.format(key=str(key)[:80], known=", ".join(keys)))
    return data


def _text_field(data: dict[str, Any], key: str, message: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        raise BadRequest(message)
    return value


def _attachment(text: str, media: str, name: str) -> Response:
    return Response(text, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def create_app(session: Session, *, host: str, port: int, hosts: frozenset[str] | None = None) -> Guarded:
    """The app serving `session` on HOST:PORT. No request is held open waiting for news: the page asks for the
    files' version about once a second (a held stream per tab would use up the browser's few connections to one
    host, and a seventh tab would never load). `hosts`: the Host headers allowed (default: guard.allowed_hosts)."""

    async def page(request: Request) -> Response:
        from .page import page_html

        return Response(page_html(session.title, session.files.panel, writable=session.writable),
                        media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _plain(404, words.NOT_FOUND)
        return Response((STATIC_DIR / name).read_bytes(), media_type=STATIC[name])  # a fixed name: no path joins

    async def panel(request: Request) -> Response:
        return Response(session.files.panel, media_type="text/html; charset=utf-8")

    async def version(request: Request) -> Response:
        files = session.files
        return JSONResponse({"version": files.version, "valid": files.live is not None})

    async def answer(request: Request) -> Response:
        data = await _body(request, ("tab", "whatif"))
        tab = _text_field(data, "tab", words.BAD_TAB, "page")
        if len(tab) > 100 or has_controls(tab):
            raise BadRequest(words.BAD_TAB)
        whatif = parse_whatif(data.get("whatif"))
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue = asyncio.Queue()

        def put(item) -> None:
            try:
                loop.call_soon_threadsafe(lines.put_nowait, item)
            except RuntimeError:  # the server is closing
                pass

        job = session.start(tab, whatif, put)

        async def stream():
            try:
                while (item := await lines.get()) is not None:
                    yield json.dumps(item, ensure_ascii=False) + "\n"
            finally:
                job.cancel()  # the page went away (or the answer is done: then this changes nothing)

        return StreamingResponse(stream(), media_type="application/x-ndjson")

    async def overlay(request: Request) -> Response:
        whatif = parse_whatif((await _body(request)).get("whatif"))
        text = await run_in_threadpool(session.overlay, whatif)
        return _attachment(text, "application/yaml; charset=utf-8", "whatif.yaml")

    async def report(request: Request) -> Response:
        whatif = parse_whatif((await _body(request)).get("whatif"))
        job = Job()
        solving = asyncio.ensure_future(run_in_threadpool(session.complete, whatif, job))
        while not solving.done():  # a download given up (or the page gone) stops its solve at once
            await asyncio.wait({solving}, timeout=DISCONNECT_EVERY)
            if not solving.done() and await request.is_disconnected():
                job.cancel()
        stage = solving.result()
        if stage is None:
            return _plain(503, words.REPORT_STOPPED)
        return _attachment(check_html(presented(stage)), "text/html; charset=utf-8", "report.html")

    async def preview(request: Request) -> Response:
        whatif = parse_whatif((await _body(request)).get("whatif"))
        return JSONResponse(await run_in_threadpool(session.preview, whatif))

    async def write(request: Request) -> Response:
        data = await _body(request, ("whatif", "digest"))
        whatif = parse_whatif(data.get("whatif"))
        previewed = _text_field(data, "digest", words.BAD_DIGEST)
        written = await run_in_threadpool(session.write, whatif, previewed)
        if written is None:
            return JSONResponse({"error": words.CHANGED_SINCE}, status_code=409)
        return JSONResponse(written)

    async def bad_request(request: Request, exc: Exception) -> Response:
        return _plain(400, str(exc))

    async def refused(request: Request, exc: Exception) -> Response:
        """A what-if, reading or write that does not apply: the located error, as the CLI prints it."""
        return JSONResponse({"error": error_text(exc)}, status_code=422)  # type: ignore[arg-type]

    async def internal(request: Request, exc: Exception) -> Response:
        return _plain(500, words.INTERNAL)  # the trace is printed by Guarded (Starlette raises it on after this)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        return _plain(status, words.METHOD if status == 405 else words.NOT_FOUND)

    routes = [Route("/t/{token}/", page, methods=["GET"]),
              Route("/t/{token}/static/{name}", static, methods=["GET"]),
              Route("/t/{token}/api/panel", panel, methods=["GET"]),
              Route("/t/{token}/api/version", version, methods=["GET"]),
              Route("/t/{token}/api/answer", answer, methods=["POST"]),
              Route("/t/{token}/api/overlay", overlay, methods=["POST"]),
              Route("/t/{token}/api/report", report, methods=["POST"]),
              Route("/t/{token}/api/preview", preview, methods=["POST"]),
              Route("/t/{token}/api/write", write, methods=["POST"])]
    app = Starlette(routes=routes, exception_handlers={
        BadRequest: bad_request, UserError: refused, InvalidScenario: refused, 404: not_found, 405: not_found,
        Exception: internal})
    return Guarded(app, session.token, hosts if hosts is not None else guard.allowed_hosts(host, port))
