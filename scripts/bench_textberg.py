"""Benchmark the sentence aligner on the Text+Berg German-French benchmark (pre-split).

    python scripts/bench_textberg.py --data PATH/text+berg            # band and two-step

PATH/text+berg is the folder of that name in a checkout of github.com/bfsujason/bertalign
(de/NNN, fr/NNN one sentence a line, gold/NNN Vecalign beads; from Thompson and Koehn 2019);
it is read in place, never copied into this repository. Strict and lax F1 as Vecalign's
score.py, micro-averaged over the 7 documents; Bertalign reports 0.936 strict with LaBSE.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from align.aligners import align_sentences
from align.aligners.evaluate import read_alignments, score_multiple


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def score(data: Path, embedder, **overrides) -> dict[str, float]:
    """Strict/lax P/R/F1 over every document of the benchmark."""
    gold, test = [], []
    for path in sorted((data / "gold").iterdir()):
        de, fr = lines(data / "de" / path.name), lines(data / "fr" / path.name)
        result = align_sentences(de, fr, embedder, src_lang="de", tgt_lang="fr", **overrides)
        gold.append(read_alignments(path))
        test.append([(tuple(b.src), tuple(b.tgt)) for b in result.beads])
    return score_multiple(gold, test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the text+berg folder")
    args = parser.parse_args()
    if not (args.data / "gold").is_dir():
        sys.exit(f"bench_textberg: no gold/ folder in {args.data}")
    from align.embed import load_embedder

    embedder = load_embedder("use")
    print(f"{'aligner':10} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} {'F1 lax':>7}")
    for method in ("band", "twostep"):
        r = score(args.data, embedder, method=method)
        print(
            f"{method:10} {r['precision_strict']:8.3f} {r['recall_strict']:8.3f} "
            f"{r['f1_strict']:9.3f} {r['f1_lax']:7.3f}"
        )


if __name__ == "__main__":
    main()
