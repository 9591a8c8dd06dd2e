"""scripts/bench_speed.py's pieces run on tiny inputs and give well-formed figures (no timing
assertions: speed is measured by the script itself, as ratios)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(
        "bench_speed", ROOT / "scripts" / "bench_speed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_read_piece(bench, tmp_path, capsys):
    row = bench.read_speed(0.02, 1, tmp_path)
    assert row["en"] > 0 and row["ja"] > 0 and row["ratio"] == row["en"] / row["ja"]
    bench.print_read(row)
    assert "English / Japanese" in capsys.readouterr().out


def test_cold_run_piece(bench, tmp_path, capsys):
    event = ROOT / "corpora" / "events" / "2024-01-12-fm-meeting"
    row = bench.cold_run([event], tmp_path, score=False)
    assert 0 < row["loaded_forward_s"] < row["loaded_total_s"] and 0 < row["first_share"] < 1
    bench.print_cold({"no scoring": row})
    assert "dictionaries loaded" in capsys.readouterr().out


@pytest.mark.skipif(not TANAKA.is_dir(), reason="../shared/parallel is absent")
def test_scoring_scale_and_batch_pieces(bench, tmp_path, capsys):
    row = bench.scoring_speed(6, 1, events=False)
    assert row["align_s"] > 0 and row["score_s"] > 0 and row["beads"] > 0
    assert row["strings_all"] > row["strings_align"] > 0  # scoring embeds more than alignment
    assert row["tokens"] and row["tokens_align"] > 0  # beads: alignment's
    assert 0 < row["tokens_score"] <= row["tokens_asked"]  # shared contexts run once
    assert "embedding (batched calls)" in row["signals"]
    assert row["signals"]["_cleared"] + row["signals"]["_deep"] == row["beads"]  # the screen
    bench.print_scoring(row)
    rows = bench.scale([40])
    assert rows[0]["size"] == 40 and rows[0]["rss_peak_mib"] > 0
    bench.print_scale(rows)
    batch = bench.batch_speed(2, 2, tmp_path, ["local1"])
    assert batch["local1"]["result"]["counts"]["computed"] == 2
    row = batch["local1"]  # each event's own clock, from `batch --json`
    assert 0 < row["start"] < row["wall"] and 0 < row["tail"] < row["wall"]
    assert row["event_cpu"] > 0 and 0 < row["work"] < row["wall"]
    bench.print_batch(batch, 2)
    out = capsys.readouterr().out
    assert "(alignment + scoring) / alignment" in out and "speedup" in out
