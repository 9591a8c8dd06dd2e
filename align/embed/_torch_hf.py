"""The torch side of HFEmbedder, kept apart so importing align.embed never imports torch."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch

from align.errors import ModelError

_MAX_TOKENS = 512
_ACTIVATIONS = {"Tanh": torch.tanh, "Identity": lambda x: x}


def _first_line(error: Exception) -> str:
    """Library errors run to many lines; the toolkit reports one."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


@contextlib.contextmanager
def _quiet_progress() -> Iterator[None]:
    """Hide transformers' weight-loading progress bar: stderr is for the toolkit's own progress."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _max_length(tokenizer: Any, model: Any, root: Path) -> int:
    """The longest input the model takes: sentence-transformers' setting, else its positions."""
    limit = _MAX_TOKENS
    st_config = root / "sentence_bert_config.json"
    if st_config.is_file():
        limit = int(json.loads(st_config.read_text()).get("max_seq_length") or limit)
    positions = getattr(model.config, "max_position_embeddings", None)
    candidates = [limit, tokenizer.model_max_length, positions]
    return int(min(c for c in candidates if isinstance(c, int) and c > 0))


def _load_dense(dense_dir: Path, root: Path) -> Any:
    """A sentence-transformers Dense head (e.g. LaBSE's tanh projection) as a callable."""
    config = json.loads((dense_dir / "config.json").read_text())
    activation = str(config.get("activation_function", "")).rsplit(".", 1)[-1]
    if activation not in _ACTIVATIONS:
        raise ModelError(f"unsupported Dense activation {activation!r}", path=root)
    if (dense_dir / "model.safetensors").is_file():
        from safetensors.torch import load_file

        weights = load_file(str(dense_dir / "model.safetensors"))
    elif (dense_dir / "pytorch_model.bin").is_file():
        weights = torch.load(dense_dir / "pytorch_model.bin", map_location="cpu", weights_only=True)
    else:
        raise ModelError(f"no weights in {dense_dir.name}", path=root)
    weight, bias = weights["linear.weight"], weights.get("linear.bias")
    act = _ACTIVATIONS[activation]
    return lambda x: act(torch.nn.functional.linear(x, weight, bias))


def load(root: Path, model_dir: Path, dense_dir: Path | None) -> tuple[Any, Any, Any]:
    """Tokenizer, encoder (eval mode) and optional Dense head, from local files only."""
    from transformers import AutoModel, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except Exception as error:  # transformers raises many types for a missing/bad tokenizer
        raise ModelError(f"cannot load tokenizer: {_first_line(error)}", path=root) from error
    try:
        with _quiet_progress():
            model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    except Exception as error:  # OSError, ValueError, safetensors errors...
        raise ModelError(f"cannot load model: {_first_line(error)}", path=root) from error
    if getattr(model.config, "is_encoder_decoder", False):
        model = model.get_encoder()
    model.eval()
    tokenizer.model_max_length = _max_length(tokenizer, model, root)
    dense = _load_dense(dense_dir, root) if dense_dir is not None else None
    return tokenizer, model, dense


def pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """Reduce token vectors to one per sentence, ignoring padding."""
    if pooling == "cls":
        return hidden[:, 0]
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    if pooling == "max":
        return hidden.masked_fill(mask == 0, torch.finfo(hidden.dtype).min).max(dim=1).values
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)


def encode(tokenizer: Any, model: Any, dense: Any, texts: list[str], pooling: str) -> np.ndarray:
    """One padded batch through the encoder, pooled, as float32 numpy rows."""
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
        vectors = pool(hidden, batch["attention_mask"], pooling)
        if dense is not None:
            vectors = dense(vectors)
    return vectors.float().numpy()
