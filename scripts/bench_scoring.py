"""Throughput of divergence scoring, and its overhead over alignment alone (same process).

    python scripts/bench_scoring.py            # Tanaka dev (500 pairs) + the four official events
    python scripts/bench_scoring.py --pairs 200

Both stages use the same embedder with the on-disk cache switched off (every text is really
embedded; the in-process memo is cleared between stages), so the ratio is scoring time over
alignment time for the same beads. Printed: beads, seconds per stage, beads/second for scoring,
and (alignment + scoring) / alignment.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.aligners.sentences import align_sentences  # noqa: E402
from align.embed import load_embedder  # noqa: E402
from align.scoring.engine import score_segments  # noqa: E402
from align.scoring.length import detokenise_en, detokenise_ja  # noqa: E402
from align.scoring.segment import Segment  # noqa: E402
from align.scoring.terminology import load_checker  # noqa: E402

TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"


def _documents(pairs: int) -> list[tuple[str, list[str], list[str]]]:
    docs = []
    if TANAKA.is_dir():
        ja = [detokenise_ja(x) for x in (TANAKA / "dev.ja").read_text("utf-8").splitlines()]
        en = [detokenise_en(x) for x in (TANAKA / "dev.en").read_text("utf-8").splitlines()]
        docs.append(("tanaka-dev", ja[:pairs], en[:pairs]))
    from align.ingest.event import load_event
    from align.pipeline import choose_pairs

    for folder in sorted((ROOT / "corpora" / "events").iterdir()):
        event = load_event(folder)
        for src, tgt in choose_pairs(event):
            if src.language != "ja":  # the run scores Japanese first whichever is the original
                src, tgt = tgt, src
            docs.append((folder.name, [s.text for s in src.sentences],
                         [s.text for s in tgt.sentences]))  # fmt: skip
    return docs


def _fresh():
    from align.embed.cache import clear_run_tables

    clear_run_tables()  # an empty in-memory table: every text is really embedded
    return load_embedder("use", use_cache=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=500)
    args = parser.parse_args()
    docs = _documents(args.pairs)
    _fresh().embed(["warm-up", "準備"])  # load the model outside the timings
    terms = load_checker()
    align_s = score_s = 0.0
    beads_total = 0
    for name, src, tgt in docs:
        embedder = _fresh()
        start = time.perf_counter()
        aligned = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en")
        align_s += time.perf_counter() - start
        segments = [
            Segment("".join(src[i] for i in b.src), " ".join(tgt[j] for j in b.tgt), group=name)
            for b in aligned.beads
        ]
        embedder = _fresh()
        start = time.perf_counter()
        score_segments(segments, embedder, terms)
        score_s += time.perf_counter() - start
        beads_total += len(segments)
    print(f"documents {len(docs)}  beads {beads_total}")
    print(f"alignment alone   {align_s:8.2f} s")
    print(f"scoring           {score_s:8.2f} s   {beads_total / score_s:8.1f} beads/s")
    print(f"(alignment + scoring) / alignment = {(align_s + score_s) / align_s:.2f}x")


if __name__ == "__main__":
    main()
