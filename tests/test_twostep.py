"""Bertalign's two-step search: anchors from top-k pairs, windows between them, n:m beads."""

from __future__ import annotations

import json

import numpy as np
import pytest

from align.aligners import align_sentences
from align.aligners import twostep as ts
from align.aligners.band import Band
from align.errors import InputError
from tests.test_sentences_aligner import FakeEmbedder, assert_covers, pairs

PLAN = [(1, 1)] * 5 + [(1, 2)] + [(1, 1)] * 5 + [(2, 1)] + [(1, 1)] * 5 + [(1, 4)] + [(1, 1)] * 5


def fixture() -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """Fake-text documents whose gold holds a 1-2, a 2-1 and a 1-4 bead among 1-1 beads."""
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    meaning = 0
    for a, b in PLAN:
        ids = list(range(meaning, meaning + max(a, b)))
        meaning += max(a, b)
        src_parts, tgt_parts = np.array_split(ids, a), np.array_split(ids, b)
        gold.append((tuple(range(len(src), len(src) + a)), tuple(range(len(tgt), len(tgt) + b))))
        src += ["文" + "と".join(f"{i}番" for i in part) + "です" for part in src_parts]
        tgt += ["Item " + " and ".join(f"{i}" for i in part) + " here." for part in tgt_parts]
    return src, tgt, gold


def test_two_step_recovers_one_to_two_two_to_one_and_one_to_four() -> None:
    src, tgt, gold = fixture()
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en",
                             method="twostep")  # fmt: skip
    assert pairs(result) == gold
    assert {(len(s), len(t)) for s, t in gold} >= {(1, 2), (2, 1), (1, 4)}
    assert "method:twostep(k=3,win=5)" in str(result.signature)


def test_the_n_to_m_beads_come_from_the_second_step() -> None:
    """The first step alone gives 1-1 anchors only; the windows hold far fewer cells than the
    matrix, so the second step searches them, not the whole matrix."""
    src, tgt, gold = fixture()
    embedder = FakeEmbedder()
    vectors = embedder.embed(src + tgt)
    first = ts.anchors(vectors[: len(src)], vectors[len(src) :])
    anchored = [((i,), (j,)) in gold for i, j in first]
    assert len(first) >= 20 and sum(anchored) >= len(first) - 3  # nearly all gold 1-1 pairs
    band = ts.anchor_band(first, len(src), len(tgt))
    assert band.size < Band.full(len(src), len(tgt)).size / 2
    ends = np.cumsum([[len(a), len(b)] for a, b in gold], axis=0)
    assert (band.flat(ends[:, 0], ends[:, 1]) >= 0).all()  # the gold path lies in the windows


def test_anchor_windows_follow_bertalign() -> None:
    band = ts.anchor_band([(1, 1), (4, 6)], 8, 9, window=1)
    assert (band.lo[0], band.hi[0]) == (0, 3)  # row 0 as row 1: up to anchor (2, 2) + 1
    assert all((band.lo[i], band.hi[i]) == (0, 3) for i in (1, 2))
    assert all((band.lo[i], band.hi[i]) == (1, 8) for i in (3, 4, 5))  # (2, 2) - 1 to (5, 7) + 1
    assert all((band.lo[i], band.hi[i]) == (6, 9) for i in (6, 7, 8))  # to the end node (8, 9)
    assert ts.anchor_band([], 3, 4, window=1).size == Band.full(3, 4).size  # no anchor: all


def test_the_chain_is_increasing_and_best() -> None:
    rng = np.random.default_rng(3)
    src = rng.standard_normal((30, 8)).astype(np.float32)
    tgt = rng.standard_normal((25, 8)).astype(np.float32)
    chain = ts.anchors(src, tgt, k=3)
    assert all(i0 < i1 and j0 < j1 for (i0, j0), (i1, j1) in zip(chain, chain[1:], strict=False))
    columns, scores = ts.top_k(src, tgt, 3)
    allowed = {
        (i, int(j)): float(s) for i in range(30) for j, s in zip(columns[i], scores[i], strict=True)
    }
    assert all((i, j) in allowed for i, j in chain)
    best = {}  # exhaustive DP over the same candidate pairs
    for (i, j), s in sorted(allowed.items()):
        if s > 0:
            best[(i, j)] = s + max([v for (a, b), v in best.items() if a < i and b < j] or [0])
    assert sum(allowed[p] for p in chain) == pytest.approx(max(best.values()), abs=1e-4)


