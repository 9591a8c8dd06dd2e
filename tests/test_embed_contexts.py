"""USE vectors of overlapping texts with each shared token context run once (use_contexts.py):
the same vectors as encoding every text alone, for fewer tokens through the network."""

from __future__ import annotations

import numpy as np
import pytest

from align.embed import use_contexts
from align.embed.base import l2_normalise
from align.scoring.coverage import pieces

JA = (
    "我が国の長年にわたる国際社会の平和と安定、繁栄のための外交活動や経済活動の実績を糧に、"
    "大幅に強化される外交の実施体制の下、危機を未然に防ぎ、平和で安定した国際環境を能動的に創出し、"
    "普遍的価値に基づく国際秩序を維持・強化するための外交を展開します。"
)
EN = (
    "Building on its long record of diplomatic undertakings and economic activities, Japan will,"
    " under the significantly reinforced implementation structure of diplomacy, prevent crises,"
    " proactively create a peaceful and stable international environment, and maintain order."
)


@pytest.fixture(scope="module")
def backend():
    from align.embed.use import _backend

    return _backend("sentencepiece", 1)


def _pieces(text: str, lang: str) -> list[str]:
    side = pieces(text, lang)
    texts = [c.text for c in side.clauses] + side.windows + side.leave_one_out
    return list(dict.fromkeys(texts))


@pytest.fixture()
def forward_tokens(monkeypatch):
    """Tokens the shared path runs through the network, and how often the plain pass runs."""
    seen = {"tokens": 0, "plain": 0}
    features = use_contexts.features_of

    def counting(backend, flat, lens):
        seen["tokens"] += int(lens.sum())
        return features(backend, flat, lens)

    monkeypatch.setattr(use_contexts, "features_of", counting)
    return seen


def _tokens(backend, texts: list[str]) -> int:
    return sum(len(backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True)) for t in texts)


@pytest.mark.parametrize(("text", "lang"), [(JA, "ja"), (EN, "en")])
def test_pieces_of_a_sentence_get_the_vectors_of_encoding_each_alone(
    backend, forward_tokens, text, lang
):
    texts = _pieces(text, lang)
    assert len(texts) > 8  # clauses, windows and leave-one-out variants
    shared = l2_normalise(use_contexts.encode_sharing_contexts(backend, texts))
    alone = l2_normalise(backend.encode(texts))
    assert np.abs(shared - alone).max() < 1e-5
    assert 0 < forward_tokens["tokens"] < 0.6 * _tokens(backend, texts)


def test_texts_sharing_nothing_go_through_the_backend_pass(backend, forward_tokens):
    texts = ["deterrence", "抑止力", "the rule of law", "Thank you."]
    shared = use_contexts.encode_sharing_contexts(backend, texts)
    assert forward_tokens["tokens"] == 0
    assert np.abs(l2_normalise(shared) - l2_normalise(backend.encode(texts))).max() < 1e-6


def test_chunks_and_carrier_batches_keep_the_vectors(backend, forward_tokens, monkeypatch):
    monkeypatch.setattr(use_contexts, "CHUNK_TOKENS", 300)
    monkeypatch.setattr(use_contexts, "CARRIER_TOKENS", 40)
    monkeypatch.setattr(use_contexts, "SUM_TOKENS", 7)
    texts = _pieces(JA, "ja") + _pieces(EN, "en") + [JA + JA]  # one text over a chunk alone
    shared = l2_normalise(use_contexts.encode_sharing_contexts(backend, texts))
    assert np.abs(shared - l2_normalise(backend.encode(texts))).max() < 1e-5
    assert forward_tokens["tokens"] > 0


def test_the_use_embedder_shares_contexts(backend, forward_tokens):
    from align.embed.use import USEEmbedder

    texts = _pieces(EN, "en")
    vectors = USEEmbedder(threads=1).embed(texts)
    assert forward_tokens["tokens"] > 0
    assert np.abs((vectors * vectors).sum(axis=1) - 1).max() < 1e-5
    assert np.abs(vectors - l2_normalise(backend.encode(texts))).max() < 1e-5
