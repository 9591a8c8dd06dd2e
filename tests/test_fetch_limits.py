"""fetch's limits against a local server (127.0.0.1 only): a gzip bomb, a slow drip, a redirect
loop, and pages that are refused must never enter the HTTP cache."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from align.batch.http import FetchError, PoliteClient
from align.errors import InputError
from tests.test_batch_support import cli

BOMB = gzip.compress(b"<p>" + b"a" * (8 * 2**20), compresslevel=9)  # 8 MB from about 8 KB


class _Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            return self._send(200, b"", "text/plain")
        if self.path == "/bomb.html":
            return self._send(200, BOMB, "text/html", gzip=True)
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return None
        if self.path == "/drip.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        if self.path == "/binary.html":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(200), "text/html")
        return self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, kind: str, gzip: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up, as it should
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _client(tmp_path: Path, **options: float) -> PoliteClient:
    settings = {"rate_limit": 0.0, "retries": 0, "timeout": 5.0, **options}
    return PoliteClient(cache_dir=tmp_path / "cache", **settings)


def _cached_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_gzip_bomb_is_refused_at_the_decompressed_cap_and_not_cached(
    server: str, tmp_path: Path
) -> None:
    with _client(tmp_path, max_bytes=2**20) as client, pytest.raises(InputError, match="1 MB"):
        client.get(f"{server}/bomb.html")
    assert _cached_files(tmp_path) == []
    with _client(tmp_path, max_bytes=16 * 2**20) as client:  # under the cap it is a page
        assert len(client.get(f"{server}/bomb.html", store=False).body) == 3 + 8 * 2**20


def test_a_slow_drip_ends_at_the_deadline(server: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with _client(tmp_path, deadline=1.0) as client, pytest.raises(FetchError, match="gave up"):
        client.get(f"{server}/drip.html")
    assert time.monotonic() - started < 3.0, "the per-address deadline must stop a drip"


def test_a_redirect_loop_is_an_input_error_with_exit_2(server: str, tmp_path: Path) -> None:
    with _client(tmp_path) as client, pytest.raises(InputError, match="redirect loop"):
        client.get(f"{server}/loop")
    result = cli(
        "fetch", f"{server}/loop", "--out", tmp_path / "e", "--rate-limit", "0",
        "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "too many redirects" in result.stderr and "Traceback" not in result.stderr


def test_a_page_the_reader_refuses_is_not_cached(server: str, tmp_path: Path) -> None:
    result = cli(
        "fetch", f"{server}/binary.html", "--out", tmp_path / "e", "--rate-limit", "0",
        "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "PNG" in result.stderr
    assert _cached_files(tmp_path) == []
