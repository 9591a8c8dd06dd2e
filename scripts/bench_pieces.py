"""How close pooled pieces are to really embedded ones (align/embed/use_pieces.py).

    python scripts/bench_pieces.py                 # fit half of tests/data/divergence
    python scripts/bench_pieces.py --split report  # the held-out half

For every two-sided bead of the split: each side's clauses, windows and leave-one-out
variants (coverage.py) and the English words and word pairs (lexical.py), pooled from one USE
pass over its parts and embedded one by one; printed, per kind, the distribution of the cosine
between the two vectors (percentiles), and the tokens each way through the forward pass.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.embed.use import USEEmbedder, _backend  # noqa: E402
from align.scoring.coverage import pieces  # noqa: E402
from align.scoring.labelled import load_labelled  # noqa: E402
from align.scoring.lexical import english_pieces  # noqa: E402

KINDS = ("clauses", "windows", "leave-one-out", "EN words", "EN word pairs")


def _kinds(side) -> list[str]:
    n, w = len(side.clauses), len(side.windows)
    return ["clauses"] * n + ["windows"] * w + ["leave-one-out"] * len(side.leave_one_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="fit", choices=["fit", "report"])
    args = parser.parse_args()
    embedder = USEEmbedder()
    sp = _backend("sentencepiece", embedder.threads).sp
    items, kinds = [], []
    for x in load_labelled():
        s = x.segment
        if x.split != args.split or not s.both:
            continue
        for text, lang in ((s.src, s.src_lang), (s.tgt, s.tgt_lang)):
            side = pieces(text, lang)
            if len(side.clauses) > 1:
                items.append(side.as_pieces())
                kinds.append(_kinds(side))
        if s.tgt_lang == "en":
            words = english_pieces(s.tgt)
            if words.members:
                items.append(words)
                kinds.append(
                    ["EN words" if len(m) == 1 else "EN word pairs" for m in words.members]
                )
    pooled = embedder.embed_pieces(items)
    cosines: dict[str, list[float]] = defaultdict(list)
    for item, rows, labels in zip(items, pooled, kinds, strict=True):
        real = embedder.embed(list(item.texts))
        for label, value in zip(labels, (rows * real).sum(axis=1), strict=True):
            cosines[label].append(float(value))
    texts = dict.fromkeys(t for item in items for t in item.texts)
    real_tokens = sum(len(sp.encode(t)) + 2 for t in texts)
    parts = dict.fromkeys(p for item in items for p in item.parts)
    pass_tokens = sum(len(sp.encode(p)) + 2 for p in parts)
    print(f"split {args.split}: {len(items)} pooled passes")
    print(f"  {'kind':20} {'n':>6} {'p1':>6} {'p5':>6} {'p25':>6} {'median':>6} {'mean':>6}")
    for kind in KINDS:
        v = np.array(cosines[kind])
        if len(v):
            p1, p5, p25, p50 = np.percentile(v, [1, 5, 25, 50])
            print(
                f"  {kind:20} {len(v):6} {p1:6.3f} {p5:6.3f} {p25:6.3f} {p50:6.3f} {v.mean():6.3f}"
            )
    print(f"  tokens: pieces embedded one by one {real_tokens}, pooled passes {pass_tokens}")


if __name__ == "__main__":
    main()
