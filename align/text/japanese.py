"""SudachiPy on text of any length: cut into pieces it accepts, offsets mapped back.

SudachiPy refuses input over 49,149 UTF-8 bytes (a 16,000-character Japanese sentence with
no 。); every caller tokenises through `chunked` so that no sentence length can crash scoring.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

# 4 bytes per character at worst (emoji): 10,000 characters stay under 49,149 bytes.
MAX_CHARS = 10_000
# A cut is made after the last break in a piece's final stretch, so words are rarely split.
_BREAK = re.compile(r"[。！？!?、，,；;：:\s）)」』】]")
_LOOKBACK = 500


def pieces(text: str, limit: int = MAX_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text` in order, each at most `limit` characters."""
    start = 0
    while len(text) - start > limit:
        end = start + limit
        window = text[end - min(_LOOKBACK, limit // 2) : end]
        breaks = [m.end() for m in _BREAK.finditer(window)]
        if breaks:
            end = end - len(window) + breaks[-1]
        yield start, text[start:end]
        start = end
    if start < len(text) or not text:
        yield start, text[start:]


class _Shifted:
    """A morpheme whose begin()/end() count from the start of the whole text."""

    __slots__ = ("_morpheme", "_offset")

    def __init__(self, morpheme: Any, offset: int) -> None:
        self._morpheme, self._offset = morpheme, offset

    def begin(self) -> int:
        return self._morpheme.begin() + self._offset

    def end(self) -> int:
        return self._morpheme.end() + self._offset

    def __getattr__(self, name: str) -> Any:
        return getattr(self._morpheme, name)


class ChunkedTokenizer:
    """Wraps a SudachiPy tokenizer: same `tokenize`, any input length."""

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def tokenize(self, text: str) -> Iterable[Any]:
        """Morphemes of the whole text; offsets as if it had been tokenised in one call."""
        if len(text) <= MAX_CHARS:  # one piece: SudachiPy's own list, no generator per morpheme
            return self._tokenizer.tokenize(text)
        return self._pieces(text)

    def _pieces(self, text: str) -> Iterator[Any]:
        for offset, piece in pieces(text):
            for morpheme in self._tokenizer.tokenize(piece):
                yield _Shifted(morpheme, offset)


def chunked(tokenizer: Any) -> ChunkedTokenizer:
    """The tokenizer, safe on long input."""
    return ChunkedTokenizer(tokenizer)


_THREAD = threading.local()


@functools.lru_cache(maxsize=1)
def _dictionary() -> Any:
    """The SudachiPy dictionary, loaded once and shared (only tokenizers are per thread)."""
    from sudachipy import Dictionary

    return Dictionary()


def sudachi(mode: str, fields: tuple[str, ...] = ()) -> ChunkedTokenizer:
    """This thread's SudachiPy tokenizer in split `mode` ("A", "B" or "C"), safe on long input.

    A SudachiPy tokenizer refuses concurrent use, and the review server rescores on a worker
    thread while requests are served, so each thread gets its own.
    """
    cache: dict[tuple[str, tuple[str, ...]], ChunkedTokenizer] = _THREAD.__dict__.setdefault(
        "tokenizers", {}
    )
    key = (mode, fields)
    if key not in cache:
        from sudachipy import SplitMode

        options = {"fields": set(fields)} if fields else {}
        cache[key] = chunked(_dictionary().tokenizer(mode=getattr(SplitMode, mode), **options))
    return cache[key]
