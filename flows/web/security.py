"""What keeps the review server safe to run on a curator's machine: who may talk to it, and how.

* **Where it listens.** Loopback by default; any other address only with an access token
  (:func:`check_bind`), because the store holds unpublished curation work.
* **Token.** When one is set, every request carries it: ``Authorization: Bearer <token>``, or the
  ``genelit_token`` cookie the server sets when the start-up URL (``/?token=<token>``) is opened.
* **Host header.** On loopback only loopback host names are answered, so a web page elsewhere cannot
  reach the server through DNS rebinding (its own name resolving to 127.0.0.1).
* **CSRF.** Each browser gets a random session cookie (``SameSite=Strict``); every form carries
  ``HMAC(server secret, session)`` and a POST without the matching value, or from another origin, is
  refused before anything is read from the store.
* **Content.** Pages send a Content-Security-Policy that allows only this server's own script and
  styles (no inline script, nothing from the network) on top of the templates' escaping.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from collections.abc import Awaitable, Callable, Collection
from hashlib import sha256
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genelit.errors import InputError

SESSION_COOKIE = "genelit_session"
TOKEN_COOKIE = "genelit_token"
TOKEN_PARAM = "token"
CSRF_FIELD = "csrf"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    """``127.0.0.0/8``, ``::1`` or ``localhost``."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token (InputError: exit code 2)."""
    if not is_loopback(host) and not token:
        raise InputError(
            f"refusing to serve on {host} without an access token: other machines could read and change "
            "the evidence store; set GENELIT_REVIEW_TOKEN (or --token), or serve on 127.0.0.1"
        )


def csrf_token(secret: bytes, session: str) -> str:
    """The form token for one browser session."""
    return hmac.new(secret, session.encode(), sha256).hexdigest()


def csrf_ok(secret: bytes, session: str | None, submitted: str | None) -> bool:
    return bool(session and submitted) and hmac.compare_digest(csrf_token(secret, session or ""), submitted or "")


def _cookies(scope: Scope) -> dict[str, str]:
    header = _header(scope, b"cookie")
    return cookie_parser(header) if header else {}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


def _host_name(host_header: str) -> str:
    """The host part of a Host header (``[::1]:8765`` -> ``::1``)."""
    return (urlsplit(f"//{host_header}").hostname or "").lower()


class SecurityMiddleware:
    """Host check, token, CSRF session cookie, security headers and a ``Server-Timing`` header.

    ``allowed_hosts=None`` answers any Host header (a tokened server on a network address);
    the CSRF *check* itself is done by the form handlers (:func:`csrf_ok`), which know the form.
    """

    def __init__(self, app: ASGIApp, *, secret: bytes, token: str | None,
                 allowed_hosts: Collection[str] | None) -> None:
        self.app = app
        self.secret = secret
        self.token = token
        self.allowed_hosts = None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        host = _host_name(_header(scope, b"host") or "")
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await _plain(send, 400, "unexpected Host header: open the review app at the address it printed")
            return
        cookies = _cookies(scope)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        set_cookies: list[str] = []
        if self.token is not None:
            given = query.get(TOKEN_PARAM)
            if given is not None and hmac.compare_digest(given, self.token):
                rest = urlencode([(k, v) for k, v in query.items() if k != TOKEN_PARAM])
                location = scope["path"] + (f"?{rest}" if rest else "")
                await _redirect(send, location, [_cookie(TOKEN_COOKIE, self.token)])
                return
            bearer = (_header(scope, b"authorization") or "").removeprefix("Bearer ").strip()
            presented = cookies.get(TOKEN_COOKIE) or bearer
            if not presented or not hmac.compare_digest(presented, self.token):
                await _plain(send, 401, "this review server needs its access token: open the URL it printed "
                                        "at start-up (…/?token=…)")
                return
        if scope["method"] not in SAFE_METHODS and not _same_origin(scope, host):
            await _plain(send, 403, "refused: the form was sent from another site")
            return
        session = cookies.get(SESSION_COOKIE)
        if not session:
            session = secrets.token_urlsafe(32)
            set_cookies.append(_cookie(SESSION_COOKIE, session))
        scope.setdefault("state", {})
        scope["state"]["session"] = session
        scope["state"]["csrf"] = csrf_token(self.secret, session)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                for cookie in set_cookies:
                    headers.append("set-cookie", cookie)
                headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _same_origin(scope: Scope, host: str) -> bool:
    """A state-changing request must come from this server's own pages (or say nothing of its origin)."""
    origin = _header(scope, b"origin")
    if origin is None or origin == "null":
        return origin is None
    return _host_name(urlsplit(origin).netloc) == host


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


async def _plain(send: Callable[[Message], Awaitable[None]], status: int, text: str) -> None:
    body = (text + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Callable[[Message], Awaitable[None]], location: str, cookies: list[str]) -> None:
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0")]
    headers += [(b"set-cookie", c.encode("latin-1")) for c in cookies]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
