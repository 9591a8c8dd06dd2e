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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from align import __version__
from align.errors import AlignError, InputError
from align.rundir import atomic_write

USER_AGENT = f"interp-align/{__version__} (bilingual corpus builder; polite, robots.txt honoured)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF_S = 30.0


class FetchError(AlignError):
    """A page that could not be downloaded after every retry (exit 1)."""


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
    ) -> None:
        import httpx

        self.user_agent = user_agent or USER_AGENT
        self.cache_dir = cache_dir
        self.rate_limit, self.retries, self.backoff = rate_limit, retries, backoff
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": self.user_agent}
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str) -> Page:
        """The page at `url`, from the cache when it was fetched before."""
        cached = self._cached(url)
        if cached is not None:
            return cached
        if not self.allowed(url):
            raise InputError("robots.txt disallows fetching this address", url)
        response = self._request(url)
        if response.status_code >= 400:
            raise InputError(f"HTTP {response.status_code} {response.reason_phrase}", url)
        page = Page(
            url, str(response.url), response.status_code,
            response.headers.get("content-type", ""), response.charset_encoding, response.content,
        )  # fmt: skip
        self._store(page)
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

    def _request(self, url: str):  # noqa: ANN202 - httpx.Response, imported lazily
        """GET with retries on timeouts, connection errors, 429 and 5xx, backing off each time."""
        import httpx

        for attempt in range(self.retries + 1):
            self._wait_turn(url)
            try:
                response = self._client.get(url)
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

    def _store(self, page: Page) -> None:
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
