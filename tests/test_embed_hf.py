"""HFEmbedder on a tiny BERT the test builds and saves itself: pooling, Dense heads, bad paths."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
import transformers

from align.embed import load_embedder
from align.embed.hf import HFEmbedder
from align.errors import ModelError

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
SENTENCES = [
    "The minister said that Japan and the United States will work together.",
    "We talked about security.",
    "Peace?",
    "Cooperation in the region, today.",
]
# the vocabulary: every word and mark of the sentences, plus a few they do not use
WORDS = sorted(
    {w for text in SENTENCES for w in re.findall(r"\w+|[^\w\s]", text.lower())}
    | {"defence", "peace", "talks"}
)


def _tokenizer() -> transformers.PreTrainedTokenizerFast:
    """A WordPiece BERT tokenizer over a fixed vocabulary, built with the tokenizers library."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab = {token: index for index, token in enumerate(SPECIALS + WORDS)}
    core = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    core.normalizer = normalizers.BertNormalizer(lowercase=True)
    core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def _save_tiny_bert(directory: Path, seed: int = 0) -> Path:
    """Random-weight BERT small enough to build in a fraction of a second."""
    torch.manual_seed(seed)
    config = transformers.BertConfig(
        vocab_size=len(SPECIALS) + len(WORDS),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    transformers.BertModel(config).save_pretrained(directory)
    _tokenizer().save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _save_tiny_bert(tmp_path_factory.mktemp("models") / "tiny-bert")


def _copy(model: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(model, tmp_path / model.name))


def _hidden(model_dir: Path, text: str) -> torch.Tensor:
    """Token vectors of one unpadded sentence, straight from transformers."""
    tokenizer = transformers.AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = transformers.AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    with torch.no_grad():
        return model(**tokenizer(text, return_tensors="pt")).last_hidden_state[0]


def _unit(vector: torch.Tensor) -> np.ndarray:
    array = vector.numpy().astype(np.float32)
    return array / np.linalg.norm(array)


def test_mean_pooling_ignores_padding_and_keeps_input_order(tiny_bert: Path) -> None:
    embedder = HFEmbedder(tiny_bert)
    assert embedder.pooling == "mean" and embedder.dim == 32
    vectors = embedder.embed(SENTENCES)  # padded to the longest, sorted by length inside
    assert vectors.shape == (4, 32) and vectors.dtype == np.float32
    for row, text in zip(vectors, SENTENCES, strict=True):
        assert np.abs(row - _unit(_hidden(tiny_bert, text).mean(dim=0))).max() < 1e-5


def test_cls_pooling_uses_the_first_token_and_differs_from_mean(tiny_bert: Path) -> None:
    cls = HFEmbedder(tiny_bert, pooling="cls").embed(SENTENCES)
    mean = HFEmbedder(tiny_bert).embed(SENTENCES)
    assert np.abs(cls[1] - _unit(_hidden(tiny_bert, SENTENCES[1])[0])).max() < 1e-5
    assert np.abs(cls - mean).max() > 0.05


def _sentence_transformers_layout(model: Path, pooling: str, with_modules: bool) -> None:
    (model / "1_Pooling").mkdir()
    flags = {
        f"pooling_mode_{mode}": mode == pooling
        for mode in ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")
    }
    (model / "1_Pooling" / "config.json").write_text(json.dumps(flags))
    if with_modules:
        modules = [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
        ]
        (model / "modules.json").write_text(json.dumps(modules))


@pytest.mark.parametrize("with_modules", [True, False])
def test_pooling_comes_from_sentence_transformers_config(
    tiny_bert: Path, tmp_path: Path, with_modules: bool
) -> None:
    model = _copy(tiny_bert, tmp_path)
    _sentence_transformers_layout(model, "cls_token", with_modules)
    embedder = HFEmbedder(model)
    assert embedder.pooling == "cls"
    assert embedder.signature_fields()["pooling"] == "cls"
    expected = HFEmbedder(tiny_bert, pooling="cls").embed(SENTENCES[:2])
    assert np.abs(embedder.embed(SENTENCES[:2]) - expected).max() < 1e-6


def test_unsupported_pooling_is_a_model_error(tiny_bert: Path, tmp_path: Path) -> None:
    model = _copy(tiny_bert, tmp_path)
    _sentence_transformers_layout(model, "mean_sqrt_len_tokens", with_modules=True)
    with pytest.raises(ModelError, match="unsupported pooling mean_sqrt_len"):
        HFEmbedder(model)


def test_dense_head_is_applied_after_pooling(tiny_bert: Path, tmp_path: Path) -> None:
    from safetensors.torch import save_file

    model = _copy(tiny_bert, tmp_path)
    _sentence_transformers_layout(model, "cls_token", with_modules=True)
    modules = json.loads((model / "modules.json").read_text())
    modules.append(
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
    )
    (model / "modules.json").write_text(json.dumps(modules))
    dense = model / "2_Dense"
    dense.mkdir()
    (dense / "config.json").write_text(
        json.dumps(
            {
                "in_features": 32,
                "out_features": 16,
                "bias": True,
                "activation_function": "torch.nn.modules.activation.Tanh",
            }
        )
    )
    torch.manual_seed(1)
    weight, bias = torch.randn(16, 32), torch.randn(16)
    save_file({"linear.weight": weight, "linear.bias": bias}, str(dense / "model.safetensors"))

    embedder = HFEmbedder(model)
    assert embedder.dim == 16
    expected = torch.tanh(weight @ _hidden(tiny_bert, SENTENCES[0])[0] + bias)
    assert np.abs(embedder.embed(SENTENCES[:1])[0] - _unit(expected)).max() < 1e-5


def test_missing_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-LaBSE"
    with pytest.raises(ModelError) as caught:
        HFEmbedder(missing)
    assert str(caught.value) == f"{missing}: embedder model directory does not exist"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d.mkdir(), "no config.json"),
        (lambda d: (d.mkdir(), (d / "config.json").write_text("{oops")), "unreadable config.json"),
        (lambda d: (d.mkdir(), (d / "config.json").write_text("{}")), "no model_type"),
        (
            lambda d: (d.mkdir(), (d / "config.json").write_text('{"model_type": "bert"}')),
            "no weights found",
        ),
        (lambda d: d.write_text("not a folder"), "not a directory"),
    ],
)
def test_not_a_model_is_a_one_line_model_error(tmp_path: Path, setup, message: str) -> None:
    target = tmp_path / "model"
    setup(target)
    with pytest.raises(ModelError, match=message) as caught:
        HFEmbedder(target)
    assert str(caught.value).startswith(str(target)) and "\n" not in str(caught.value)


