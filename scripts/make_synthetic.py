"""Write the synthetic EN-JA alignment benchmark to disk: <doc>.ja, <doc>.en, <doc>.gold per doc.

    python scripts/make_synthetic.py --out /tmp/synth
    for d in /tmp/synth/*.ja; do b=${d%.ja}; interp-align sentences $b.ja $b.en > $b.test; done
    interp-align evaluate --gold /tmp/synth/*.gold --test /tmp/synth/*.test

Documents are consecutive pairs of ../shared/parallel/small_parallel_enja (detokenised), with
about 15% of beads 2-1 (two English sentences merged) and 5% 1-0 (English dropped); the same
seed always gives the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from align.aligners.evaluate import write_alignments
from align.aligners.synthetic import make_benchmark, read_pairs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "parallel" / "small_parallel_enja"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--split", default="dev", help="dev or train19k")
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--doc-len", type=int, default=48, help="pairs per document")
    parser.add_argument("--merge-rate", type=float, default=0.15)
    parser.add_argument("--drop-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    docs = make_benchmark(
        read_pairs(args.corpus, args.split),
        n_docs=args.docs,
        doc_len=args.doc_len,
        seed=args.seed,
        merge_rate=args.merge_rate,
        drop_rate=args.drop_rate,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (args.out / f"{doc.name}.ja").write_text("".join(s + "\n" for s in doc.src), "utf-8")
        (args.out / f"{doc.name}.en").write_text("".join(s + "\n" for s in doc.tgt), "utf-8")
        write_alignments(args.out / f"{doc.name}.gold", doc.gold)
    beads = sum(len(d.gold) for d in docs)
    print(f"wrote {len(docs)} documents ({beads} gold beads) to {args.out}")


if __name__ == "__main__":
    main()
