"""`run` on every shipped event gives the same outputs, in content, as the reference.

The reference (tests/data/run_reference.json) was made from the outputs of the code before the
typed bead record (flat records migrated to schema 2), with scripts/make_run_reference.py;
regenerate it with that script when a change is meant to alter the outputs.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from align.aligners.turns import TurnParams
from align.rundir import read_beads
from align.runner import RunOptions, run
from tests.conftest import ROOT

EVENTS = sorted((ROOT / "corpora" / "events").iterdir())
TOLERANCE = 2e-3  # embeddings may differ in the last bits between machines


def _maker() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_run_reference", ROOT / "scripts" / "make_run_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_close(got: Any, want: Any, where: str = "") -> None:
    """Equal, except that numbers may differ by TOLERANCE."""
    if isinstance(want, bool) or want is None or isinstance(want, str):
        assert got == want, where
    elif isinstance(want, (int, float)):
        assert isinstance(got, (int, float)) and abs(got - want) <= TOLERANCE, where
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), f"{where}: keys"
        for key in want:
            assert_close(got[key], want[key], f"{where}.{key}")
    else:
        assert isinstance(got, list) and len(got) == len(want), f"{where}: length"
        for index, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_close(a, b, f"{where}[{index}]")


def _numbers(rows: list[list[str]]) -> list[list[Any]]:
    """CSV cells as floats where they are numbers, so rounding noise compares as numbers."""

    def cell(text: str) -> Any:
        try:
            return float(text)
        except ValueError:
            return text

    return [[cell(c) for c in row] for row in rows]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("runs")
    run(EVENTS, folder, RunOptions())
    return folder


@pytest.fixture(scope="module")
def outputs(out: Path) -> dict[str, Any]:
    maker = _maker()
    return {event.name: maker.event_outputs(out / event.name) for event in EVENTS}


def test_signature_names_every_turn_dp_setting(out: Path) -> None:
    beads = read_beads(out / "2022-12-16-nss-statement")
    params = TurnParams()
    expected = (
        f"turns:dp(speaker={params.speaker_bonus},offset={params.content_offset},"
        f"length={params.length_weight},skip={params.skip},group={params.max_group},"
        f"mismatch={params.mismatch_penalty},floor={params.content_floor},"
        f"mutual={params.mutual_only})"
    )
    assert beads and all(b.signature.endswith(expected) for b in beads)


@pytest.mark.parametrize("event", [e.name for e in EVENTS])
def test_outputs_match_the_reference(outputs: dict[str, Any], event: str) -> None:
    reference = json.loads((ROOT / "tests" / "data" / "run_reference.json").read_text("utf-8"))
    got, want = outputs[event], reference[event]
    assert got["files"] == want["files"]
    assert_close(got["beads"], want["beads"], "beads")
    assert got["bead_files"] == want["bead_files"]
    assert_close(got["run"], want["run"], "run.json")
    assert_close(got.get("scores"), want.get("scores"), "scores.json")
    if "scores_csv" in want:
        assert_close(_numbers(got["scores_csv"]), _numbers(want["scores_csv"]), "scores.csv")
    assert got["documents"] == want["documents"]
    assert got["report"] == want["report"]
