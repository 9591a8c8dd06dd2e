"""Start `interp-align review` as a real process on a free loopback port, and talk to it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
URL_LINE = re.compile(r"reviewing .* at (http://\S+)")


@dataclass
class Server:
    """A running review server process and its URL."""

    process: subprocess.Popen[str]
    url: str

    def request(
        self, path: str, body: dict[str, Any] | None = None, **headers: str
    ) -> tuple[int, Any]:
        """GET (or POST JSON) `path`; returns (status, parsed JSON or text)."""
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.url.split("?")[0] + path.lstrip("/"), data, headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                status, text = reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def csrf(self) -> str:
        status, page = self.request("/")
        assert status == 200, page
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        """Stop the process (SIGKILL to simulate a crash) and wait for it."""
        if self.process.poll() is None:
            os.kill(self.process.pid, sig)
        self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()


def start(run_dir: Path, *args: str, timeout: float = 30) -> Server:
    """Run `python -m align review RUN_DIR --port 0 ARGS` and wait for its URL line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "align", "review", str(run_dir), "--port", "0", *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        match = URL_LINE.search(line)
        if match:
            return Server(process, match.group(1))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"review server did not start: {process.stderr.read()}")
