"""Text-located gold: link precision/recall/F1 of a run, whatever segmenter made the gold."""

from __future__ import annotations

import json
import sys

import pytest

from align.aligners.evaluate import parse_line
from align.aligners.goldtext import locate, run_links, score_links
from tests.conftest import ROOT, SHARED, run_cli

GOLD_TEXT = ROOT / "tests" / "data" / "gold_text"


def test_units_are_found_across_segmentations():
    sentences = ["The first. The second", "half goes on.", "A third."]
    units = ["The first.", "The second half goes on.", "A  third.", "Not there."]
    assert locate(units, sentences) == [{0}, {0, 1}, {2}, set()]


def test_link_scores_by_hand():
    src_units, tgt_units = ["甲。", "乙。", "丙。"], ["A.", "B.", "C."]
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ())]
    # the run split differently: its sentence 0 holds units 0 and 1 on the source side
    src_run, tgt_run = ["甲。乙。", "丙。"], ["A.", "B.", "C."]
    beads = [((0,), (0, 1)), ((1,), (2,))]
    score = score_links(src_units, tgt_units, gold, src_run, tgt_run, beads).as_dict()
    # run links: (0,0) (0,1) (1,0) (1,1) from bead 1, (2,2) from bead 2; gold: (0,0) (1,1) (1,2)
    assert (score["links_run"], score["links_gold"], score["links_correct"]) == (5, 3, 2)
    assert score["precision"] == pytest.approx(2 / 5)
    assert score["recall"] == pytest.approx(2 / 3)


def test_run_links_ignore_unlocated_units():
    assert run_links([((0,), (0,))], [set()], [{0}]) == set()


@pytest.fixture(scope="module")
def nds_run(tmp_path_factory):
    if not (SHARED / "sources").is_dir():
        pytest.skip("../shared is not present")
    shared = SHARED
    out = tmp_path_factory.mktemp("nds") / "run"
    result = run_cli(
        "run",
        shared / "sources/ja_nds_2022_toc.txt",
        shared / "sources/en_worldjpn_nds_2022_toc.txt",
        "--out",
        out,
        "--no-score",
    )
    assert result.returncode == 0, result.stderr
    return out


def test_evaluate_gold_text_scores_a_real_run(nds_run):
    folder = GOLD_TEXT / "nds_2022_toc"
    args = [folder / "ja.txt", folder / "en.txt", folder / "gold.txt"]
    result = run_cli("evaluate", "--gold-text", *args, "--run", nds_run, "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["units_unlocated"] == 0 and scores["links_gold"] == 30
    assert scores["f1"] >= 0.95
    table = run_cli("evaluate", "--gold-text", *args, "--run", nds_run)
    assert table.returncode == 0 and f"F1 {scores['f1']:.3f}" in table.stdout


def test_evaluate_gold_text_bad_input(tmp_path, nds_run):
    folder = GOLD_TEXT / "nds_2022_toc"
    bad = tmp_path / "gold.txt"
    bad.write_text("[0]:[999]\n", "utf-8")
    cases = [
        (
            ["--gold-text", folder / "ja.txt", folder / "en.txt", bad, "--run", nds_run],
            "points past the unit files",
        ),
        (
            [
                "--gold-text",
                folder / "ja.txt",
                folder / "en.txt",
                folder / "gold.txt",
                "--run",
                tmp_path,
            ],
            "not a run directory",
        ),
        (
            [
                "--gold-text",
                tmp_path / "none.txt",
                folder / "en.txt",
                folder / "gold.txt",
                "--run",
                nds_run,
            ],
            "gold unit file not found",
        ),
        (
            ["--gold-text", folder / "ja.txt", folder / "en.txt", folder / "gold.txt"],
            "pair them one to one",
        ),
    ]
    for args, message in cases:
        result = run_cli("evaluate", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_bench_interp_builds_documents_from_rows(shared):
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_interp import pieces, read_talks, split

    assert pieces("はい。そうです！ええと、") == ["はい。", "そうです！", "ええと、"]
    data = shared / "interpretation" / "naist-sic-aligned" / "dev.true.tsv"
    if not data.is_file():
        pytest.skip("NAIST-SIC data absent")
    talks = read_talks(data)
    assert len(talks) == 4 and sum(len(t.en) for t in talks) == 238
    for talk in talks:  # the gold covers both sides exactly, in order
        assert [s for s, _ in talk.gold] == [(i,) for i in range(len(talk.en))]
        assert [j for _, t in talk.gold for j in t] == list(range(len(talk.ja)))
    assert {t.name for t in split(talks, "fit")}.isdisjoint(t.name for t in split(talks, "report"))


def test_held_out_gold_files_cover_their_units():
    for folder in sorted(p for p in GOLD_TEXT.iterdir() if p.is_dir()):
        units = [len((folder / f).read_text("utf-8").splitlines()) for f in ("ja.txt", "en.txt")]
        beads = [line for line in (folder / "gold.txt").read_text("utf-8").splitlines() if line]
        pairs = [parse_line(b) for b in beads]
        assert sorted(i for s, _ in pairs for i in s) == list(range(units[0])), folder
        assert sorted(j for _, t in pairs for j in t) == list(range(units[1])), folder
