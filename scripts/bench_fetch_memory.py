"""Peak memory of `fetch` on hostile pages from a local server (127.0.0.1 only).

    python scripts/bench_fetch_memory.py [--bomb-mb 400] [--big-mb 300]

Each fetch runs in a fresh child process; its peak resident memory (VmHWM) is compared with
a baseline child that imports the same modules and fetches a small page. Cases: a gzip bomb
(about 400 KB on the wire, BOMB_MB once decompressed) and a plain page of BIG_MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHILD = """
import sys, tempfile
from pathlib import Path
from align.batch.http import PoliteClient
from align.errors import AlignError
outcome = "ok"
with tempfile.TemporaryDirectory() as cache:
    with PoliteClient(cache_dir=Path(cache), rate_limit=0, retries=0) as client:
        try:
            client.get(sys.argv[1])
        except AlignError as error:
            outcome = str(error)
    left = sum(p.stat().st_size for p in Path(cache).iterdir())
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent
status = Path("/proc/self/status").read_text()
peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) / 1024
print(f"{peak:.1f}\\t{left}\\t{outcome}")
"""


def make_handler(pages: dict[str, tuple[bytes, bool]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, zipped = pages.get(self.path, (b"", False))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html")
            if zipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for start in range(0, len(body), 1 << 16):
                    self.wfile.write(body[start : start + (1 << 16)])
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            """Quiet."""

    return Handler


def measure(url: str) -> tuple[float, int, str]:
    out = subprocess.run([sys.executable, "-c", CHILD, url], capture_output=True, text=True)
    peak, left, outcome = out.stdout.strip().split("\t", 2)
    return float(peak), int(left), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=400)
    parser.add_argument("--big-mb", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory():
        bomb = gzip.compress(b"<p>" + b"\0" * (args.bomb_mb * 2**20), compresslevel=9)
        pages = {
            "/robots.txt": (b"", False),
            "/small.html": (b"<html><body><p>Hello.</p></body></html>", False),
            "/bomb.html": (bomb, True),
            "/big.html": (b"<p>" + b"a" * (args.big_mb * 2**20), False),
        }
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pages))
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        baseline = measure(base + "/small.html")[0]
        rows = {"baseline (small page)": measure(base + "/small.html")}
        rows[f"gzip bomb ({len(bomb) // 1024} KB -> {args.bomb_mb} MB)"] = measure(
            base + "/bomb.html"
        )
        rows[f"plain page of {args.big_mb} MB"] = measure(base + "/big.html")
        httpd.shutdown()
    for name, (peak, left, outcome) in rows.items():
        print(f"{name:<36} peak {peak:7.1f} MB  ({peak / baseline:4.2f}x baseline)  "
              f"cache {left} B  {outcome}")  # fmt: skip
    print(json.dumps({name: row[0] for name, row in rows.items()}))


if __name__ == "__main__":
    main()
