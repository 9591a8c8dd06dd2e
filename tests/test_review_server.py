"""The review server as a process: crash safety, one server per run, token off loopback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn  # noqa: F401 - fails loudly if the install is broken

from tests.e2e.rundir import write_run
from tests.e2e.server import ROOT, start


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run")


def test_action_survives_sigkill(run_dir: Path) -> None:
    server = start(run_dir)
    try:
        bead = server.request("/api/beads")[1][0]
        body = {
            "action": "confirm",
            "bead": bead["id"],
            "versions": {str(bead["id"]): bead["version"]},
        }
        status, reply = server.request("/api/action", body, **{"X-CSRF-Token": server.csrf()})
        assert status == 200, reply
    finally:
        server.kill(signal.SIGKILL)  # no shutdown code runs; the lock file stays behind
    assert (run_dir / "review.lock").exists()
    again = start(run_dir)
    try:
        beads = again.request("/api/beads")[1]
        assert beads[0]["id"] == bead["id"] and beads[0]["status"] == "reviewed"
        assert again.request("/api/audit")[1][0]["action"] == "confirm"
    finally:
        again.kill()


def test_second_server_on_the_same_run_is_refused(run_dir: Path) -> None:
    first = start(run_dir)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "align", "review", str(run_dir), "--port", "0"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 1
        assert "already serving this run" in second.stderr
        assert f"pid {first.process.pid}" in second.stderr and first.url in second.stderr
        assert first.request("/api/counts")[0] == 200  # the first one is untouched
    finally:
        first.kill()


def test_token_required_when_not_on_loopback(run_dir: Path) -> None:
    server = start(run_dir, "--host", "0.0.0.0", "--token", "tok-123")
    try:
        assert "?token=tok-123" in server.url
        local = server.url.replace("0.0.0.0", "127.0.0.1").split("?")[0]
        server.url = local
        assert server.request("/")[0] == 403
        assert server.request("/api/beads")[0] == 403
        assert server.request("/api/beads", **{"X-Review-Token": "tok-123"})[0] == 200
    finally:
        server.kill()


def test_a_token_is_made_up_when_none_is_given_off_loopback(run_dir: Path) -> None:
    server = start(run_dir, "--host", "0.0.0.0")
    try:
        assert "?token=" in server.url and len(server.url.split("?token=")[1]) >= 24
        server.url = server.url.replace("0.0.0.0", "127.0.0.1").split("?")[0]
        assert server.request("/api/counts")[0] == 403
    finally:
        server.kill()


def test_port_in_use_is_a_one_line_error(run_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "align", "review", str(run_dir), "--port", port],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("interp-align: error: cannot listen on 127.0.0.1:")
    assert "Traceback" not in result.stderr
