"""Review edits are rescored in memory: merged, split and shifted beads carry fresh scores."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from align.embed import load_embedder
from align.export import export_runs, get_format
from align.review import reviewed_records
from align.review.app import create_app
from align.scoring.run import score_beads, scoring_context
from tests.e2e.rundir import write_run
from tests.test_review_api import Api, ids, shape


@pytest.fixture(scope="module")
def context() -> Any:
    return scoring_context(load_embedder("use"))


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run")


def fresh(beads: list[Any], context: Any) -> list[Any]:
    """The same beads scored from scratch, as `score` would score them."""
    return score_beads([replace(b, scores=None) for b in beads], context)


def assert_fresh(run_dir: Path, context: Any) -> list[Any]:
    beads = list(reviewed_records(run_dir))
    assert [b.scores for b in beads] == [b.scores for b in fresh(beads, context)]
    assert not any(b.scores.stale for b in beads)
    return beads


@pytest.mark.parametrize(
    ("action", "params", "changed"),
    [
        ("merge", {}, "2-3"),
        ("split", {"src_at": 1, "tgt_at": 1}, "1-1"),
        ("shift", {"side": "tgt", "direction": "down"}, "1-1"),
    ],
)
def test_edits_leave_beads_whose_scores_equal_a_fresh_scoring(
    run_dir: Path, context: Any, action: str, params: dict[str, Any], changed: str
) -> None:
    alice = Api(TestClient(create_app(run_dir, reviewer="alice")), "alice")
    first, second, *_ = ids(alice)
    bead = second if action == "split" else first
    assert alice.act(action, bead, first, second, **params).status_code == 200
    beads = assert_fresh(run_dir, context)
    assert changed in {b.bead for b in beads if b.pair_index == 0}


def test_two_step_undo_returns_the_original_state_and_scores(run_dir: Path, context: Any) -> None:
    client = TestClient(create_app(run_dir, reviewer="alice"))
    alice = Api(client, "alice")
    original_shape = shape(alice.refresh())
    original = list(reviewed_records(run_dir))
    first, second, third, *_ = ids(alice)
    assert alice.act("merge", first, second).status_code == 200
    alice.refresh()
    assert alice.act("merge", first, third).status_code == 200
    assert shape(alice.refresh())[0] == ([0, 1, 2], [0, 1, 2, 3])
    assert_fresh(run_dir, context)
    assert alice.post({"action": "undo"}).status_code == 200
    assert shape(alice.refresh())[:2] == [([0, 1], [0, 1, 2]), ([2], [3])]
    assert alice.post({"action": "undo"}).status_code == 200
    assert shape(alice.refresh()) == original_shape and ids(alice)[:3] == [first, second, third]
    back = list(reviewed_records(run_dir))
    assert [(b.src_text, b.tgt_text, b.scores) for b in back] == [
        (b.src_text, b.tgt_text, b.scores) for b in original
    ]
    assert alice.post({"action": "undo"}).status_code == 400  # nothing left to undo


def test_without_rescoring_edits_are_marked_stale_on_the_page_and_in_exports(
    run_dir: Path, tmp_path: Path
) -> None:
    client = TestClient(create_app(run_dir, reviewer="alice", rescore=False))
    alice = Api(client, "alice")
    export_runs([run_dir], "jsonl", tmp_path / "before.jsonl")
    assert {r["scores_stale"] for r in get_format("jsonl").read(tmp_path / "before.jsonl")} == {
        None
    }
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    merged = next(iter(reviewed_records(run_dir)))
    assert merged.scores.stale is True
    assert re.search(r"div 0\.12 \(stale\)", client.get("/").text)
    out = tmp_path / "out.jsonl"
    export_runs([run_dir], "jsonl", out)
    rows = list(get_format("jsonl").read(out))
    assert rows[0]["scores_stale"] is True  # and the rest of its document pair (one calibration)
    assert {r["scores_stale"] for r in rows if r["divergence"] is not None} == {True}


def test_score_rescore_scores_the_reviewed_state(run_dir: Path, context: Any) -> None:
    from align.errors import InputError
    from align.scoring.run import score_run

    alice = Api(TestClient(create_app(run_dir, reviewer="alice", rescore=False)), "alice")
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    alignment = (run_dir / "alignment.jsonl").read_bytes()
    assert next(iter(reviewed_records(run_dir))).scores.stale
    with pytest.raises(InputError, match="has a review.*--rescore"):
        score_run(run_dir, embedder=context.embedder)
    summary = score_run(run_dir, embedder=context.embedder, rescore=True)
    beads = assert_fresh(run_dir, context)
    assert summary["beads"] == len(beads) and beads[0].bead == "2-3"
    assert (run_dir / "alignment.jsonl").read_bytes() == alignment  # the review stays valid
    assert (run_dir / "scores.csv").read_text("utf-8").count("\n") == len(beads) + 1
