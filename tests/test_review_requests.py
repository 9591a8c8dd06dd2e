"""Review server: malformed action bodies are 400 (never 500); the Host check on every loopback
address, IPv4 and IPv6, against DNS rebinding."""

from __future__ import annotations

import json
import re
import socket
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from align.review.app import create_app
from align.review.security import host_name, loopback_hosts
from tests.e2e.rundir import write_run
from tests.e2e.server import start


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run")


def _csrf(client: TestClient) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def test_malformed_bodies_are_answered_400(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir))
    bead = client.get("/api/beads").json()[0]
    ok = {"action": "confirm", "bead": bead["id"], "versions": {str(bead["id"]): bead["version"]}}
    headers = {"X-CSRF-Token": _csrf(client), "Content-Type": "application/json"}
    bodies = [
        json.dumps({**ok, "versions": {str(bead["id"]): [1]}}),  # a list as a version
        json.dumps({**ok, "versions": [bead["id"]]}),  # a list for the mapping
        json.dumps(ok).replace(f'"bead": {bead["id"]}', '"bead": Infinity'),
        json.dumps({**ok, "versions": {str(bead["id"]): 1e400}}),  # overflows to Infinity
        json.dumps({**ok, "bead": 2**70}),
        "[" * 30_000 + "]" * 30_000,
        '{"action": "confirm", "bead": ' + "[" * 30_000 + "]" * 30_000 + "}",
        json.dumps({**ok, "bead": True}),
        json.dumps({**ok, "text": 5, "action": "note"}),
        "not json",
    ]
    for body in bodies:
        reply = client.post("/api/action", content=body, headers=headers)
        assert reply.status_code == 400, (body[:80], reply.status_code, reply.text[:200])
        assert reply.json()["ok"] is False
    assert client.get("/api/counts").json()["reviewed"] == 0
    assert client.post("/api/action", json=ok, headers=headers).status_code == 200


def test_host_header_is_parsed_with_ipv6_literals() -> None:
    assert host_name("[::1]:8765") == "::1"
    assert host_name("127.0.0.2:80") == "127.0.0.2"
    assert host_name("localhost") == "localhost"
    assert host_name("evil.example:8765") == "evil.example"


@pytest.mark.parametrize(
    ("bound", "base"),
    [("127.0.0.1", "http://127.0.0.1:8765"), ("::1", "http://[::1]:8765"),
     ("127.0.0.2", "http://127.0.0.2:8765")],
)  # fmt: skip
def test_every_loopback_address_checks_the_host(run_dir: Path, bound: str, base: str) -> None:
    client = TestClient(create_app(run_dir, allowed_hosts=loopback_hosts(bound)), base_url=base)
    assert client.get("/api/counts").status_code == 200
    evil = client.get("/api/counts", headers={"Host": "evil.example"})
    assert evil.status_code == 400
    csrf = _csrf(client)
    bead = client.get("/api/beads").json()[0]
    body = {"action": "confirm", "bead": bead["id"], "versions": {str(bead["id"]): 1}}
    rebound = {"Host": "evil.example:8765", "Origin": "http://evil.example:8765",
               "X-CSRF-Token": csrf}  # fmt: skip
    assert client.post("/api/action", json=body, headers=rebound).status_code == 400
    assert client.get("/api/counts").json()["reviewed"] == 0


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("host", ["127.0.0.2", "::1"])
def test_a_real_server_on_another_loopback_address(run_dir: Path, host: str) -> None:
    if host == "::1" and not _ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback")
    server = start(run_dir, "--host", host)
    try:
        assert "token=" not in server.url, "a loopback address needs no token"
        assert server.request("/api/counts")[0] == 200
        request = urllib.request.Request(
            server.url + "api/counts", headers={"Host": "evil.example"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
    finally:
        server.kill()
