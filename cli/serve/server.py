"""`feasible serve`'s process: the socket (bound here, so the printed port is the real one), the one line on
stdout with the page's address, the browser, the files' watcher, and uvicorn until Ctrl-C."""

from __future__ import annotations

import errno
import html
import os
import shutil
import socket
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path

from feasible.positions import UserError

from ..exitcodes import ExitCode
from . import words
from .guard import bracketed, allowed_hosts, is_loopback, is_wildcard, machine_addresses
from .session import Session
from .whatif import one_line

#: Ports tried after the one asked for, when it is taken (0 asks the system for any free port).
PORTS_TRIED = 20


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on HOST at PORT, or the next free port up to PORTS_TRIED - 1 above it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last = port + PORTS_TRIED - 1 if port else 0
    for candidate in range(port, last + 1):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), candidate))
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE and candidate < last:
                continue
            if exc.errno == errno.EADDRINUSE:
                raise UserError(words.NO_FREE_PORT.format(first=port, last=last),
                                hint=words.NO_FREE_PORT_HINT) from None
            raise UserError(words.CANNOT_BIND.format(host=host, port=candidate, reason=exc.strerror or exc),
                            hint=words.CANNOT_BIND_HINT) from None
        sock.listen(128)
        sock.set_inheritable(True)
        return sock
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def redirect_file(url: str) -> Path:
    """A page that leads the browser to `url`, in a private temporary directory (mode 700; the file 600): the
    browser is given this file's name, not the address, whose token would be on its command line for every local
    user to read (as Jupyter does). The caller removes the directory."""
    directory = Path(tempfile.mkdtemp(prefix="feasible-serve-"))
    target = directory / "open.html"
    shown = html.escape(url, quote=True)
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(f"<!doctype html><html><head><meta charset='utf-8'><meta name='referrer' content='no-referrer'>"
                  f"<meta http-equiv='refresh' content='0;url={shown}'><title>feasible serve</title></head>"
                  f"<body><p><a href='{shown}'>feasible serve</a></p></body></html>\n")
    return target


def serve(path: str | None, *, host: str, port: int, browser: bool, time_limit: float) -> ExitCode:
    import uvicorn

    from .app import create_app

    session = Session(path, time_limit=time_limit)  # invalid files: raised before anything is bound
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown}:{bound}/t/{session.token}/"
    hosts = allowed_hosts(host, bound)
    if not is_loopback(host.strip("[]")):
        print(words.NOT_LOOPBACK.format(host=host), file=sys.stderr, flush=True)
    print(words.SERVING.format(title=one_line(session.title), url=url), flush=True)  # one line, whatever the title
    if is_wildcard(host):  # the addresses other machines reach the page by (stdout stays one line)
        for address in machine_addresses():
            if not is_loopback(address):
                print(words.ALSO_AT.format(url=f"http://{bracketed(address)}:{bound}/t/{session.token}/"),
                      file=sys.stderr, flush=True)
    watcher = threading.Thread(target=session.watch, daemon=True, name="files watcher")
    watcher.start()
    config = uvicorn.Config(create_app(session, host=host, port=bound, hosts=hosts), log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=1, access_log=False)
    opener = redirect_file(url) if browser else None
    if opener is not None:
        threading.Timer(0.3, webbrowser.open, args=(opener.as_uri(),)).start()
    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            session.close()  # answers and report downloads stop now, within uvicorn's graceful shutdown
            super().handle_exit(sig, frame)

    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
        sock.close()
        if opener is not None:
            shutil.rmtree(opener.parent, ignore_errors=True)
    return ExitCode.OK
