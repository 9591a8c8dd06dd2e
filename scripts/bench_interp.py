"""Benchmark the sentence aligner on real simultaneous interpretation (NAIST-SIC-Aligned dev).

    python scripts/bench_interp.py                 # every talk, both directions, SI and offline
    python scripts/bench_interp.py --split fit     # talks 1 and 3 only (fit), or --split report
    python scripts/bench_interp.py --json
    python scripts/bench_interp.py --aligner twostep   # Bertalign's two-step search

Each talk of ../shared/interpretation/naist-sic-aligned/dev.true.tsv is one document pair: the
English sentences (one a row) and the interpreter's Japanese (`manual_si_tgt`) split after 。！？;
the gold bead of each English sentence is the pieces of its row (an empty row is a 1-0). The
offline translation of the same sentences (`offline_tgt`) is aligned the same way beside it.
Both directions are scored (EN→JA: English source; JA→EN: Japanese source), strict and lax F1
as Vecalign's score.py, micro-averaged over talks. Tests and benchmarks only: the data set is
never copied into corpora/ (Zhao et al., LREC-COLING 2024, arXiv 2304.11766).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from align.aligners import align_sentences
from align.aligners.evaluate import score_multiple

DATA = Path(__file__).resolve().parents[2] / "shared" / "interpretation" / "naist-sic-aligned"
_PIECE = re.compile(r"[^。！？]*[。！？]+|[^。！？]+$")
Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class Talk:
    """One talk as a document pair with its gold beads (English = side `en`)."""

    name: str
    en: list[str]
    ja: list[str]
    gold: list[Pair]  # English source, Japanese target

    def flipped(self) -> list[Pair]:
        return [(t, s) for s, t in self.gold]


def pieces(text: str) -> list[str]:
    """Japanese split after 。！？ (the issue's rule); whitespace-only pieces dropped."""
    return [p.strip() for p in _PIECE.findall(text or "") if p.strip()]


def read_talks(path: Path = DATA / "dev.true.tsv", column: str = "manual_si_tgt") -> list[Talk]:
    """Talks in file order; `column` is the Japanese side (manual_si_tgt or offline_tgt)."""
    csv.field_size_limit(10**7)
    talks: dict[str, Talk] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
            talk = talks.setdefault(row["name"], Talk(row["name"], [], [], []))
            parts = pieces(row[column])
            start = len(talk.ja)
            talk.gold.append(((len(talk.en),), tuple(range(start, start + len(parts)))))
            talk.en.append(row["eng_src"].strip())
            talk.ja.extend(parts)
    return list(talks.values())


def split(talks: list[Talk], part: str) -> list[Talk]:
    """By talk, never by row: 'fit' = talks 0, 2, …; 'report' = talks 1, 3, …; 'all'."""
    if part == "all":
        return talks
    offset = 0 if part == "fit" else 1
    return talks[offset::2]


def pairs_of(beads) -> list[Pair]:
    return [(tuple(b.src), tuple(b.tgt)) for b in beads]


def score_talks(
    talks: Sequence[Talk], embedder, direction: str, **overrides
) -> tuple[dict[str, float], list]:
    """Strict/lax F1 over talks in one direction ('en-ja' or 'ja-en'), and the alignments."""
    gold, test, results = [], [], []
    for talk in talks:
        if direction == "en-ja":
            result = align_sentences(
                talk.en, talk.ja, embedder, src_lang="en", tgt_lang="ja", **overrides
            )
            gold.append(talk.gold)
        else:
            result = align_sentences(
                talk.ja, talk.en, embedder, src_lang="ja", tgt_lang="en", **overrides
            )
            gold.append(talk.flipped())
        test.append(pairs_of(result.beads))
        results.append(result)
    return score_multiple(gold, test), results


def benchmark(embedder, part: str = "all", **overrides) -> list[dict]:
    """One row per (Japanese side, direction)."""
    rows = []
    for column, label in (("manual_si_tgt", "interpretation"), ("offline_tgt", "offline")):
        talks = split(read_talks(column=column), part)
        for direction in ("en-ja", "ja-en"):
            scores, _ = score_talks(talks, embedder, direction, **overrides)
            rows.append({"japanese": label, "direction": direction, "talks": len(talks), **scores})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("all", "fit", "report"), default="all")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--aligner", choices=("band", "twostep"), default="band")
    args = parser.parse_args()
    if not (DATA / "dev.true.tsv").is_file():
        sys.exit(f"bench_interp: data not found: {DATA}")
    from align.embed import load_embedder

    rows = benchmark(load_embedder("use"), args.split, method=args.aligner)
    if args.json:
        print(json.dumps(rows))
        return
    print(
        f"NAIST-SIC-Aligned dev ({args.split} talks, aligner {args.aligner}), strict / lax F1"
        " (Vecalign score.py)"
    )
    print(
        f"{'Japanese':15} {'direction':9} {'talks':>5} {'P strict':>8} {'R strict':>8} "
        f"{'F1 strict':>9} {'F1 lax':>7}"
    )
    for r in rows:
        print(
            f"{r['japanese']:15} {r['direction']:9} {r['talks']:5d} "
            f"{r['precision_strict']:8.3f} {r['recall_strict']:8.3f} {r['f1_strict']:9.3f} "
            f"{r['f1_lax']:7.3f}"
        )


if __name__ == "__main__":
    main()
