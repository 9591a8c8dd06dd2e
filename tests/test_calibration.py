"""Calibrated bead confidence, the document-level warning, and the aligner levers kept."""

from __future__ import annotations

import json

import numpy as np
import pytest

from align.aligners import align_sentences, confidence
from align.aligners.length import char_ratio
from align.errors import LOW_CONFIDENCE
from tests.conftest import ROOT, run_cli
from tests.test_sentences_aligner import FakeEmbedder


def test_calibration_map_is_shipped_monotone_and_bounded():
    model = confidence.load_calibration()
    assert model is not None and "NAIST" in model["fitted_on"]
    assert np.all(np.diff(model["isotonic_x"]) >= 0)
    assert np.all(np.diff(model["isotonic_y"]) >= 0)
    margins = np.linspace(0, 1.5, 50)
    p = confidence.bead_confidence(margins, np.full(50, 3.0), np.ones(50, dtype=bool), np.zeros(50))
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.diff(p) >= -1e-12)  # more margin, surer
    assert p[0] < 0.5 < p[-1]


def test_a_bead_filling_a_speaker_matched_turn_pair_is_sure_despite_a_small_margin():
    """「では、すみません、失礼します。」 / "I'll be on my way then." alone in a turn pair: margin
    0.36 (it only beats skipping both) and z 0.4 (short, formulaic) read as torn without pin."""
    both = np.ones(2, dtype=bool)
    pinned, loose = confidence.bead_confidence(
        np.array([0.36, 0.36]), np.array([0.4, 0.4]), both, np.array([1.0, 0.0])
    )
    assert pinned > 0.9 and loose < 0.5
    path = [(0, 1, 0, 1), (1, 3, 1, 2)]
    assert confidence.pinned(path, 3, 2, True).tolist() == [1 / 4, 1 / 3]
    assert confidence.pinned(path, 3, 2, False).tolist() == [0.0, 0.0]


def test_short_dialogue_turns_get_their_observed_accuracy(shared):
    """BSD dialogues nothing was fitted on (the report split) through the pipeline: the beads of
    one- and two-sentence turn pairs are right, and their confidence says so."""
    import sys

    from align.embed import load_embedder
    from align.ingest import parse_text
    from align.ingest.event import Event
    from align.pipeline import align_documents

    sys.path.insert(0, str(ROOT / "scripts"))
    import bsd_transcripts as bsd

    if not bsd.count():
        pytest.skip("../shared/dialogue/bsd is absent")

    embedder, short = load_embedder("use"), []
    for index in bsd.split("report")[:6]:
        d = bsd.dialogue(index)
        ja = parse_text(d.ja, language="ja", doc_id="ja", kind="original")
        en = parse_text(d.en, language="en", doc_id="en", kind="translation")
        result = align_documents(Event("bsd", None, None, None, [ja, en]), ja, en, embedder)
        gold = set(d.pairs)
        for pair in result.pairs:
            if len(pair.src_sentences) == len(pair.tgt_sentences) == 1:
                bead = pair.beads[0]
                right = (pair.src_sentences[0].text, pair.tgt_sentences[0].text) in gold
                short.append((right, bead.confidence))
    assert len(short) >= 20 and all(right for right, _ in short)
    assert min(c for _, c in short) > 0.8 and np.mean([c for _, c in short]) > 0.95


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
