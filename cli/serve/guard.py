"""Who may drive the page (docs/reliability.md, "feasible serve" security): pure checks of a request's token,
Host, Origin, method and body, each answering None (allowed) or the refusal (status, plain text)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Mapping

from . import words

#: The largest request body read; a what-if is a few kilobytes even on thousands of red lines.
BODY_LIMIT = 256 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

#: Sent with every response: nothing cached, the token never sent on as a referrer, no sniffing, no frames,
#: scripts and connections only from the page's own origin.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'none'",
}

Refusal = tuple[int, str]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_refused(given: str, token: str) -> Refusal | None:
    """The token in the path must be the session's (compared in constant time)."""
    return None if hmac.compare_digest(given.encode(), token.encode()) else (403, words.FORBIDDEN)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a page of this server sends: the bound host and the loopback names, with the port (any
    other name could be a DNS-rebinding site's)."""
    bound = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return frozenset(f"{name}:{port}" for name in (bound, *LOOPBACK_NAMES))


def host_refused(headers: Mapping[str, str], hosts: frozenset[str]) -> Refusal | None:
    return None if headers.get("host", "").lower() in hosts else (403, words.FOREIGN_HOST)


def origin_refused(headers: Mapping[str, str], hosts: frozenset[str]) -> Refusal | None:
    """A browser names the page that sent the request: it must be this server's own."""
    origin = headers.get("origin")
    if origin is not None and (not origin.startswith("http://") or origin[len("http://"):].lower() not in hosts):
        return 403, words.FOREIGN_ORIGIN
    return None


def post_refused(headers: Mapping[str, str]) -> Refusal | None:
    """A state-changing request must be JSON (a cross-site form cannot send that without a preflight, which is never
    answered) and, where the browser says so, from this page."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return 403, words.CROSS_SITE
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return 415, words.NOT_JSON
    length = headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > BODY_LIMIT):
        return 413, words.TOO_BIG.format(limit=BODY_LIMIT)
    return None
