"""Optional MT-based score: a local MarianMT model translates the Japanese; chrF against the EN.

`--mt hf:/path/to/marian` names a directory holding a MarianMTModel with its MarianTokenizer
(source.spm, target.spm, vocab.json); nothing is downloaded. The score is kept as a separate
signal (not part of the fitted composite, whose labelled set has no MT output).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from align.errors import ModelError

BATCH = 16


class MarianScorer:
    """Translate with a local Marian model and compare with chrF."""

    def __init__(self, spec: str, max_new_tokens: int = 128) -> None:
        kind, _, path = spec.partition(":")
        if kind != "hf" or not path.strip():
            raise ModelError(f"unknown MT model {spec!r}; use hf:/path/to/marian-model")
        self.path = Path(path.strip()).expanduser()
        if not self.path.is_dir():
            raise ModelError("MT model directory not found", self.path)
        try:
            from transformers import MarianMTModel, MarianTokenizer

            self.tokenizer = MarianTokenizer.from_pretrained(self.path, local_files_only=True)
            self.model = MarianMTModel.from_pretrained(self.path, local_files_only=True).eval()
        except (OSError, ValueError, ImportError, TypeError, KeyError) as error:
            raise ModelError(f"cannot load a Marian model: {error}", self.path) from error
        positions = getattr(self.model.config, "max_position_embeddings", 512)
        self.max_length = min(positions - 2, 512)
        self.max_new_tokens = min(max_new_tokens, self.max_length)
        self.name = f"marian:{self.path.name}"

    def translate(self, texts: list[str]) -> list[str]:
        import torch

        out: list[str] = []
        for start in range(0, len(texts), BATCH):
            batch = self.tokenizer(texts[start : start + BATCH], return_tensors="pt", padding=True,
                                   truncation=True, max_length=self.max_length)  # fmt: skip
            with torch.no_grad():
                ids = self.model.generate(**batch, max_new_tokens=self.max_new_tokens, num_beams=1)
            out.extend(self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out

    def score(self, sources: list[str], renderings: list[str]) -> list[dict[str, Any]]:
        """Per pair: the machine translation and its chrF against the rendering."""
        from sacrebleu.metrics import CHRF

        chrf = CHRF()
        translations = self.translate(sources) if sources else []
        return [
            {
                "chrf": round(chrf.sentence_score(r, [t]).score, 2),
                "translation": t,
                "model": self.name,
            }  # fmt: skip
            for t, r in zip(translations, renderings, strict=True)
        ]
