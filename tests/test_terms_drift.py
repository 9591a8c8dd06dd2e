"""Drift across events on the planted corpus in corpora/drift, and its outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from align.rundir import read_beads
from align.terms import load_termbase
from align.terms.drift import drift_tables, read_runs
from align.terms.drift_html import drift_section
from tests.beads import typed
from tests.conftest import ROOT, run_cli

DRIFT = ROOT / "corpora" / "drift"
RUNS = sorted(p for p in DRIFT.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return drift_tables(load_termbase(), read_runs(RUNS))


def test_every_planted_drift_is_found_and_nothing_else(tables: dict[str, pd.DataFrame]) -> None:
    planted = yaml.safe_load((DRIFT / "planted.yaml").read_text(encoding="utf-8"))["planted"]
    expected = {(p["concept"], str(p["date"]), p["kind"], p["rendering"]) for p in planted}
    changes = tables["changes"]
    found = set(zip(changes.concept_id, changes.date, changes.kind, changes.rendering, strict=True))
    assert expected - found == set(), "planted drift not found"
    assert found - expected == set(), "change reported that was not planted"


def test_per_event_shares_and_sides(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"].set_index(["concept_id", "date"])
    january = events.loc[("counterstrike-capabilities", "2024-01-12")]
    assert january.occurrences == 3 and january.preferred_share == pytest.approx(2 / 3)
    assert january.dominant == "counterstrike capabilities" and january.sides == "interpretation"
    july = events.loc[("counterstrike-capabilities", "2024-07-28")]
    assert july.dominant == "counterattack capability"
    occurrences = tables["occurrences"]
    slip = occurrences[occurrences.rendering == "deterrence - the power"].iloc[0]
    assert (slip.tgt_speaker, slip.tgt_kind, slip.ja_term) == (
        "kamikawa",
        "interpretation",
        "抑止力",
    )


def test_wrong_concept_rendering_is_tracked_under_the_source_concept(tables) -> None:  # noqa: ANN001
    occurrences = tables["occurrences"]
    row = occurrences[(occurrences.concept_id == "rule-of-law")
                      & (occurrences.date == "2024-01-12")].iloc[0]  # fmt: skip
    assert (row.rendering, row.status, row.rendering_concept) == (
        "rules-based order", "other-concept", "rules-based-order",
    )  # fmt: skip


def test_cli_writes_tables_html_and_plots(tmp_path: Path) -> None:
    result = run_cli("terms", "drift", *RUNS, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    printed = pd.read_csv(pd.io.common.StringIO(result.stdout))
    assert "counterattack capability" in set(printed.rendering)
    for name in ("occurrences", "renderings", "events", "changes"):
        from_csv = pd.read_csv(tmp_path / f"{name}.csv")
        from_parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert len(from_csv) == len(from_parquet) > 0
    html = (tmp_path / "drift.html").read_text(encoding="utf-8")
    assert html.startswith('<section class="terms-drift"') and "反撃能力" in html
    for suffix in ("png", "svg"):
        plot = tmp_path / "plots" / f"counterstrike-capabilities.{suffix}"
        assert plot.stat().st_size > 1000
    assert 'src="plots/counterstrike-capabilities.svg"' in html


def test_html_escapes_every_text(tmp_path: Path) -> None:
    bead = {"event": "<script>alert(1)</script>", "date": "2024-01-01", "bead_index": 0,
            "tgt_kind": "interpretation", "tgt_speaker": "a&b",
            "src_text": "反撃能力", "tgt_text": "counterattack capability"}  # fmt: skip
    termbase = load_termbase()
    html = drift_section(termbase, drift_tables(termbase, [typed(bead)]))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_run_directory_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli("terms", "drift", tmp_path)
    assert result.returncode == 2
    assert "not a run directory (no alignment.jsonl)" in result.stderr
    assert "Traceback" not in result.stderr


def test_planted_corpus_is_in_the_run_format() -> None:
    keys = {"event", "date", "src_text", "tgt_text", "tgt_kind", "bead_index", "src_speaker",
            "tgt_speaker", "src_ids", "tgt_ids", "signature"}  # fmt: skip
    for run in RUNS:
        lines = (run / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines and all(keys <= json.loads(line).keys() for line in lines)
        assert read_beads(run)
