"""Benchmark the sentence aligner: accuracy on synthetic EN-JA documents, then speed and memory.

    python scripts/bench_align.py                           # quality only (about a minute)
    python scripts/bench_align.py --sizes 1000,5000,20000   # + timing and memory (minutes)

Quality: >= 20 documents of 48 consecutive dev pairs (15% of beads 2-1, 5% 1-0), scored with
Vecalign's strict/lax F1 for the toolkit, its alternatives (Vecalign's normalisation, no length
term, no pruning) and a length-only Gale-Church baseline, all in this one run. Timing: one
subprocess per size (so peak RSS is per size) aligns N train19k sentences per side, first with an
empty embedding cache, then again reading the cache the first run filled; best of --repeat runs,
since other processes on a shared machine slow single runs (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from align.aligners import align_sentences
from align.aligners.evaluate import score_multiple
from align.aligners.length import char_ratio
from align.aligners.synthetic import SyntheticDoc, make_benchmark, make_doc, read_pairs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "parallel" / "small_parallel_enja"
VARIANTS = {
    "toolkit: cos - 0.2|ln len|, pruned": {},
    "cos - 0.2|ln len|, all segments": {"prune": False},
    "cos, no length term": {"length_weight": 0.0},
    "vecalign (1-cos)ab/norm, 20% skip": {"scoring": "vecalign", "length_weight": 0.0},
    "vecalign (1-cos)ab/norm, all segments": {
        "scoring": "vecalign",
        "length_weight": 0.0,
        "prune": False,
    },
    "vecalign norm + 0.2|ln len|": {"scoring": "vecalign"},
    "two-step (Bertalign's anchors + windows)": {"method": "twostep"},
}


def pairs_of(beads) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads as (source, target) tuples for the scorer."""
    return [(tuple(b.src), tuple(b.tgt)) for b in beads]


