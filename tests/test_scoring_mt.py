"""The optional MT-based score on a tiny Marian model built here (random weights, own vocab)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.errors import ModelError
from tests.conftest import run_cli

JA = [
    "日本は同盟を強化する。",
    "会議は東京で開かれた。",
    "大臣は記者会見を行った。",
    "両国は協力を続ける。",
]
EN = [
    "Japan strengthens the alliance.",
    "The meeting was held in Tokyo.",
    "The minister held a press conference.",
    "The two countries continue to cooperate.",
]


def _corpus(lines: list[str], n: int = 300) -> list[str]:
    return [f"{lines[i % len(lines)]} {i}" for i in range(n)]


@pytest.fixture(scope="module")
def marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SentencePiece models trained on a few hundred lines, a vocab, a 1-layer random Marian."""
    import sentencepiece
    import torch  # noqa: F401 - fails loudly if the install is broken
    import transformers

    folder = tmp_path_factory.mktemp("marian")
    for name, lines in (("source", JA), ("target", EN)):
        text = folder / f"{name}.txt"
        text.write_text("\n".join(_corpus(lines)) + "\n", encoding="utf-8")
        sentencepiece.SentencePieceTrainer.train(
            input=str(text), model_prefix=str(folder / name), vocab_size=60,
            character_coverage=1.0, model_type="unigram", bos_id=-1, eos_id=1, unk_id=2,
            pad_id=0, minloglevel=2,
        )  # fmt: skip
        (folder / f"{name}.model").rename(folder / f"{name}.spm")
    pieces = ["<pad>", "</s>", "<unk>"]
    for name in ("source", "target"):
        processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / f"{name}.spm"))
        pieces += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {piece: index for index, piece in enumerate(dict.fromkeys(pieces))}
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    config = transformers.MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, max_position_embeddings=64, pad_token_id=0, eos_token_id=1,
        decoder_start_token_id=0,
    )  # fmt: skip
    transformers.MarianMTModel(config).save_pretrained(folder)
    tokenizer = transformers.MarianTokenizer(
        str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
        source_lang="ja", target_lang="en",
    )  # fmt: skip
    tokenizer.save_pretrained(folder)
    return folder


def test_marian_scorer_translates_and_scores(marian: Path) -> None:
    from align.scoring.mt import MarianScorer

    scorer = MarianScorer(f"hf:{marian}", max_new_tokens=8)
    scores = scorer.score(JA[:2], EN[:2])
    assert len(scores) == 2
    for score in scores:
        assert 0.0 <= score["chrf"] <= 100.0 and isinstance(score["translation"], str)


def test_bad_mt_specs_are_model_errors(tmp_path: Path) -> None:
    from align.scoring.mt import MarianScorer

    with pytest.raises(ModelError, match="hf:/path"):
        MarianScorer("marian:/x")
    with pytest.raises(ModelError, match="not found"):
        MarianScorer(f"hf:{tmp_path / 'missing'}")
    with pytest.raises(ModelError, match="cannot load"):
        MarianScorer(f"hf:{tmp_path}")


def test_divergence_with_mt(marian: Path, tmp_path: Path) -> None:
    ja, en = tmp_path / "ja.txt", tmp_path / "en.txt"
    ja.write_text("\n".join(JA) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    done = run_cli("divergence", ja, en, "--json", "--mt", f"hf:{marian}")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert all("chrf" in r["signals"]["mt"] for r in results)
