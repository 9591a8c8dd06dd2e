"""Pieces of a text (clauses, windows, leave-one-out, word pairs): pooled from one USE pass
over their parts, or embedded one by one by any other embedder; scoring asks for them as pieces."""

from __future__ import annotations

import numpy as np
import pytest

from align.embed.base import Pieces
from align.embed.cache import CachedEmbedder
from align.errors import ModelError
from align.scoring.coverage import pieces
from align.scoring.lexical import english_pieces
from align.scoring.segment import Segment
from align.scoring.vectors import PIECES_ENV, pieces_mode
from tests.embedders import Counting

JA = (
    "日本は、ASEANの中心性・一体性を支持し、連結性の強化に貢献してきましたが、"
    "今後も地域の平和と安定のために協力していきます。"
)
EN = (
    "We discussed the situation in the region, and we agreed to keep working closely together,"
    " while the ministers reviewed progress on the new trade agreement."
)


@pytest.fixture(scope="module")
def use():
    from align.embed.use import USEEmbedder

    return USEEmbedder()


def _cosines(use, item: Pieces) -> np.ndarray:
    pooled = use.embed_pieces([item])[0]
    return (pooled * use.embed(list(item.texts))).sum(axis=1)


@pytest.mark.parametrize(("text", "lang"), [(JA, "ja"), (EN, "en")])
def test_pooled_clause_pieces_are_close_to_real_vectors(use, text: str, lang: str) -> None:
    side = pieces(text, lang)
    assert len(side.clauses) >= 3
    item = side.as_pieces()
    cosines = _cosines(use, item)
    single = [len(m) == 1 for m in item.members]
    assert np.allclose(cosines[single], 1.0, atol=1e-4)  # a clause is its own exact vector
    assert cosines.min() > 0.95  # windows and leave-one-out: approximations, but close
    assert set(item.texts) == {c.text for c in side.clauses} | set(side.windows) | set(
        side.leave_one_out
    )


def test_pooled_word_pairs_are_close_and_words_exact(use) -> None:
    item = english_pieces(EN)
    cosines = _cosines(use, item)
    single = np.array([len(m) == 1 for m in item.members])
    assert single.any() and (~single).any()
    assert np.allclose(cosines[single], 1.0, atol=1e-4)
    assert np.median(cosines[~single]) > 0.93


def test_the_fallback_embeds_each_piece_exactly(use) -> None:
    exact = Counting(use, pools=False)
    item = pieces(JA, "ja").as_pieces()
    rows = exact.embed_pieces([item, english_pieces(EN)])
    assert exact.texts == [*item.texts, *english_pieces(EN).texts]
    assert np.allclose(rows[0], use.embed(list(item.texts)), atol=1e-6)
    cached = CachedEmbedder(Counting(use, pools=False), persistent=False)
    assert np.allclose(cached.embed_pieces([item])[0], rows[0], atol=1e-6)
    assert not cached.pools_pieces and CachedEmbedder(use, persistent=False).pools_pieces


def _pieced_texts(segment: Segment) -> set[str]:
    """Texts of the multi-part pieces and clauses of a bead (what pooling must not embed)."""
    out = set(english_pieces(segment.tgt).texts)
    for text, lang in ((segment.src, "ja"), (segment.tgt, "en")):
        side = pieces(text, lang)
        out |= {c.text for c in side.clauses} | set(side.windows) | set(side.leave_one_out)
    return out - {segment.src, segment.tgt}


def test_pooled_scoring_embeds_no_clause_or_pair_strings_one_by_one(use) -> None:
    from align.scoring.features import measure

    segment = Segment(JA, EN, group="doc", origin="a")
    pooled, exact = Counting(use, pools=True), Counting(use, pools=False)
    by_pool = measure([segment], pooled, screen=None, pieces="pooled")[0]
    by_text = measure([segment], exact, screen=None, pieces="pooled")[0]  # cannot pool: exact
    wanted = _pieced_texts(segment)
    assert wanted <= set(exact.texts)  # embedded one by one where the embedder cannot pool
    assert not wanted & set(pooled.texts)  # pooled: none of them is embedded as a string
    assert len(pooled.texts) < len(exact.texts) / 3 and pooled.parts
    for name in ("om_min_z", "om_absence", "ad_absence", "lex_run"):
        assert by_pool.features()[name] == pytest.approx(by_text.features()[name], abs=1.0)


def test_the_setting(use, monkeypatch) -> None:
    from align.scoring.composite import Weights
    from align.scoring.engine import scoring_signature

    monkeypatch.delenv(PIECES_ENV, raising=False)
    assert pieces_mode(use) == "exact" and "pieces" not in scoring_signature(
        use, Weights.load(), None
    )
    monkeypatch.setenv(PIECES_ENV, "pooled")
    assert pieces_mode(use) == "pooled"
    assert "pieces:pooled" in scoring_signature(use, Weights.load(), None)
    assert pieces_mode(Counting(use, pools=False)) == "exact"
    monkeypatch.setenv(PIECES_ENV, "sometimes")
    with pytest.raises(ModelError, match=PIECES_ENV):
        pieces_mode(use)
