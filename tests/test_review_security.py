"""Review app safety: token, CSRF and Origin, body limit, host check; bad run directories."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx  # noqa: F401 - fails loudly if the install is broken
import pytest
import starlette  # noqa: F401 - fails loudly if the install is broken
from starlette.testclient import TestClient

from align.errors import InputError
from align.review.app import create_app
from align.review.security import is_loopback
from align.review.store import db_path, open_store
from tests.conftest import run_cli
from tests.e2e.rundir import write_run

TOKEN = "s3cret-token"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run")


def csrf_of(client: TestClient) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def confirm_body(client: TestClient) -> dict:
    bead = client.get("/api/beads").json()[0]
    return {"action": "confirm", "bead": bead["id"], "versions": {str(bead["id"]): bead["version"]}}


def test_token_required_on_every_request(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir, token=TOKEN), follow_redirects=False)
    for path in ("/", "/api/beads", "/static/review.js", "/api/audit"):
        assert client.get(path).status_code == 403, path
    assert client.post("/api/action", json={}).status_code == 403
    assert client.get("/", headers={"X-Review-Token": "wrong"}).status_code == 403
    assert client.get("/api/beads", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_token_in_the_url_becomes_a_cookie(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir, token=TOKEN), follow_redirects=False)
    reply = client.get(f"/?token={TOKEN}")
    assert reply.status_code == 303 and reply.headers["location"] == "/"
    assert "httponly" in reply.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200  # the cookie is sent from now on
    assert client.get("/static/review.css").status_code == 200


def test_state_changes_need_the_csrf_token(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir))
    csrf, body = csrf_of(client), confirm_body(client)
    assert client.post("/api/action", json=body).status_code == 403
    assert (
        client.post("/api/action", json=body, headers={"X-CSRF-Token": "guess"}).status_code == 403
    )
    evil = {"X-CSRF-Token": csrf, "Origin": "http://evil.example"}
    assert client.post("/api/action", json=body, headers=evil).status_code == 403
    form = client.post("/api/action", data={"action": "confirm"}, headers={"X-CSRF-Token": csrf})
    assert form.status_code == 415
    assert client.get("/api/counts").json()["reviewed"] == 0
    good = {"X-CSRF-Token": csrf, "Origin": "http://testserver"}
    assert client.post("/api/action", json=body, headers=good).status_code == 200


def test_request_size_limit(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir, max_body=1000))
    body = {**confirm_body(client), "action": "note", "text": "x" * 2000}
    reply = client.post("/api/action", json=body, headers={"X-CSRF-Token": csrf_of(client)})
    assert reply.status_code == 413


def test_host_header_checked_on_loopback(run_dir: Path) -> None:
    app = create_app(run_dir, allowed_hosts=["127.0.0.1", "localhost"])
    assert TestClient(app, base_url="http://127.0.0.1:8765").get("/").status_code == 200
    assert TestClient(app, base_url="http://rebound.example").get("/").status_code == 400


def test_security_headers(run_dir: Path) -> None:
    headers = TestClient(create_app(run_dir)).get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.4", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_run_directory_without_alignment(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no alignment.jsonl"):
        open_store(tmp_path)
    result = run_cli("review", tmp_path, "--port", "0")
    assert result.returncode == 2
    assert "interp-align: error:" in result.stderr and "no alignment.jsonl" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "review.lock").exists()


def test_empty_alignment(tmp_path: Path) -> None:
    (tmp_path / "alignment.jsonl").write_text("\n")
    with pytest.raises(InputError, match="no beads"):
        open_store(tmp_path)


def test_malformed_alignment_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "alignment.jsonl").write_text('{"schema": 2, "src_doc": "a"}\n')
    with pytest.raises(InputError, match="line 1: bead record: missing"):
        open_store(tmp_path)


def _bump_schema(run_dir: Path, version: int) -> None:
    open_store(run_dir).close()
    with sqlite3.connect(db_path(run_dir)) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (version,))


def test_database_from_a_newer_version_is_refused(run_dir: Path) -> None:
    _bump_schema(run_dir, 99)
    with pytest.raises(InputError, match="newer interp-align"):
        create_app(run_dir)
    result = run_cli("review", run_dir, "--port", "0")
    assert result.returncode == 2 and "review schema 99" in result.stderr
    assert "review.sqlite" in result.stderr


def test_not_a_database(run_dir: Path) -> None:
    db_path(run_dir).write_bytes(b"this is not sqlite, just text " * 100)
    with pytest.raises(InputError, match="not a review database"):
        open_store(run_dir)


def test_changed_alignment_is_refused(run_dir: Path) -> None:
    open_store(run_dir).close()
    path = run_dir / "alignment.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    records[0]["confidence"] = 0.01
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.raises(InputError, match="changed since this review started"):
        open_store(run_dir)
