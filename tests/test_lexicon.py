"""Dictionary anchors (aligners/lexicon.py) on a tiny lexicon the tests build themselves."""

from __future__ import annotations

import numpy as np
import pytest

from align.aligners import align_sentences
from align.aligners import lexicon as lexicon_module
from align.aligners.lexicon import BeadLexicon, Lexicon, english_keys, gloss_keys
from align.embed.base import Embedder

TINY = {
    "安全": ["safety", "security"],
    "保障": ["guarantee"],
    "環境": ["environment", "circumstance"],
    "強化": ["strengthening", "reinforcement"],
    "猫": ["cat (esp. the domestic cat)"],
    "好き": ["liking", "fondness"],
    "雨": ["rain"],
    "降る": ["to fall (of rain, snow, etc.)"],
}
JA = ["安全保障の環境を強化する。", "猫が好きだ。"]
EN = ["We strengthen the security environment.", "I like cats."]


def tiny() -> Lexicon:
    return Lexicon(lambda lemma: TINY.get(lemma, []), "tiny")


class Flat(Embedder):
    """Every text the same vector: only the length and the lexicon tell beads apart."""

    name, version = "flat", "1"

    @property
    def dim(self) -> int:
        return 4

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32)


def test_glosses_and_english_share_keys_without_notes_or_stop_words():
    assert gloss_keys(["to fall (of rain, snow, etc.)"]) == frozenset(english_keys("falling"))
    assert english_keys("the cats") == english_keys("cat")
    assert english_keys("It is on the way") == [english_keys("way")[0]]


def test_compound_missing_from_the_lexicon_takes_its_parts_glosses():
    keys = tiny().keys("安全保障")  # Sudachi C keeps the compound; the lexicon has its parts
    assert set(english_keys("security guarantee")) <= keys


def test_share_counts_linked_words_on_both_sides():
    bead = BeadLexicon(JA, EN, tiny())
    assert bead.share(0, 1, 0, 1) == 1.0  # 安全保障, 環境, 強化 and their three English words
    assert bead.share(0, 1, 1, 2) == 0.0
    assert bead.share(0, 2, 0, 1) == pytest.approx(6 / 8)  # 猫, 好き unmatched in the merge
    assert bead.share(1, 2, 0, 2) == pytest.approx(4 / 7)  # like, cat; 猫, 好き of 2 + 5
    assert 0.0 < bead.offset < 1.0  # random pairs: the centre of the term


def test_scores_are_centred_and_zero_outside_the_pair():
    bead = BeadLexicon(JA, EN, tiny())
    out = bead.scores(np.array([1, 2, 0]), 1, np.array([1, 2, 1]), 1)
    assert out[0] == pytest.approx(1.0 - bead.offset)
    assert out[1] == pytest.approx(bead.share(1, 2, 1, 2) - bead.offset)
    assert out[2] == 0.0  # a bead ending before its first sentence does not exist


def test_lexicon_decides_where_embeddings_cannot(monkeypatch):
    ja = ["安全保障の環境を強化する。", "雨が降る。", "猫が好きだ。"]
    en = ["We strengthen the security environment.", "I like cats."]
    monkeypatch.setattr(lexicon_module, "load_lexicon", tiny)
    result = align_sentences(ja, en, Flat(), src_lang="ja", tgt_lang="en", lexicon_weight=1.0)
    beads = [(b.src, b.tgt) for b in result.beads]
    assert ((2,), (1,)) in beads and ((1,), ()) in beads  # the rain sentence is the omission
    assert "lexicon:jmdict*1.0" in str(result.signature)
    flipped = align_sentences(en, ja, Flat(), src_lang="en", tgt_lang="ja", lexicon_weight=1.0)
    flipped_beads = [(b.src, b.tgt) for b in flipped.beads]
    assert ((1,), (2,)) in flipped_beads and ((), (1,)) in flipped_beads  # Japanese as target


def test_off_by_default_and_never_loaded(monkeypatch):
    def refuse() -> Lexicon:
        raise AssertionError("the lexicon must not load when its weight is 0")

    monkeypatch.setattr(lexicon_module, "load_lexicon", refuse)
    result = align_sentences(JA, EN, Flat(), src_lang="ja", tgt_lang="en")
    assert "lexicon" not in str(result.signature)
