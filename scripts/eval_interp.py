"""Does the score order renderings by how far they depart? NAIST-SIC interpretation vs translation.

    python scripts/eval_interp.py                 # shipped weights on the 4 hand-aligned dev talks
    python scripts/eval_interp.py --cv            # talk-grouped cross-validated refit (see fit.py)
    python scripts/eval_interp.py --profile GaryFlake_2010   # one talk's interpretation profile

Per English sentence of ../shared/interpretation/naist-sic-aligned/dev.true.tsv, the share of
rows where the interpretation scores as more divergent than the offline translation, for the
composite, for plain cosine (lower = more divergent) and for the length ratio (EN chars per JA
char; higher = the Japanese more compressed), all computed in the same run. Ties count half.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.scoring.contrasts import NAIST, load_contrasts  # noqa: E402


def _share(interp: np.ndarray, trans: np.ndarray) -> float:
    return float(np.mean((interp > trans) + 0.5 * (interp == trans)))


def measured_pairs(name: str):
    """The contrasts of one file and the Measured record of both renderings of each."""
    from align.embed import load_embedder
    from align.scoring.features import measure
    from align.scoring.terminology import load_checker

    rows = load_contrasts(name)
    segments = [s for row in rows for s in row.segments()]
    measured = measure(segments, load_embedder("use"), load_checker())
    return rows, measured[0::2], measured[1::2]


def shares(interp, trans, weights=None) -> dict[str, float]:
    """Composite, cosine and length-ratio shares of interpretation-above-translation."""
    from align.scoring.composite import Weights, decide

    weights = weights or Weights.load()
    comp = lambda ms: np.array([decide(m, weights).divergence for m in ms])  # noqa: E731
    cos = lambda ms: np.array([-(m.cosine or 0.0) for m in ms])  # noqa: E731
    ratio = lambda ms: np.array([len(m.segment.tgt) / max(len(m.segment.src), 1) for m in ms])  # noqa: E731
    return {
        "composite": round(_share(comp(interp), comp(trans)), 3),
        "cosine": round(_share(cos(interp), cos(trans)), 3),
        "length_ratio": round(_share(ratio(interp), ratio(trans)), 3),
        "rows": len(interp),
    }


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Chance that a positive scores above a negative (ties half)."""
    if not len(positive) or not len(negative):
        return float("nan")
    return _share(positive[:, None], negative[None, :])


def cross_validated(rows, interp, trans) -> dict:
    """Leave-one-talk-out: refit the graded model without a talk, report on that talk only.

    Training: the other talks' intra contrasts and the injected set's fit half (never a row of
    the held-out talk). Reported per held-out talk: the share on its hand-aligned rows, and
    within its interpretation, how often an intra row judged N (no rendering) scores above a
    row judged Y (a within-document ordering the shipped weights never saw as pairs).
    """
    from align.embed import load_embedder
    from align.scoring.composite import Weights
    from align.scoring.features import measure
    from align.scoring.fit import fit_graded_divergence
    from align.scoring.labelled import load_labelled
    from align.scoring.terminology import load_checker

    items = load_labelled()
    labelled = measure([x.segment for x in items], load_embedder("use"), load_checker())
    intra, i_interp, i_trans = measured_pairs("intra")
    shipped = Weights.load()
    out, pooled = {}, {"composite": [], "cosine": [], "length_ratio": [], "rows": 0}
    for talk in sorted({r.talk for r in intra}):
        model = fit_graded_divergence(labelled, items, intra, i_interp, i_trans, held_out=talk)
        weights = Weights({**shipped.models, "divergence": model}, shipped.term_omit_absence,
                          f"cv-without:{talk}")  # fmt: skip
        entry: dict = {}
        mine = [k for k, r in enumerate(rows) if r.talk == talk]
        if mine:
            entry["true"] = shares([interp[k] for k in mine], [trans[k] for k in mine], weights)
            for key in ("composite", "cosine", "length_ratio"):
                pooled[key].append(entry["true"][key] * len(mine))
            pooled["rows"] += len(mine)
        own = [k for k, r in enumerate(intra) if r.talk == talk]
        score = np.array([model.probability(i_interp[k].features()) for k in own])
        weak = np.array([intra[k].weak for k in own])
        entry["intra_N_above_Y"] = round(_auc(score[weak == "N"], score[weak == "Y"]), 3)
        cos = np.array([-(i_interp[k].cosine or 0.0) for k in own])
        entry["intra_N_above_Y_cosine"] = round(_auc(cos[weak == "N"], cos[weak == "Y"]), 3)
        out[talk] = entry
    total = max(pooled["rows"], 1)
    summary = {k: round(sum(v) / total, 3) for k, v in pooled.items() if k != "rows"}
    within = {k: round(float(np.nanmean([v[k] for v in out.values()])), 3)
              for k in ("intra_N_above_Y", "intra_N_above_Y_cosine")}  # fmt: skip
    return {"held_out_true_rows": {**summary, "rows": pooled["rows"]},
            "held_out_within_talk_mean": within, "per_talk": out}  # fmt: skip


def talk_profile(talk: str) -> dict:
    """The interpretation profile of one talk's interpretation and of its offline translation.

    Scored Japanese-first as everywhere; labels are then given in the original's (English)
    direction, as `score_run` does for an English original rendered into Japanese.
    """
    from align.embed import load_embedder
    from align.scoring.engine import score_segments
    from align.scoring.profile import Rendered, profile
    from align.scoring.terminology import load_checker

    rows = [r for r in load_contrasts("true") if r.talk == talk]
    segments = [s for row in rows for s in row.segments()]
    results = score_segments(segments, load_embedder("use"), load_checker())
    swap = {"omission": "addition", "addition": "omission"}
    out = {}
    for offset, kind in ((0, "interpretation"), (1, "translation")):
        records = [
            Rendered(s.tgt, s.src, "ja", tuple(swap.get(x, x) for x in r["labels"]), r["signals"])
            for s, r in zip(segments[offset::2], results[offset::2], strict=True)
        ]
        out[kind] = {"rows": len(records), **profile(records)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="talk-grouped cross-validated refit")
    parser.add_argument("--profile", metavar="TALK", help="only the profile of one dev.true talk")
    args = parser.parse_args()
    if not NAIST.is_dir():
        sys.exit(f"{NAIST}: NAIST-SIC data not found")
    if args.profile:
        print(json.dumps(talk_profile(args.profile), indent=2, ensure_ascii=False))
        return
    rows, interp, trans = measured_pairs("true")
    out = {"shipped_weights": shares(interp, trans)}
    talks = sorted({r.talk for r in rows})
    out["per_talk"] = {
        t: shares([m for r, m in zip(rows, interp, strict=True) if r.talk == t],
                  [m for r, m in zip(rows, trans, strict=True) if r.talk == t])
        for t in talks
    }  # fmt: skip
    if args.cv:
        out["cross_validated"] = cross_validated(rows, interp, trans)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
