"""Request guards of the review server: access token, CSRF, body size, browser headers.

Pure ASGI middleware (no BaseHTTPMiddleware) so the body limit can stop a request before the
app reads it, and the token gate covers static files too.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024
TOKEN_PARAM = "token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def loopback_hosts(bound: str) -> list[str]:
    """Host header values a loopback server answers: its own address and the usual names.

    Anything else (a DNS-rebinding attacker's `evil.example` resolving to 127.0.0.1) is refused.
    """
    return sorted({"localhost", "127.0.0.1", "::1", bound.strip("[]").lower()})


def host_name(header: str) -> str:
    """The host of a Host header without its port: `[::1]:8765` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """400 unless the Host header names one of `allowed` (IPv6 literals understood)."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app, self.allowed = app, {h.strip("[]").lower() for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if host_name(host) not in self.allowed:
            response = PlainTextResponse("invalid Host header", status_code=400)
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison of secrets."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, reading at most limit + one chunk."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(scope, receive, send, self.limit)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await _too_large(scope, receive, send, self.limit)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = PlainTextResponse(f"request body over {limit} bytes", status_code=413)
    await response(scope, receive, send)


def cookie_name(scope: Scope) -> str:
    """Per-port cookie name: browsers share cookies across ports of one host."""
    server = scope.get("server") or ("", 0)
    return f"review_token_{server[1] or 0}"


class TokenGate:
    """With a token set, every request must carry it (cookie, header or ?token=) or get 403."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    def _presented(self, request: Request) -> tuple[str | None, bool]:
        """The token a request carries, and whether it came in the query string."""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        for value in (
            request.headers.get("x-review-token"),
            request.cookies.get(cookie_name(request.scope)),
        ):
            if value:
                return value, False
        return request.query_params.get(TOKEN_PARAM), True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.token is None:
            return await self.app(scope, receive, send)
        request = Request(scope)
        given, in_query = self._presented(request)
        if not same(given, self.token):
            response: Response = PlainTextResponse(
                "forbidden: this review server needs its access token "
                "(open the URL printed when it started)",
                status_code=403,
            )
            return await response(scope, receive, send)
        if in_query and request.method == "GET":
            return await self._redirect(request, scope, receive, send)
        await self.app(scope, receive, send)

    async def _redirect(self, request: Request, scope: Scope, receive: Receive, send: Send) -> None:
        """Move a token from the URL into an HttpOnly cookie, so it leaves the address bar."""
        query = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != TOKEN_PARAM])
        response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), 303)
        response.set_cookie(cookie_name(scope), self.token, httponly=True, samesite="strict")
        await response(scope, receive, send)


class SecurityHeaders:
    """CSP (no inline script, so escaped text can never run) and no framing, on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_problem(request: Request, csrf_token: str) -> tuple[int, str] | None:
    """Why a state-changing request is refused (status, message), or None when it may pass."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        return 415, "state-changing requests must be application/json"
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host')}":
        return 403, f"cross-origin request refused (Origin {origin})"
    if not same(request.headers.get("x-csrf-token"), csrf_token):
        return 403, "missing or stale CSRF token: reload the page"
    return None
