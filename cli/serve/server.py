"""`feasible serve`'s process: the socket (bound here, so the printed port is the real one), the one line on
stdout with the page's address, the browser, the files' watcher, and uvicorn until Ctrl-C."""

from __future__ import annotations

import errno
import socket
import sys
import threading
import webbrowser

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
    if browser:
        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
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
    return ExitCode.OK
