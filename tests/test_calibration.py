"""Calibrated bead confidence, the document-level warning, and the aligner levers kept."""

from __future__ import annotations

import json

import numpy as np

from align.aligners import align_sentences, confidence
from align.aligners.length import char_ratio
from align.errors import LOW_CONFIDENCE
from tests.conftest import run_cli
from tests.test_sentences_aligner import FakeEmbedder


def test_calibration_map_is_shipped_monotone_and_bounded():
    model = confidence.load_calibration()
    assert model is not None and "NAIST" in model["fitted_on"]
    assert np.all(np.diff(model["isotonic_x"]) >= 0)
    assert np.all(np.diff(model["isotonic_y"]) >= 0)
    margins = np.linspace(0, 1.5, 50)
    p = confidence.bead_confidence(margins, np.full(50, 3.0), np.ones(50, dtype=bool))
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.diff(p) >= -1e-12)  # more margin, surer
    assert p[0] < 0.5 < p[-1]


def test_document_evidence_rewards_a_few_sure_links_not_many_skips():
    excerpt = [0.99, 0.98, 0.1] + [0.13] * 12  # a lead paragraph inside a long page
    assert confidence.document_evidence(excerpt, [True] * 3 + [False] * 12) > LOW_CONFIDENCE
    chance = [0.95] + [0.05] * 39  # one chance high among forty unrelated links
    assert confidence.document_evidence(chance, [True] * 40) < LOW_CONFIDENCE
    toc = [0.99] * 5  # a table of contents: headings only
    assert confidence.document_evidence(toc, [False] * 5, [True] * 5) > LOW_CONFIDENCE
    assert confidence.document_evidence(toc, [False] * 5) == 0.0  # chrome is no evidence


def test_genuine_partial_pair_is_not_called_unrelated(tmp_path, shared):
    """The joint statement's Japanese against the English lead paragraph only (--strict)."""
    ja = shared / "sources/ja_worldjpn_2p2_20240728_joint_statement.txt"
    en = shared / "sources/en_2p2_20240728_joint_statement_lead.txt"
    result = run_cli("run", ja, en, "--out", tmp_path / "r", "--no-score", "--strict", "--json")
    assert result.returncode == 0, result.stderr
    pair = json.loads(result.stdout)[0]["pairs"][0]
    assert not pair["low_confidence"]


def test_unrelated_real_pair_warns_and_exits_3(tmp_path, shared):
    ja = shared / "sources/ja_mofa_kaiken_20240723.txt"
    en = shared / "sources/en_worldjpn_2p2_20110621_joint_statement.txt"
    result = run_cli("run", ja, en, "--out", tmp_path / "r", "--no-score", "--strict")
    assert result.returncode == 3 and "low alignment confidence" in result.stderr
    records = [json.loads(x) for x in (tmp_path / "r/alignment.jsonl").read_text().splitlines()]
    linked = [r["confidence"] for r in records if r["src_idx"] and r["tgt_idx"]]
    assert len(linked) <= 2 and all(c < 0.62 for c in linked)  # nothing sure is forced


def test_merge_must_beat_its_split():
    src = ["s1", "s2", "s3"]
    tgt = ["t1", "t2 9", "t3"]  # t2 carries an extra, unrelated meaning: not a reason to merge
    kept = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    assert [b.type for b in kept.beads] == ["1-1", "1-1", "1-1"]
    assert "merge_margin:0.05" in str(kept.signature)


def test_partial_excerpt_tail_is_left_unmerged():
    """A Japanese original against an English excerpt: the tail stays 1-0."""
    src = [f"文{k}です。" for k in range(1, 11)]
    tgt = [f"Sentence {k} here." for k in range(1, 6)]
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    pairs = {(b.src, b.tgt) for b in result.beads}
    assert {((k,), (k,)) for k in range(5)} <= pairs
    assert {((k,), ()) for k in range(5, 10)} <= pairs


def test_ratio_is_kept_near_the_sentence_length_ratio():
    one, many = ["あ" * 20], ["x" * 40] * 200
    assert char_ratio(one, many) == 400.0
    assert char_ratio(one, many, clamp=2.0) == 4.0
    assert char_ratio(["あ" * 20] * 10, ["x" * 40] * 10, clamp=2.0) == 2.0
