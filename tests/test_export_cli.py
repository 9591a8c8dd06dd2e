"""`interp-align export` as a user runs it: `python -m align export ...` in a subprocess."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

SAMPLE = Path(__file__).parent / "data" / "sample_alignment.jsonl"


@pytest.fixture
def run(tmp_path: Path) -> Path:
    """A run directory holding the sample alignment (no run.json)."""
    folder = tmp_path / "run"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "alignment.jsonl")
    return folder


def test_sample_exports_in_every_format(run: Path, tmp_path: Path) -> None:
    """The sample alignment through the CLI once per format; stdout lists the files."""
    expected = {
        "tmx": ["sample.tmx"],
        "moses": ["sample.en", "sample.ja", "sample.meta.tsv"],
        "jsonl": ["sample.jsonl"],
        "csv": ["sample.csv"],
        "tsv": ["sample.tsv"],
        "parquet": ["sample.parquet"],
        "xliff": ["sample.xliff"],
    }
    for fmt, names in expected.items():
        out = tmp_path / "out" / ("sample" if fmt == "moses" else f"sample.{fmt}")
        result = run_cli("export", run, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [str(tmp_path / "out" / name) for name in names]
        assert "read 4 beads, wrote 3 (dropped: gaps 1)" in result.stderr
    lines = (tmp_path / "out" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["translation"]["ja"].startswith("12月16日、国家安全保障会議")


def test_filters_and_direction_on_the_command_line(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    result = run_cli(
        "export", run, "-f", "csv", "-o", out, "--min-confidence", "0.87",
        "--bead-types", "1-1,2-1", "--direction", "ja-en", "--event", "2022-12-16-nss-statement",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("ja,en,event,")
    assert len(lines) == 2 and lines[1].startswith("国際社会が")  # only bead 1: 1-1 and 0.88


def test_missing_run_directory_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-run"
    result = run_cli("export", missing, "--format", "tmx", "--out", tmp_path / "x.tmx")
    assert result.returncode == 2
    assert result.stderr.strip() == f"interp-align: error: {missing}: run directory does not exist"


def test_run_directory_without_alignment_exits_2(tmp_path: Path) -> None:
    result = run_cli("export", tmp_path, "--format", "csv", "--out", tmp_path / "x.csv")
    assert result.returncode == 2
    assert f"{tmp_path}: not a run directory (no alignment.jsonl)" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(run: Path, tmp_path: Path) -> None:
    result = run_cli("export", run, "--format", "docx", "--out", tmp_path / "x.docx")
    assert result.returncode == 2
    assert "'docx' is not one of" in result.stderr and "'tmx'" in result.stderr


def test_existing_output_is_refused_without_force(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    refused = run_cli("export", run, "--format", "jsonl", "--out", out)
    assert refused.returncode == 2
    assert f"{out}: output exists (pass --force to overwrite)" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    forced = run_cli("export", run, "--format", "jsonl", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_filter_that_leaves_nothing_exits_4_with_counts(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.tmx"
    result = run_cli("export", run, "-f", "tmx", "-o", out, "--min-confidence", "0.95")
    assert result.returncode == 4
    assert "no bead left to export: read 4 beads, wrote 0" in result.stderr
    assert "min-confidence 4" in result.stderr
    assert not out.exists()


def test_score_filters_without_scores_exit_2(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    divergence = run_cli("export", run, "-f", "csv", "-o", out, "--max-divergence", "0.3")
    assert divergence.returncode == 2
    assert "--max-divergence: no bead has a divergence score" in divergence.stderr
    reviewed = run_cli("export", run, "-f", "csv", "-o", out, "--reviewed-only")
    assert reviewed.returncode == 4  # the filter leaves nothing, as the README says
    assert "--reviewed-only: no bead has been reviewed" in reviewed.stderr
    assert not out.exists()


def test_bad_bead_types_is_a_usage_error(run: Path, tmp_path: Path) -> None:
    result = run_cli("export", run, "-f", "csv", "-o", tmp_path / "b.csv", "--bead-types", "1x1")
    assert result.returncode == 2
    assert "--bead-types" in result.stderr


def test_run_directories_without_beads_are_skipped_with_a_warning(
    run: Path, tmp_path: Path
) -> None:
    seed = tmp_path / "runs" / "seed-only"  # what `run` writes for an event with no pair
    seed.mkdir(parents=True)
    (seed / "alignment.jsonl").write_text("", encoding="utf-8")
    batch = tmp_path / "runs" / "corpora"  # a batch's output folder, matched by runs/*
    (batch / "events").mkdir(parents=True)
    out = tmp_path / "all.jsonl"
    result = run_cli("export", seed, batch, run, "-f", "jsonl", "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"warning: {seed}: no beads" in result.stderr
    assert f"warning: {batch}: not a run directory" in result.stderr
    assert len(out.read_text("utf-8").splitlines()) > 0
    alone = run_cli("export", seed, "-f", "jsonl", "-o", tmp_path / "none.jsonl")
    assert alone.returncode == 2 and "holds no alignment records" in alone.stderr
    missing = run_cli("export", run, tmp_path / "typo", "-f", "jsonl", "-o", tmp_path / "m.jsonl")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
