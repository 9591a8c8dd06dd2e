"""Drift across events on the planted corpus in corpora/drift, and its outputs."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from align.model import AlignedBead
from align.rundir import read_beads
from align.terms import load_termbase
from align.terms.drift import DriftOptions, drift_tables, read_runs
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


def test_wrong_concept_rendering_is_tracked_under_the_source_concept(tables) -> None:
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
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert '<section class="terms-drift"' in html and "反撃能力" in html
    for suffix in ("png", "svg"):
        plot = tmp_path / "plots" / f"counterstrike-capabilities.{suffix}"
        assert plot.stat().st_size > 1000
    svg = (tmp_path / "plots" / "counterstrike-capabilities.svg").read_bytes()
    assert f'src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}"' in html
    assert 'src="plots/' not in html  # inline: the page works on its own
    ranked = pd.read_csv(tmp_path / "concepts.csv")
    order = [html.index(f'id="drift-{c}"') for c in ranked.concept_id]
    assert order == sorted(order), "concept blocks follow the ranking"


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


def _bead(event: str, date: str, ja: str, en: str, **extra: object) -> AlignedBead:
    bead = {"event": event, "date": date, "bead_index": 0, "tgt_kind": "interpretation",
            "src_doc": f"{event}.ja", "tgt_doc": f"{event}.en", "tgt_speaker": "x",
            "src_text": ja, "tgt_text": en, "confidence": 0.8}  # fmt: skip
    return typed({**bead, **extra})


def test_gap_beads_and_low_confidence_pairs_are_left_out_unless_asked() -> None:
    beads = [
        _bead(
            "a", "2024-01-01", "反撃能力を保有する。", "We will have counterstrike capabilities."
        ),
        _bead("a", "2024-01-01", "反撃能力について述べた。", ""),  # 1-0: the JA term has no EN
        _bead("b", "2024-02-01", "反撃能力を持つ。", "counterattack capability", confidence=0.1),
    ]
    termbase = load_termbase()
    default = drift_tables(termbase, beads)
    occurrences = default["occurrences"]
    assert list(zip(occurrences.event, occurrences.status, strict=True)) == [("a", "preferred")]
    excluded = default["excluded"].set_index("reason")
    assert excluded.beads.tolist() == [1, 1] and excluded.pairs.tolist() == [0, 1]
    everything = drift_tables(
        termbase, beads, DriftOptions(include_gaps=True, min_pair_confidence=0)
    )["occurrences"]
    assert sorted(everything.status) == ["deprecated", "missing", "preferred"]


def test_concepts_rank_by_size_then_recency_of_change() -> None:
    csc, cac = "counterstrike capabilities", "counterattack capability"
    lmc, lmp = "like-minded countries", "like-minded partners"
    dates = {"e1": "2020-01-01", "e2": "2020-06-01", "e3": "2024-01-01", "e4": "2024-06-01"}
    used = {
        "e1": (csc, lmc, "deterrence"), "e2": (cac, lmc, "deterrence"),
        "e3": (cac, lmc, "deterrence"), "e4": (cac, lmp, "deterrence"),
    }  # fmt: skip
    beads = [
        _bead(e, dates[e], "反撃能力と同志国と抑止力。", f"{a}, {b} and {c}.")
        for e, (a, b, c) in used.items()
    ]
    ranking = drift_tables(load_termbase(), beads)["concepts"].set_index("concept_id")
    recent, old = ranking.loc["like-minded-countries"], ranking.loc["counterstrike-capabilities"]
    assert recent.change_size == old.change_size == 1.0
    assert (recent.change_date, old.change_date) == ("2024-06-01", "2020-06-01")
    assert recent["rank"] < old["rank"] < ranking.loc["deterrence"]["rank"]
    assert ranking.loc["deterrence"].score == 0.0


def test_planted_corpus_ranks_the_latest_full_changes_first(tables) -> None:
    ranking = tables["concepts"]
    assert set(ranking.concept_id[:2]) == {"japan-us-alliance", "stand-off-defense-capabilities"}
    assert ranking.score.is_monotonic_decreasing
    assert (ranking[ranking.score == 0].changes <= 1).all()


def test_the_pair_confidence_is_run_json_s_when_it_has_one(tmp_path: Path) -> None:
    from align.terms.runs import pair_confidences
    from tests.beads import write_alignment

    flat = {"event": "e", "date": "2024-01-01", "src_doc": "ja", "tgt_doc": "en",
            "src_text": "反撃能力を持つ。", "tgt_text": "counterstrike capabilities",
            "confidence": 0.2}  # fmt: skip
    run = write_alignment(tmp_path / "run", [flat])
    meta = {"pairs": [{"src_doc": "ja", "tgt_doc": "en", "confidence": 0.95}]}
    (run / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    termbase = load_termbase()
    trusted = drift_tables(termbase, read_runs([run]), pairs=pair_confidences([run]))
    assert len(trusted["occurrences"]) == 1  # the document evidence, not the beads' mean
    alone = drift_tables(termbase, read_runs([run]))
    assert alone["occurrences"].empty and alone["excluded"].beads.tolist() == [0, 1]