def gale_church(doc: SyntheticDoc) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Length-only baseline: galechurch with its default costs and the pair's own ratio."""
    import galechurch

    result = galechurch.align(doc.src, doc.tgt, mean_xy=char_ratio(doc.src, doc.tgt))
    return [
        (tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
        for b in result.beads
    ]


def quality(docs: list[SyntheticDoc], embedder) -> list[dict]:
    """F1 of every variant on the synthetic documents (embeddings shared through the memo)."""
    gold = [pairs_of(d.gold) for d in docs]
    rows = []
    for name, overrides in VARIANTS.items():
        started, results = time.perf_counter(), []
        for doc in docs:
            results.append(
                align_sentences(
                    doc.src, doc.tgt, embedder, src_lang="ja", tgt_lang="en", **overrides
                )
            )
        seconds = time.perf_counter() - started
        scores = score_multiple(gold, [pairs_of(r.beads) for r in results])
        segments = sum(r.stats["segments_embedded"] for r in results)
        sentences = sum(r.stats["sentences"] for r in results)
        rows.append(
            {
                "system": name,
                **scores,
                "segments_per_sentence": segments / sentences,
                "mean_confidence": float(np.mean([r.confidence for r in results])),
                "seconds": seconds,
                "results": results,
            }
        )
    scores = score_multiple(gold, [gale_church(d) for d in docs])
    rows.append(
        {
            "system": "Gale-Church (galechurch, length only)",
            **scores,
            "segments_per_sentence": 0.0,
            "mean_confidence": float("nan"),
            "seconds": 0.0,
        }
    )
    return rows


def reliability(docs: list[SyntheticDoc], results) -> list[tuple[str, int, float]]:
    """Accuracy of beads binned by confidence: does 0.9 mean right nine times in ten?"""
    edges = [0.0, 0.5, 0.7, 0.9, 0.97, 1.01]
    hits: dict[int, list[bool]] = {k: [] for k in range(len(edges) - 1)}
    for doc, result in zip(docs, results, strict=True):
        gold = set(pairs_of(doc.gold))
        for bead in result.beads:
            k = int(np.searchsorted(edges, bead.confidence, side="right")) - 1
            hits[k].append((tuple(bead.src), tuple(bead.tgt)) in gold)
    return [
        (f"[{edges[k]:.2f}, {min(edges[k + 1], 1):.2f})", len(v), float(np.mean(v)) if v else 0.0)
        for k, v in hits.items()
    ]


def unrelated_confidence(docs: list[SyntheticDoc], embedder) -> float:
    """Mean alignment confidence when each source is paired with another document's target."""
    shift = len(docs) // 2
    values = [
        align_sentences(
            docs[k].src, docs[(k + shift) % len(docs)].tgt, embedder, src_lang="ja", tgt_lang="en"
        ).confidence
        for k in range(len(docs))
    ]
    return float(np.mean(values))


def calibrate(docs: list[SyntheticDoc], results, embedder) -> None:
    """Refit confidence.COEFFICIENTS: logistic regression of bead correctness on its features.

    Positives and negatives come from the benchmark documents and from each source document
    paired with an unrelated target (where every bead is wrong). Newton's method (IRLS) on four
    weights: small enough to write out rather than add scikit-learn.
    """
    from align.aligners import confidence

    shift = len(docs) // 2
    mismatched = [
        align_sentences(
            docs[k].src, docs[(k + shift) % len(docs)].tgt, embedder, src_lang="ja", tgt_lang="en"
        )
        for k in range(len(docs))
    ]
    blocks, labels = [], []
    for doc, result, wrong in zip(docs, results, mismatched, strict=True):
        gold = set(pairs_of(doc.gold))
        for res, truth in ((result, gold), (wrong, set())):
            both = np.array([bool(b.src and b.tgt) for b in res.beads])
            blocks.append(
                confidence.features(
                    np.array(res.diagnostics["margin"]),
                    np.array(res.diagnostics["z"]),
                    both,
                    np.array(res.diagnostics["pin"]),
                )  # fmt: skip
            )
            labels += [(tuple(b.src), tuple(b.tgt)) in truth for b in res.beads]
    x, y = np.vstack(blocks), np.array(labels, dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-3 * np.eye(len(w))
        w += np.linalg.solve(hessian, x.T @ (y - p))
    print(
        "Refitted COEFFICIENTS (B0, B_MARGIN, B_Z, B_SKIP, B_PIN) = "
        f"{[round(float(v), 2) for v in w]}; "
        f"in use: {confidence.COEFFICIENTS}; {len(y)} beads, {int(y.sum())} right"
    )


def print_quality(rows: list[dict], docs: list[SyntheticDoc]) -> None:
    """The F1 table."""
    beads = sum(len(d.gold) for d in docs)
    print(
        f"\nSynthetic EN-JA: {len(docs)} documents, {beads} gold beads, "
        f"{sum(len(d.src) for d in docs)} JA / {sum(len(d.tgt) for d in docs)} EN sentences"
    )
    print(
        f"{'system':44} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} {'F1 lax':>7} "
        f"{'seg/sent':>8} {'conf':>5} {'sec':>6}"
    )
    for r in rows:
        print(
            f"{r['system']:44} {r['precision_strict']:8.3f} {r['recall_strict']:8.3f} "
            f"{r['f1_strict']:9.3f} {r['f1_lax']:7.3f} {r['segments_per_sentence']:8.2f} "
            f"{r['mean_confidence']:5.2f} {r['seconds']:6.1f}"
        )


def timing_doc(size: int, seed: int) -> SyntheticDoc:
    """A `size`-sentence Japanese document (train19k, then dev, cycled) with merges and drops."""
    pairs = read_pairs(CORPUS, "train19k") + read_pairs(CORPUS, "dev")
    chosen = [pairs[k % len(pairs)] for k in range(size)]
    return make_doc(chosen, random.Random(seed), name=f"train{size}")


def worker(size: int, seed: int, repeat: int) -> dict:
    """One size, in its own process: uncached and cached runs (best of `repeat`), memory."""
    from align.embed import load_embedder
    from align.embed.cache import clear_run_tables

    doc = timing_doc(size, seed)
    uncached, cached = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:  # a new cache and memo: nothing known
            clear_run_tables()
            embedder = load_embedder("use", cache_dir=cache)
            embedder.embed(["warm-up: load the weights before timing"])
            uncached.append(_timed(doc, embedder))
            clear_run_tables()  # the cached run reads the SQLite store, not memory
            cached.append(_timed(doc, load_embedder("use", cache_dir=cache))[:2])
    tracemalloc.start()
    align_sentences(doc.src, doc.tgt, embedder, src_lang="ja", tgt_lang="en")
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    seconds, result, embed_s, rest_s = min(uncached, key=lambda run: run[0])
    stats = result.stats
    return {
        "size": size,
        "tgt_sentences": len(doc.tgt),
        "repeat": repeat,
        "f1_strict": score_multiple([pairs_of(doc.gold)], [pairs_of(result.beads)])["f1_strict"],
        "uncached_s": seconds,
        "cached_s": min(c[0] for c in cached),
        "embed_s": embed_s,
        "rest_s": rest_s,
        "segments_per_sentence": stats["segments_per_sentence"],
        "strings_embedded": stats["strings_embedded"],
        "search_peak_mib": traced_peak / 2**20,
        "rss_peak_mib": peak_rss_mib(),
        "load_avg": os.getloadavg()[0],  # other processes on the machine skew the timings
    }


def peak_rss_mib() -> float:
    """This process's peak resident memory: VmHWM (ru_maxrss also counts the parent's memory
    at fork, carried across exec), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(doc: SyntheticDoc, embedder) -> tuple[float, object, float, float]:
    """Wall time of one alignment, the result, and its embedding / other split."""
    started = time.perf_counter()
    result = align_sentences(doc.src, doc.tgt, embedder, src_lang="ja", tgt_lang="en")
    seconds = time.perf_counter() - started
    return seconds, result, result.stats["embed_seconds"], seconds - result.stats["embed_seconds"]


def timing(sizes: list[int], seed: int, repeat: int) -> list[dict]:
    """Run each size in a subprocess and collect its JSON line."""
    rows = []
    for size in sizes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                str(size),
                "--seed",
                str(seed),
                "--repeat",
                str(repeat),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print_timing(rows[-1:], header=len(rows) == 1)
    return rows


def print_timing(rows: list[dict], header: bool = True) -> None:
    """The speed / memory table."""
    if header:
        print(
            f"\n{'N/side':>7} {'EN':>6} {'F1':>6} {'uncached s':>10} {'sent/s':>7} "
            f"{'cached s':>8} {'embed %':>7} {'rest %':>6} {'seg/sent':>8} "
            f"{'search MiB':>10} {'RSS MiB':>8} {'load':>5}"
        )
    for r in rows:
        total = r["embed_s"] + r["rest_s"]
        print(
            f"{r['size']:7d} {r['tgt_sentences']:6d} {r['f1_strict']:6.3f} "
            f"{r['uncached_s']:10.1f} {(r['size'] + r['tgt_sentences']) / r['uncached_s']:7.0f} "
            f"{r['cached_s']:8.1f} {100 * r['embed_s'] / total:7.1f} "
            f"{100 * r['rest_s'] / total:6.1f} {r['segments_per_sentence']:8.2f} "
            f"{r['search_peak_mib']:10.1f} {r['rss_peak_mib']:8.0f} {r['load_avg']:5.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="none", help="e.g. 1000,5000,20000; none: quality")
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--doc-len", type=int, default=48)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--calibrate", action="store_true", help="refit the confidence model")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per size (best kept)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.seed, args.repeat)))
        return
    if not CORPUS.is_dir():
        sys.exit(f"bench_align: corpus not found: {CORPUS}")
    from align.embed import load_embedder

    embedder = load_embedder("use", use_cache=False)  # in-memory memo shared by the variants
    docs = make_benchmark(
        read_pairs(CORPUS, "dev"), n_docs=args.docs, doc_len=args.doc_len, seed=args.seed
    )
    rows = quality(docs, embedder)
    print_quality(rows, docs)
    print("\nConfidence reliability (toolkit): bin, beads, strict accuracy")
    for label, count, accuracy in reliability(docs, rows[0]["results"]):
        print(f"  {label:14} {count:5d} {accuracy:6.3f}")
    unrelated = unrelated_confidence(docs, embedder)
    print(
        f"Mean confidence, documents paired with unrelated ones: {unrelated:.3f} "
        f"(translations: {rows[0]['mean_confidence']:.3f})"
    )
    if args.calibrate:
        calibrate(docs, rows[0]["results"], embedder)
    if args.sizes != "none":
        timing([int(s) for s in args.sizes.split(",")], args.seed, args.repeat)


if __name__ == "__main__":
    main()
