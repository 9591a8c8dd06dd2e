"""Corrections made in the review app flow into every export."""

from __future__ import annotations

import json
from pathlib import Path

import starlette  # noqa: F401 - fails loudly if the install is broken
from starlette.testclient import TestClient

from align.review.app import create_app
from tests.conftest import run_cli
from tests.e2e.rundir import write_run
from tests.test_review_api import Api, ids


def test_reviewed_only_export_uses_the_review_database(tmp_path: Path) -> None:
    run_dir = write_run(tmp_path / "run")
    api = Api(TestClient(create_app(run_dir, reviewer="alice")), "alice")
    first, second = ids(api)[:2]
    assert api.act("confirm", first).status_code == 200
    api.refresh()
    corrected = "Today we adopted the new National Security Strategy (corrected)."
    edit = api.act("edit", first, side="tgt", pos=0, text=corrected)
    assert edit.status_code == 200, edit.text
    api.refresh()
    assert api.act("confirm", first).status_code == 200
    assert api.act("reject", second).status_code == 200
    out = tmp_path / "reviewed.jsonl"
    result = run_cli("export", run_dir, "--format", "jsonl", "--out", out, "--reviewed-only")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 1
    assert rows[0]["translation"]["en"] == corrected
    everything = tmp_path / "all.jsonl"
    assert run_cli("export", run_dir, "-f", "jsonl", "-o", everything).returncode == 0
    texts = [json.loads(x)["translation"]["en"] for x in everything.read_text().splitlines()]
    assert corrected in texts  # corrections flow into every export, not only --reviewed-only


def test_reviewed_bead_files_are_written(tmp_path: Path) -> None:
    run_dir = write_run(tmp_path / "run")
    assert run_cli("review", run_dir, "--write-beads").returncode == 2  # no review yet
    api = Api(TestClient(create_app(run_dir, reviewer="alice")), "alice")
    first = ids(api)[0]
    assert api.act("merge", first, ids(api)[1]).status_code == 200
    result = run_cli("review", run_dir, "--write-beads")
    assert result.returncode == 0, result.stderr
    files = sorted((run_dir / "beads-reviewed").rglob("*.txt"))
    assert files
    whole = next(p for p in files if p.parent.name == "beads-reviewed")
    assert whole.read_text().splitlines()[0] == "[0, 1]:[0, 1, 2]"
