"""The `divergence` and `score` commands as a user runs them, including their bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent / "data"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_divergence_prints_one_result_per_line(tmp_path: Path) -> None:
    ja = _write(
        tmp_path / "ja.txt", ["約60分間会談した。", "", "日本は、ASEANの中心性を支持した。"]
    )
    en = _write(
        tmp_path / "en.txt",
        ["They met for about 45 minutes.", "", "Japan opposed ASEAN centrality."],
    )
    done = run_cli("divergence", ja, en, "--src-lang", "ja", "--tgt-lang", "en", "--json")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["line"] for r in results] == [1, 2, 3]
    assert "number" in results[0]["labels"] and "60" in results[0]["reasons"][0]
    assert results[1] == {"line": 2, "skipped": "empty"}
    assert "meaning_shift" in results[2]["labels"]


def test_divergence_line_count_mismatch_names_both_counts(tmp_path: Path) -> None:
    ja = _write(tmp_path / "ja.txt", ["一。", "二。", "三。"])
    en = _write(tmp_path / "en.txt", ["One."])
    done = run_cli("divergence", ja, en)
    assert done.returncode == 2
    assert "has 3 lines" in done.stderr and "has 1 lines" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_divergence_all_empty_lines_is_an_error(tmp_path: Path) -> None:
    ja = _write(tmp_path / "ja.txt", ["", "  "])
    en = _write(tmp_path / "en.txt", ["", ""])
    done = run_cli("divergence", ja, en)
    assert done.returncode == 2 and "no non-empty line pairs" in done.stderr


def test_score_command_and_signature_mismatch(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    text = (DATA / "sample_alignment.jsonl").read_text("utf-8")
    (run / "alignment.jsonl").write_text(
        text.replace("interp-align:0.1.0", "interp-align:9.9"), "utf-8"
    )
    done = run_cli("score", run)
    assert done.returncode == 2
    assert "interp-align 9.9" in done.stderr and "--rescore" in done.stderr
    done = run_cli("score", run, "--rescore", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["beads"] == len(text.splitlines())
    assert (run / "scores.csv").is_file() and (run / "scores.parquet").is_file()
    shutil.rmtree(run)
