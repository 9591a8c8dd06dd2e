"""A polite HTTP client for release pages: robots.txt, a per-host rate limit, retries, a disk cache.

The cache is hand-written rather than HTTP caching (hishel, CacheControl): a corpus must not
change under the linguist, so a page once fetched is kept until its cache file is deleted,
whatever the server's cache headers say. Retries are a short loop for the same reason: they
must honour Retry-After and give one clear error at the end.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from align import __version__
from align.errors import AlignError, InputError
from align.limits import DEADLINE_S, MAX_BYTES
from align.rundir import atomic_write

USER_AGENT = f"interp-align/{__version__} (bilingual corpus builder; polite, robots.txt honoured)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF_S = 30.0


class FetchError(AlignError):
    """A page that could not be downloaded after every retry (exit 1)."""


def _decoder(encoding: str, url: str) -> Any:
    """A zlib decompressor for gzip/deflate, None for identity (we ask for nothing else)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise InputError(f"unsupported Content-Encoding {encoding!r}", url)


def _inflate(decoder: Any, data: bytes, limit: int, url: str) -> bytes:
    try:
        return decoder.decompress(data, max(1, limit))
    except zlib.error as error:
        raise FetchError(f"corrupt compressed response ({error})", url) from None


@dataclass
class _Response:
    """What one GET returned, its body read in full (within the limits)."""

    url: str
    status_code: int
    reason_phrase: str
    headers: dict[str, str]
    charset_encoding: str | None
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(self.charset_encoding or "utf-8", errors="replace")


@dataclass
class Page:
    """A downloaded page: its final address, content type, declared charset and bytes."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    from_cache: bool = False


class PoliteClient:
    """httpx with robots.txt, at most one request per host every `rate_limit` seconds, retries."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        rate_limit: float = 1.0,
        retries: int = 3,
        timeout: float = 30.0,
        user_agent: str | None = None,
        backoff: float = 0.5,
        max_bytes: int = MAX_BYTES,
        deadline: float = DEADLINE_S,
    ) -> None:
        import httpx

        self.user_agent = user_agent or USER_AGENT
        self.cache_dir = cache_dir
        self.rate_limit, self.retries, self.backoff = rate_limit, retries, backoff
        self.max_bytes, self.deadline = max_bytes, deadline
        self._until = float("inf")
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            # decompressed here, in bounded steps (see _get); so only what zlib reads
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, store: bool = True) -> Page:
        """The page at `url`, from the cache when it was fetched before.

        With store=False the caller stores it (`store`) once it has accepted the page, so a
        page refused later (binary, unreadable) never enters the cache.
        """
        cached = self._cached(url)
        if cached is not None:
            return cached
        self._until = time.monotonic() + self.deadline
        try:
            if not self.allowed(url):
                raise InputError("robots.txt disallows fetching this address", url)
            response = self._request(url)
        finally:
            self._until = float("inf")
        if response.status_code >= 400:
            raise InputError(f"HTTP {response.status_code} {response.reason_phrase}", url)
        page = Page(
            url, response.url, response.status_code,
            response.headers.get("content-type", ""), response.charset_encoding, response.content,
        )  # fmt: skip
        if store:
            self.store(page)
        return page

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says for our user agent (a missing one allows all)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
            response = self._request(host + "/robots.txt")
            status = response.status_code
            if status >= 500:  # as urllib.robotparser: an unreadable robots.txt forbids all
                raise FetchError(f"robots.txt unavailable (HTTP {status}); not fetching", url)
            if status in (401, 403):
                parser.disallow_all = True
            elif status >= 400:
                parser.allow_all = True
            else:
                parser.parse(response.text.splitlines())
            self._robots[host] = parser
        return self._robots[host].can_fetch(self.user_agent, url)

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's last request is `rate_limit` seconds old."""
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self.rate_limit - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()

    def _request(self, url: str) -> _Response:
        """GET with retries on timeouts, connection errors, 429 and 5xx, backing off each time."""
        import httpx

        for attempt in range(self.retries + 1):
            self._wait_turn(url)
            self._check_deadline(url)
            try:
                response = self._get(url)
            except httpx.TooManyRedirects:
                raise InputError("too many redirects (a redirect loop?)", url) from None
            except httpx.InvalidURL as error:
                raise InputError(f"invalid address ({error})", url) from None
            except httpx.TransportError as error:
                if attempt == self.retries:
                    kind = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
                    raise FetchError(
                        f"request {kind} after {attempt + 1} attempt(s): {type(error).__name__}",
                        url,
                    ) from None
                time.sleep(self._delay(attempt, None))
                continue
            if response.status_code not in RETRY_STATUS or attempt == self.retries:
                return response
            time.sleep(self._delay(attempt, response.headers.get("retry-after")))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _get(self, url: str) -> _Response:
        """One streamed GET: decompressed size capped, deadline checked as the bytes come."""
        body = bytearray()
        with self._client.stream("GET", url) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(url)
            decoder = _decoder(response.headers.get("content-encoding", ""), url)
            for chunk in response.iter_raw():
                pending = chunk
                while pending:  # at most max_bytes + 1 out of each step: a bomb stops here
                    if decoder is None:
                        body += pending
                        pending = b""
                    else:
                        body += _inflate(decoder, pending, self.max_bytes - len(body) + 1, url)
                        pending = decoder.unconsumed_tail
                    if len(body) > self.max_bytes:
                        raise self._too_large(url)
                self._check_deadline(url)
            return _Response(
                str(response.url), response.status_code, response.reason_phrase,
                dict(response.headers), response.charset_encoding, bytes(body),
            )  # fmt: skip

    def _too_large(self, url: str) -> InputError:
        return InputError(f"response larger than {self.max_bytes // 2**20} MB; not saved", url)

    def _check_deadline(self, url: str) -> None:
        if time.monotonic() > self._until:
            raise FetchError(f"gave up after {self.deadline:g} s (the total time per address)", url)

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential backoff, or the server's Retry-After (in seconds) when it gives one."""
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), MAX_BACKOFF_S)
        return min(self.backoff * 2**attempt, MAX_BACKOFF_S)

    def _cache_paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache_dir / f"{key}.json", self.cache_dir / f"{key}.body"

    def _cached(self, url: str) -> Page | None:
        paths = self._cache_paths(url)
        if paths is None or not (paths[0].is_file() and paths[1].is_file()):
            return None
        meta = json.loads(paths[0].read_text(encoding="utf-8"))
        return Page(**meta, body=paths[1].read_bytes(), from_cache=True)

    def store(self, page: Page) -> None:
        """Keep an accepted page in the cache (never one that was refused)."""
        paths = self._cache_paths(page.url)
        if paths is None:
            return
        paths[1].parent.mkdir(parents=True, exist_ok=True)
        temporary = paths[1].with_name(paths[1].name + ".tmp")
        temporary.write_bytes(page.body)
        temporary.replace(paths[1])  # body first, metadata last: a kill leaves a clean miss
        keys = ("url", "final_url", "status", "content_type", "charset")
        meta = {k: getattr(page, k) for k in keys}
        atomic_write(paths[0], json.dumps(meta, ensure_ascii=False))