def test_corrupt_weights_fail_on_first_embed_with_one_line(tiny_bert: Path, tmp_path: Path) -> None:
    model = _copy(tiny_bert, tmp_path)
    (model / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    embedder = HFEmbedder(model)
    with pytest.raises(ModelError, match="cannot load model") as caught:
        embedder.embed(["hello"])
    assert str(caught.value).startswith(str(model)) and "\n" not in str(caught.value)


def test_version_changes_with_the_weights(tiny_bert: Path, tmp_path: Path) -> None:
    other = _save_tiny_bert(tmp_path / "tiny-bert", seed=1)
    first, second = HFEmbedder(tiny_bert), HFEmbedder(other)
    assert first.name == second.name == "hf:tiny-bert"
    assert first.version != second.version
    assert HFEmbedder(tiny_bert).version == first.version


def test_languages_come_from_the_model_card(tiny_bert: Path, tmp_path: Path) -> None:
    model = _copy(tiny_bert, tmp_path)
    assert HFEmbedder(model).languages is None
    HFEmbedder(model).check_languages("sw", "ja")  # unknown languages: nothing to refuse
    (model / "README.md").write_text("---\nlanguage:\n- en\n- ja\n- zh-TW\n---\n# card\n")
    embedder = HFEmbedder(model)
    assert embedder.languages == frozenset({"en", "ja", "zh"})
    with pytest.raises(ModelError, match="'de'; supported: en, ja, zh"):
        embedder.check_languages("ja", "de")


def test_load_embedder_accepts_hf_specs(tiny_bert: Path, tmp_path: Path) -> None:
    embedder = load_embedder(f"hf:{tiny_bert}", cache_dir=tmp_path)
    direct = HFEmbedder(tiny_bert).embed(SENTENCES)
    assert np.abs(embedder.embed(SENTENCES) - direct).max() < 1e-6
    with pytest.raises(ModelError, match="does not exist"):
        load_embedder(f"hf:{tmp_path / 'absent'}")


def test_pieces_of_a_transformers_model_are_its_exact_vectors(tiny_bert: Path) -> None:
    from align.embed.base import Pieces

    embedder = load_embedder(f"hf:{tiny_bert}", use_cache=False)
    item = Pieces(
        ("the cat", "sat down"), ((0,), (1,), (0, 1)), ("the cat", "sat down", "the cat sat down")
    )
    assert not embedder.pools_pieces
    rows = embedder.embed_pieces([item])[0]
    assert np.array_equal(rows, embedder.embed(list(item.texts)))
