"""`interp-align fetch` and manifest addresses, against a local HTTP server (never the internet).

The server serves pages built from the real NSS statement (JA in Shift_JIS, EN in UTF-8), a
redirect, a 404, a page slower than the client's timeout, a flaky page and a robots.txt.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from align.batch.fetch import fetch_event, page_text
from align.batch.http import FetchError, Page, PoliteClient
from align.errors import InputError
from align.ingest.event import load_event
from tests.test_batch_support import EVENTS, NSS, cli, write_config

JA_SENTENCE = "国際社会は歴史の岐路に立っています"
EN_SENTENCE = "the world stands at a historic crossroads"


def _body(name: str) -> str:
    """The text of a corpus document without its five header lines."""
    text = next((EVENTS / NSS).glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1]


def _page(title: str, text: str, lang: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head>'
        f"<body><nav>Home | Menu</nav><main><h1>{title}</h1>\n{paragraphs}</main></body></html>"
    )


class _Handler(BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}
    hits: Counter[str] = Counter()
    times: list[float] = []

    def do_GET(self) -> None:
        self.hits[self.path] += 1
        self.times.append(time.monotonic())
        if self.path == "/slow.html":
            time.sleep(1.5)
        if self.path == "/flaky.html" and self.hits[self.path] == 1:
            self._send(503, "text/plain", b"busy")
            return
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/en/statement.html")
            self.end_headers()
            return
        status, content_type, body = self.pages.get(self.path, (404, "text/plain", b"no"))
        self._send(status, content_type, body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (timeout test)
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """A local server on a free port, serving the saved pages."""
    ja = _page("新たな「国家安全保障戦略」等の策定について", _body("ja"), "ja")
    en = _page("Adoption of the new National Security Strategy", _body("en"), "en")
    _Handler.pages = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/ja/statement.html": (200, "text/html; charset=Shift_JIS", ja.encode("shift_jis")),
        "/en/statement.html": (200, "text/html; charset=utf-8", en.encode("utf-8")),
        "/flaky.html": (200, "text/html; charset=utf-8", en.encode("utf-8")),
        "/slow.html": (200, "text/html; charset=utf-8", en.encode("utf-8")),
        "/private/secret.html": (200, "text/html; charset=utf-8", en.encode("utf-8")),
    }
    _Handler.hits, _Handler.times = Counter(), []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _client(tmp_path: Path, **options: float) -> PoliteClient:
    settings = {"rate_limit": 0.0, "retries": 2, "timeout": 5.0, "backoff": 0.05, **options}
    return PoliteClient(cache_dir=tmp_path / "http-cache", **settings)


def test_fetch_cli_writes_an_event_that_run_reads(server: str, tmp_path: Path) -> None:
    out = tmp_path / "corpora" / "2022-12-16-nss"
    result = cli(
        "fetch", f"{server}/ja/statement.html", f"{server}/old", "--out", out,
        "--rate-limit", "0", "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    meta = yaml.safe_load((out / "event.yaml").read_text(encoding="utf-8"))
    docs = meta["documents"]
    assert [(d["language"], d["kind"]) for d in docs] == [("ja", "original"), ("en", "translation")]
    assert [d["source"] for d in docs] == [f"{server}/ja/statement.html", f"{server}/old"]
    assert meta["date"] == "2022-12-16"
    assert meta["title"] == "新たな「国家安全保障戦略」等の策定について"
    event = load_event(out)
    ja, en = event.documents
    assert JA_SENTENCE in ja.text, "the Shift_JIS page must be decoded with its declared charset"
    assert EN_SENTENCE in en.text.lower()
    assert "Home | Menu" not in en.text
    assert _Handler.hits["/robots.txt"] == 1
    again = cli("fetch", f"{server}/ja/statement.html", "--out", out, "--rate-limit", "0")
    assert again.returncode == 2 and "event.yaml exists" in again.stderr


def test_declared_charset_is_used_for_shift_jis() -> None:
    body = f"<html><body><p>{JA_SENTENCE}。</p></body></html>".encode("shift_jis")
    page = Page("u", "u", 200, "text/html; charset=Shift_JIS", "Shift_JIS", body)
    assert JA_SENTENCE in page_text(page)
    undeclared = Page("u", "u", 200, "text/html", None, body)
    assert JA_SENTENCE in page_text(undeclared), "without a header the detector decides"


def test_a_page_is_downloaded_once_then_read_from_the_cache(server: str, tmp_path: Path) -> None:
    url = f"{server}/en/statement.html"
    with _client(tmp_path) as client:
        first = client.get(url)
    with _client(tmp_path) as client:
        second = client.get(url)
    assert _Handler.hits["/en/statement.html"] == 1
    assert second.from_cache and not first.from_cache
    assert second.body == first.body


def test_404_robots_and_timeout_are_clear_errors(server: str, tmp_path: Path) -> None:
    with _client(tmp_path, timeout=0.3, retries=1) as client:
        with pytest.raises(InputError, match="HTTP 404"):
            client.get(f"{server}/missing.html")
        with pytest.raises(InputError, match="robots.txt disallows"):
            client.get(f"{server}/private/secret.html")
        with pytest.raises(FetchError, match=r"timed out after 2 attempt"):
            client.get(f"{server}/slow.html")
    assert _Handler.hits["/missing.html"] == 1, "a 404 is not retried"
    assert _Handler.hits["/private/secret.html"] == 0
    assert _Handler.hits["/slow.html"] == 2
    result = cli("fetch", f"{server}/missing.html", "--out", tmp_path / "e", "--rate-limit", "0")
    assert result.returncode == 2
    assert f"{server}/missing.html: HTTP 404 Not Found" in result.stderr


def test_retry_after_a_server_error_and_the_rate_limit(server: str, tmp_path: Path) -> None:
    with _client(tmp_path, rate_limit=0.2) as client:
        page = client.get(f"{server}/flaky.html")
    assert page.status == 200 and _Handler.hits["/flaky.html"] == 2
    gaps = [b - a for a, b in zip(_Handler.times, _Handler.times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.19, gaps  # robots.txt, 503, then 200


def test_manifest_addresses_are_fetched_by_the_batch(server: str, tmp_path: Path) -> None:
    (tmp_path / "pairs.csv").write_text(
        "event,src,tgt\n"
        f"web-nss,{server}/ja/statement.html,{server}/en/statement.html\n"
        f"web-missing,{server}/ja/statement.html,{server}/missing.html\n",
        encoding="utf-8",
    )
    config = write_config(
        tmp_path / "batch.yaml",
        {
            "out": "out",
            "events": {"manifest": "pairs.csv"},
            "steps": {"align": {"pictures": False}},
            "fetch": {"rate_limit": 0, "cache_dir": "http-cache"},
        },
    )
    result = cli("batch", config)
    assert result.returncode == 1
    assert "failed: web-missing [fetch]" in result.stdout and "HTTP 404" in result.stdout
    saved = sorted(p.name for p in (tmp_path / "out" / "sources" / "web-nss").iterdir())
    assert saved == ["en_statement.html", "ja_statement.html"]
    alignment = (tmp_path / "out" / "events" / "web-nss" / "alignment.jsonl").read_text("utf-8")
    assert JA_SENTENCE in alignment and "crossroads" in alignment


def test_fetch_arguments_are_checked(tmp_path: Path) -> None:
    with _client(tmp_path) as client, pytest.raises(InputError, match="--kind once per URL"):
        fetch_event(["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"], tmp_path, client,
                    kinds=["original"])  # fmt: skip