@pytest.mark.parametrize(
    ("src", "tgt"),
    [([], ["Item 1 here."]), (["文1番です"], []), (["文1番です"], ["Item 1 here."]),
     (["文1番です"], [f"Item {i} here." for i in range(1, 9)])],
)  # fmt: skip
def test_empty_and_one_sentence_sides(src: list[str], tgt: list[str]) -> None:
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en",
                             method="twostep")  # fmt: skip
    assert_covers(result.beads, len(src), len(tgt))
    if src and tgt:
        assert (0,) in [b.src for b in result.beads] and result.beads[0].tgt[:1] in ((), (0,))


def test_bad_two_step_settings_are_rejected() -> None:
    for overrides in ({"method": "bertalign"}, {"method": "twostep", "top_k": 0}):
        with pytest.raises(InputError):
            align_sentences(["文1番です"], ["Item 1 here."], FakeEmbedder(), src_lang="ja",
                            tgt_lang="en", **overrides)  # fmt: skip


def test_the_cli_sentences_option(tmp_path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "src.ja").write_text("今日は晴れです。\n私は毎日英語を勉強します。彼は医者です。\n")
    (tmp_path / "tgt.en").write_text(
        "It is sunny today.\nI study English every day.\nHe is a doctor.\n"
    )
    out = run_cli("sentences", "src.ja", "tgt.en", "--aligner", "twostep", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [b["type"] for b in data["beads"]] == ["1-1", "1-2"]
    assert "method:twostep" in data["signature"]
    bad = run_cli("sentences", "src.ja", "tgt.en", "--aligner", "bertalign", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown --aligner 'bertalign'" in bad.stderr


def test_the_batch_config_and_run_options(tmp_path) -> None:
    from align.batch import build_plan
    from align.runner import RunOptions, _run_event
    from tests.test_batch_support import NSS, copy_event, write_config

    copy_event(NSS, tmp_path / "events")
    base = {"out": "out", "events": {"glob": "events/*"}}
    steps = {"align": {"aligner": "twostep", "pictures": False}}
    plan = build_plan(write_config(tmp_path / "a.yaml", {**base, "steps": steps}))
    assert plan.settings.steps[0].options["aligner"] == "twostep"
    default = build_plan(write_config(tmp_path / "b.yaml", {**base, "steps": {"align": {}}}))
    assert "aligner" not in default.settings.steps[0].options  # old signatures unchanged
    bad = write_config(tmp_path / "c.yaml", {**base, "steps": {"align": {"aligner": "x"}}})
    with pytest.raises(InputError, match="aligner"):
        build_plan(bad)
    from align.ingest.event import load_event

    event = load_event(tmp_path / "events" / NSS)
    options = RunOptions(use_cache=False, pictures=False, score=False, aligner="twostep")
    work = tmp_path / "run"
    work.mkdir()
    summary = _run_event(event, work, work, FakeEmbedder(), options)
    assert "method:twostep" in json.dumps(summary)


def test_windows_too_large_fall_back_to_the_default_band(monkeypatch) -> None:
    src, tgt, gold = fixture()
    embedder = FakeEmbedder()
    default = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en", max_bead=4)
    monkeypatch.setattr(ts, "max_cells", lambda n, m: 10)  # every window counts as too large
    result = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en", method="twostep")
    assert result.stats["band_cells"] == default.stats["band_cells"]
    assert pairs(result) == pairs(default) == gold


def test_the_cell_limit_is_linear_in_document_length() -> None:
    assert ts.max_cells(20_000, 20_000) == 4_000_000 == 2 * ts.max_cells(10_000, 10_000)
