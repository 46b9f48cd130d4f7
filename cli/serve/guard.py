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


WILDCARDS = ("0.0.0.0", "::", "[::]")


def is_wildcard(host: str) -> bool:
    return host in WILDCARDS


def bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def machine_addresses() -> list[str]:
    """The IP addresses of this machine's interfaces, as far as the standard library can tell (Linux: every
    interface's IPv4 address and /proc's IPv6 ones; elsewhere: the addresses the machine's name resolves to).
    Link-local IPv6 addresses are left out (a browser cannot name them without a zone)."""
    import socket

    found: list[str] = []
    try:
        import fcntl
        import struct

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))  # SIOCGIFADDR
                except OSError:  # an interface without an IPv4 address
                    continue
                found.append(socket.inet_ntoa(packed[20:24]))
    except (ImportError, OSError, AttributeError):
        pass
    try:
        with open("/proc/net/if_inet6", encoding="ascii") as table:
            for row in table:
                hexa = row.split()[0]
                found.append(str(ipaddress.IPv6Address(bytes.fromhex(hexa))))
    except (OSError, ValueError, IndexError):
        pass
    try:
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
    except OSError:
        pass
    kept: list[str] = []
    for address in found:
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not parsed.is_link_local and not parsed.is_unspecified and str(parsed) not in kept:
            kept.append(str(parsed))
    return kept


def allowed_hosts(host: str, port: int, addresses: list[str] | None = None) -> frozenset[str]:
    """The Host headers a page of this server sends: the bound host and the loopback names, with the port (any
    other name could be a DNS-rebinding site's); on a wildcard bind (0.0.0.0, ::), also every IP address of this
    machine (`addresses`, else its interfaces'), by which other machines reach it. An IP literal is safe: DNS
    rebinding needs a name."""
    names = [bracketed(host), *LOOPBACK_NAMES]
    if is_wildcard(host):
        names += [bracketed(a) for a in (machine_addresses() if addresses is None else addresses)]
    return frozenset(f"{name.lower()}:{port}" for name in names)


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
