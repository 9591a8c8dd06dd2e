"""Turn pairing when only one document labels its speakers."""

from __future__ import annotations

import numpy as np

from align.ingest import parse_text
from align.ingest.event import Event
from align.pipeline import align_documents
from tests.test_sentences_aligner import FakeEmbedder

TRANSCRIPT = (
    "SECRETARY BLINKEN: Sentence 101 here. Sentence 102 here.\n"
    "FOREIGN MINISTER KAMIKAWA: (Via interpreter) Sentence 1 here. Sentence 2 here.\n"
    "SECRETARY AUSTIN: Sentence 201 here.\n"
    "DEFENSE MINISTER KIHARA: (Via interpreter) Sentence 3 here.\n"
)


def _align(ja_text: str, en_text: str):
    ja = parse_text(ja_text, doc_id="ja", language="ja", kind="original")
    en = parse_text(en_text, doc_id="en", language="en", kind="interpretation")
    event = Event("e", None, None, None, [ja, en])
    return ja, en, align_documents(event, ja, en, FakeEmbedder())


def test_unlabelled_original_meets_only_the_interpreted_turns():
    ja, en, result = _align("文1です。文2です。文3です。\n", TRANSCRIPT)
    matched = [p for p in result.pairs if p.pair.matched]
    assert len(matched) == 1
    assert [en.turns[j].speaker for j in matched[0].pair.tgt] == ["kamikawa", "kihara"]
    unmatched = [en.turns[j].speaker for p in result.pairs if not p.pair.src for j in p.pair.tgt]
    assert unmatched == ["blinken", "austin"]
    texts = {(b.src, b.tgt) for b in matched[0].beads}
    assert texts == {((0,), (0,)), ((1,), (1,)), ((2,), (2,))}
    assert any("ja: no speaker labels recognised" in w for w in result.warnings)


def test_unknown_style_is_one_unknown_turn_with_a_warning():
    en_text = "Kamikawa -- Sentence 1 here.\nBlinken -- Sentence 101 here.\n"
    ja_text = "【上川外務大臣】文1です。\n【ブリンケン国務長官】文101です。\n"
    ja, en, result = _align(ja_text, en_text)
    assert [t.speaker for t in en.turns] == [None]
    assert any(w.startswith("en: no speaker labels recognised") for w in result.warnings)


def test_both_labelled_gives_no_warning():
    _, _, result = _align("【上川外務大臣】文1です。文2です。\n", TRANSCRIPT)
    assert result.warnings == []


def test_comparable_quote_keeps_islands_without_neighbours():
    """A two-sentence quote against a 22-sentence transcript: two 1-1 islands, no merges."""
    en_text = " ".join(f"Sentence {k} here." for k in range(1, 23)) + "\n"
    ja, en, result = _align("文5です。文6です。\n", en_text)
    assert result.coverage.comparable and result.coverage.src == 1.0
    beads = [(b.src, b.tgt) for p in result.pairs for b in p.beads]
    assert ((0,), (4,)) in beads and ((1,), (5,)) in beads
    assert all(len(s) + len(t) <= 2 for s, t in beads)


def test_parallel_documents_are_not_comparable():
    en_text = " ".join(f"Sentence {k} here." for k in range(1, 9)) + "\n"
    ja, en, result = _align("".join(f"文{k}です。" for k in range(1, 9)) + "\n", en_text)
    assert not result.coverage.comparable
    assert [(b.src, b.tgt) for b in result.pairs[0].beads] == [((k,), (k,)) for k in range(8)]


def test_keep_islands_reduces_unsure_and_merged_beads():
    from align.aligners.islands import keep_islands
    from align.model import Bead

    similarity = np.full((3, 4), 0.1)
    similarity[1, 2] = 0.9  # one sentence pair stands out
    beads = [Bead((0, 1), (0, 1, 2), 0.9), Bead((2,), (3,), 0.1)]
    out = keep_islands(beads, similarity, null=(0.1, 0.1))
    assert [(b.src, b.tgt) for b in out] == [
        ((0,), ()),
        ((), (0,)),
        ((), (1,)),
        ((1,), (2,)),
        ((2,), ()),
        ((), (3,)),
    ]
