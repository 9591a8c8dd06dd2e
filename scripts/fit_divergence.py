"""Fit what the divergence scorer ships: align/scoring/stats.json and align/scoring/weights.json.

    python scripts/fit_divergence.py stats      # length model + similarity priors
    python scripts/fit_divergence.py words      # only the word-coverage cut (merged into stats)
    python scripts/fit_divergence.py register   # only the registers' kanji shares (into stats)
    python scripts/fit_divergence.py screen     # only the two-stage screen (into weights.json)
    python scripts/fit_divergence.py weights    # composite models on the fit half of the set
    python scripts/fit_divergence.py graded     # only the graded `divergence` (label models kept)

stats: the length model's slope and variance shape on the 19,000 detokenised Tanaka pairs of
../shared/parallel/small_parallel_enja/train19k, its intercept and spread factor refitted on the
untouched, unlabelled official MOFA beads of tests/data/divergence; the similarity priors
(random-pair and aligned cosines) on the 500 Tanaka dev pairs with the USE embedder, and the
word-coverage cut of align/scoring/lexical.py: the 90th percentile of each Japanese content
word's best cosine against the English words of an *unrelated* dev pair (seeded shuffle).
weights: align/scoring/fit.py on the `fit` split (doubtful beads left out); needs scikit-learn.
The composite `divergence` is the graded model (fit.fit_graded_divergence) when
../shared/interpretation/naist-sic-aligned is present: ranked on all 10 intra talks' contrasts
and the fit half's injected edits; scripts/eval_interp.py --cv reports it on held-out talks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.scoring.contrasts import NAIST  # noqa: E402
from align.scoring.labelled import DEFAULT_SET, load_labelled  # noqa: E402
from align.scoring.length import (  # noqa: E402
    STATS_PATH,
    detokenise_en,
    detokenise_ja,
    fit_shape,
    kanji_share,
    refit_register,
)

TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"


def _tanaka(name: str) -> tuple[list[str], list[str]]:
    ja = [detokenise_ja(x) for x in (TANAKA / f"{name}.ja").read_text("utf-8").splitlines()]
    en = [detokenise_en(x) for x in (TANAKA / f"{name}.en").read_text("utf-8").splitlines()]
    return ja, en


def fit_stats() -> dict:
    """Length models for both registers and the USE similarity priors."""
    from align.embed import load_embedder

    ja, en = _tanaka("train19k")
    shape = fit_shape(ja, en)
    untouched = _untouched_ids()
    official = [
        x for x in load_labelled()
        if x.segment.both and not x.labels and not x.doubtful and x.id in untouched
    ]  # fmt: skip
    register = refit_register(shape, [x.segment.src for x in official],
                              [x.segment.tgt for x in official])  # fmt: skip
    embedder = load_embedder("use")
    dev_ja, dev_en = _tanaka("dev")
    a, b = embedder.embed(dev_ja), embedder.embed(dev_en)
    matrix = a @ b.T
    aligned = np.diag(matrix)
    random = matrix[~np.eye(len(matrix), dtype=bool)]
    prior = {"random_mean": float(random.mean()), "random_sd": float(random.std()),
             "aligned_median": float(np.median(aligned))}  # fmt: skip
    word = fit_word_prior(embedder, dev_ja, dev_en)
    return {
        "length": {"tanaka": shape.to_dict(), "official": register.to_dict(),
                   "fitted_on": {"tanaka": len(ja), "official": len(official)}},
        "similarity": {
            "default": {"bead": prior, "clause": prior, "word": word},
            embedder.name: {"bead": prior, "clause": prior, "word": word},
            "fitted_on": "small_parallel_enja dev (500 pairs), USE",
        },
    }  # fmt: skip


WORD_QUANTILE = 0.9


def fit_word_prior(embedder, ja: list[str], en: list[str]) -> dict:
    """The cosine a Japanese word's best English match must beat to count as rendered."""
    from align.scoring.lexical import best_matches, content_words, english_pieces, english_units
    from align.scoring.vectors import pieces_mode

    words = [[w.lemma for w in content_words(x)] for x in ja]
    units = [english_units(x) for x in en]
    distinct = sorted({t for row in words + units for t in row})
    vectors = dict(zip(distinct, embedder.embed(distinct), strict=True))
    if pieces_mode(embedder) == "pooled":  # units pooled from their words (context-free)
        items = [english_pieces(x) for x in en]
        for item, rows in zip(items, embedder.embed_pieces(items), strict=True):
            vectors.update(zip(item.texts, rows, strict=True))
    shift = np.random.default_rng(0).integers(1, len(en), size=len(ja))
    chance = np.concatenate([
        best_matches(row, units[(i + int(shift[i])) % len(en)], vectors.__getitem__)
        for i, row in enumerate(words) if row and units[(i + int(shift[i])) % len(en)]
    ])  # fmt: skip
    own = np.concatenate([best_matches(r, u, vectors.__getitem__)
                          for r, u in zip(words, units, strict=True) if r and u])  # fmt: skip
    return {
        "cover": float(np.quantile(chance, WORD_QUANTILE)),
        "quantile": WORD_QUANTILE,
        "own_median": float(np.median(own)),
        "chance_median": float(np.median(chance)),
    }


def update_word_prior() -> dict:
    """Refit only the word-coverage cut and merge it into stats.json (INTERP_ALIGN_PIECES=pooled:
    the cut for pooled English units, under word_pooled)."""
    from align.embed import load_embedder
    from align.scoring.vectors import pieces_mode

    embedder = load_embedder("use")
    dev_ja, dev_en = _tanaka("dev")
    word = fit_word_prior(embedder, dev_ja, dev_en)
    stats = json.loads(STATS_PATH.read_text(encoding="utf-8"))
    key = "word_pooled" if pieces_mode(embedder) == "pooled" else "word"  # vectors.py
    for name in ("default", embedder.name):
        stats["similarity"][name][key] = word
    STATS_PATH.write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return word


EVERYDAY_DIALOGUES = 20  # BSD dev dialogues 1-20 fit the everyday register (21- are held out)


def fit_everyday(shape) -> dict:
    """The everyday register: the Tanaka shape, intercept and spread refitted on BSD 1-20."""
    from eval_faithful import bsd_segments

    pairs = [s for _, s in bsd_segments(EVERYDAY_DIALOGUES, 0)]
    model = refit_register(shape, [s.src for s in pairs], [s.tgt for s in pairs])
    return {"model": model.to_dict(), "kanji": round(kanji_share([s.src for s in pairs]), 4),
            "fitted_on": len(pairs)}  # fmt: skip


def update_register() -> dict:
    """Refit only the everyday register and the registers' kanji shares (into stats.json)."""
    from align.scoring.length import LengthModel

    stats = json.loads(STATS_PATH.read_text(encoding="utf-8"))
    length = stats["length"]
    everyday = fit_everyday(LengthModel(**length["tanaka"]))
    untouched = _untouched_ids()
    official = [
        x.segment.src for x in load_labelled()
        if x.segment.both and not x.labels and not x.doubtful and x.id in untouched
    ]  # fmt: skip
    length["everyday"] = everyday["model"]
    length["kanji"] = {"official": round(kanji_share(official), 4), "everyday": everyday["kanji"]}
    length["fitted_on"]["everyday"] = (
        f"bsd dev dialogues 1-{EVERYDAY_DIALOGUES} ({everyday['fitted_on']})"
    )
    STATS_PATH.write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return {"everyday": length["everyday"], "kanji": length["kanji"]}


SCREEN_KEEP = 0.98  # the screen keeps >= this share of the fit half's omissions and additions
SCREEN_SAMPLE = (1000, 200)  # Tanaka train pairs whose cleared share is maximised, per group


def _gate_inputs(item) -> tuple[float, float, float, bool]:
    """sim z, sim rel, length z and whether a cheap flag alone sends the bead deep."""
    from align.scoring.features import cheap_flags
    from align.scoring.screen import Screen

    probe = Screen(-np.inf, -np.inf, -np.inf, np.inf, {})
    base = item.baseline
    z = base.z(item.cosine) if base and item.cosine is not None else -np.inf
    rel = base.rel(item.cosine) if base and item.cosine is not None else -np.inf
    length = item.length_z if item.length_z is not None else np.nan
    flagged = not item.segment.both or bool(probe.why_deep(z, rel, 0.0, []) or cheap_flags(item))
    return z, rel, length, flagged


def _cleared(rows: np.ndarray, cut: tuple[float, float, float, float]) -> np.ndarray:
    z, rel, length, flagged = rows.T
    return (
        (~flagged.astype(bool))
        & (z >= cut[0])
        & (rel >= cut[1])
        & (length >= cut[2])
        & (length <= cut[3])
    )


def fit_screen(out: Path) -> dict:
    """Choose the screen's thresholds on the fit half and write them into weights.json.

    Every fit-half bead is measured without the screen and decided twice: as measured, and
    as a cleared bead would be (neutral deep features: the medians over the fit half's
    untouched official beads). A cut is admissible when the beads it clears keep at least
    SCREEN_KEEP of the omission and addition labels found without the screen; among those,
    the one clearing most of SCREEN_SAMPLE Tanaka train pairs (never the benchmark's dev
    pairs) wins, ties going to the stricter cut.
    """
    from dataclasses import replace
    from itertools import product

    from align.embed import load_embedder
    from align.scoring.composite import Weights, decide
    from align.scoring.features import measure
    from align.scoring.screen import DEEP_FEATURES, Screen
    from align.scoring.segment import Segment
    from align.scoring.terminology import load_checker

    embedder, checker, weights = load_embedder("use"), load_checker(), Weights.load(out)
    items = load_labelled()
    measured = measure([x.segment for x in items], embedder, checker, screen=None)
    fit = [(x, m) for x, m in zip(items, measured, strict=True)
           if x.split == "fit" and not x.doubtful]  # fmt: skip
    untouched = [m for x, m in fit if not x.edited and not x.labels and m.segment.both]
    neutral = {k: round(float(np.median([m.features()[k] for m in untouched])), 4)
               for k in DEEP_FEATURES}  # fmt: skip
    deep_hits, cleared_hits = [], []
    for x, m in fit:
        deep_hits.append({lab for lab in decide(m, weights).labels if lab in x.labels})
        m.neutral = neutral
        cleared_hits.append({lab for lab in decide(m, weights).labels if lab in x.labels})
        m.neutral = None
    rows = np.array([_gate_inputs(m) for _, m in fit], dtype=float)
    pairs, size = SCREEN_SAMPLE
    ja, en = _tanaka("train19k")
    sample = [Segment(ja[i], en[i], group=f"tanaka-train-{i // size}") for i in range(pairs)]
    probe = Screen(-np.inf, -np.inf, -np.inf, np.inf, neutral)
    speed = np.array([_gate_inputs(m) for m in measure(sample, embedder, checker, probe)])
    found = [i for i, hits in enumerate(deep_hits) if hits & {"omission", "addition"}]
    z_cuts = sorted({-np.inf, *np.quantile(speed[:, 0][np.isfinite(speed[:, 0])],
                                           [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]),
                     *(rows[i, 0] + 0.01 for i in found if np.isfinite(rows[i, 0]))})  # fmt: skip
    grid = product(
        z_cuts,
        [-np.inf, -1.0, -0.8, -0.6, -0.4, -0.2, 0.0],
        [-np.inf, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5],
        [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, np.inf],
    )
    need = {lab: sum(lab in h for h in deep_hits) for lab in ("omission", "addition")}
    best, best_key = None, None
    for cut in grid:
        clear = _cleared(rows, cut)
        chosen = [c if k else d for c, d, k in zip(cleared_hits, deep_hits, clear, strict=True)]
        kept = {lab: sum(lab in hits for hits in chosen) for lab in need}
        if any(kept[lab] < SCREEN_KEEP * need[lab] for lab in need):
            continue
        key = (float(_cleared(speed, cut).mean()), cut[0], cut[1], cut[2], -cut[3])
        if best_key is None or key > best_key:
            best, best_key = cut, key
    assert best is not None
    screen = Screen(*(round(_finite(v), 4) for v in best), neutral)
    gate, gate_report = _fit_word_gate(
        fit, weights, screen, _cleared(rows, best), (deep_hits, cleared_hits), need, sample
    )
    screen = replace(screen, words=gate)
    data = json.loads(out.read_text(encoding="utf-8"))
    data["screen"] = screen.to_dict()
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    clear = _cleared(rows, best)
    plain = np.array([not x.edited and not x.labels for x, _ in fit])
    report = {"screen": screen.to_dict(), "fit_labels_found_unscreened": need,
              "tanaka_train_cleared": round(best_key[0], 3),
              "fit_half_cleared": round(float(clear.mean()), 3),
              "fit_untouched_cleared": round(float(clear[plain].mean()), 3),
              "word_gate": gate_report}  # fmt: skip
    print(json.dumps(report, indent=2))
    return report


def _finite(value: float) -> float:
    """A threshold for weights.json: an open end (+-inf) as +-1e9."""
    return float(value) if np.isfinite(value) else (-1e9 if value < 0 else 1e9)


def _fit_word_gate(fit, weights, screen, cleared, hits, need, sample):
    """Choose the word gate (screen.WordGate) on the fit half, after the first gate.

    A deep JA-EN bead is decided again with neutral word features; a gate is admissible when,
    with the first gate's cleared beads as they are, the labels found keep SCREEN_KEEP of those
    found without any screen; among those, the one skipping word coverage for most of the
    Tanaka sample's deep beads wins, ties going to the stricter gate.
    """
    from dataclasses import asdict
    from itertools import product

    from align.embed import load_embedder
    from align.scoring.composite import decide
    from align.scoring.features import _ja_en, measure
    from align.scoring.screen import WordGate
    from align.scoring.terminology import load_checker

    deep_hits, cleared_hits = hits
    skipped_hits = []
    for x, m in fit:
        gap, m.lexical, m.words_neutral = m.lexical, None, screen.neutral
        skipped_hits.append({lab for lab in decide(m, weights).labels if lab in x.labels})
        m.lexical, m.words_neutral = gap, None
    fit_values = [m.features() for _, m in fit]
    eligible = [not c and _ja_en(m.segment) for (_, m), c in zip(fit, cleared, strict=True)]
    measured = measure(sample, load_embedder("use"), load_checker(), screen)
    speed = [m.features() for m in measured if not m.cleared and _ja_en(m.segment)]
    absence = np.array([f["om_absence"] for f in speed])
    low_z = np.array([f["om_min_z"] for f in speed])
    grid = product(
        [*np.quantile(absence, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]), np.inf],
        [-np.inf, *np.quantile(low_z, [0.1, 0.2, 0.3, 0.5])],
        [-np.inf, -3.0, -2.5, -2.0, -1.5, -1.0],
    )
    best, best_key = None, None
    for cut in grid:
        gate = WordGate(*(float(v) for v in cut))
        chosen = [
            c if k else (s if e and gate.skips(f) else d)
            for c, s, d, k, e, f in zip(cleared_hits, skipped_hits, deep_hits, cleared, eligible,
                                        fit_values, strict=True)
        ]  # fmt: skip
        kept = {lab: sum(lab in h for h in chosen) for lab in need}
        if any(kept[lab] < SCREEN_KEEP * need[lab] for lab in need):
            continue
        key = (float(np.mean([gate.skips(f) for f in speed])), -cut[0], cut[1], cut[2])
        if best_key is None or key > best_key:
            best, best_key = gate, key
    if best is None or best_key[0] == 0.0:
        return None, {"skipped_tanaka_deep": 0.0}
    gate = WordGate(**{k: round(_finite(v), 4) for k, v in asdict(best).items()})
    skipped_fit = [e and gate.skips(f) for e, f in zip(eligible, fit_values, strict=True)]
    share = sum(skipped_fit) / max(sum(eligible), 1)
    return gate, {"skipped_tanaka_deep": round(best_key[0], 3), "skipped_fit_deep": round(share, 3)}


def _untouched_ids() -> set[str]:
    """Beads of the set as the official translation has them (no injected edit)."""
    rows = [json.loads(x) for x in DEFAULT_SET.read_text("utf-8").splitlines() if x.strip()]
    return {row["id"] for row in rows if "edit" not in row}


def fit_weights_file(out: Path) -> None:
    """Measure the fit half with USE and the shipped termbase, fit, write weights.json."""
    from align.embed import load_embedder
    from align.scoring.features import measure
    from align.scoring.fit import fit_weights
    from align.scoring.terminology import load_checker

    items = [x for x in load_labelled() if x.split == "fit" and not x.doubtful]
    measured = measure(
        [x.segment for x in load_labelled()], load_embedder("use"), load_checker(), screen=None
    )  # the label models see every bead fully measured
    by_id = {x.id: m for x, m in zip(load_labelled(), measured, strict=True)}
    digest = hashlib.sha1(DEFAULT_SET.read_bytes()).hexdigest()[:12]
    import sklearn

    signature = f"fit:beads.jsonl@{digest}|n:{len(items)}|split:fit|sklearn:{sklearn.__version__}"
    weights = fit_weights([by_id[x.id] for x in items], [x.labels for x in items], signature)
    weights = _graded(weights, [by_id[x.id] for x in load_labelled()])
    from dataclasses import replace

    from align.scoring.composite import Weights

    _write(out, replace(weights, screen=Weights.load(out).screen))  # the screen is kept


def _graded(weights, labelled: list):
    """Replace `divergence` by the graded model (fit.fit_graded_divergence) when NAIST is here."""
    if not NAIST.is_dir():
        return weights
    from align.embed import load_embedder
    from align.scoring.contrasts import load_contrasts
    from align.scoring.features import measure
    from align.scoring.fit import fit_graded_divergence
    from align.scoring.terminology import load_checker

    contrasts = load_contrasts("intra")
    both = measure([s for c in contrasts for s in c.segments()], load_embedder("use"),
                   load_checker())  # fmt: skip
    every = load_labelled()
    graded = fit_graded_divergence(labelled, every, contrasts, both[0::2], both[1::2])
    models = {**weights.models, "divergence": graded}
    base = weights.signature.split("|graded:")[0]
    signature = f"{base}|graded:naist-intra({len(contrasts)})+injected-fit"
    return type(weights)(models, weights.term_omit_absence, signature, weights.screen)


def refit_graded(out: Path) -> None:
    """Keep the shipped label models; refit only the graded `divergence` composite."""
    from align.embed import load_embedder
    from align.scoring.composite import Weights
    from align.scoring.features import measure
    from align.scoring.terminology import load_checker

    items = load_labelled()
    labelled = measure([x.segment for x in items], load_embedder("use"), load_checker())
    _write(out, _graded(Weights.load(out), labelled))


def _write(out: Path, weights) -> None:
    """weights.json: the signature, the term cut and every model."""
    payload = {
        "signature": weights.signature,
        "term_omit_absence": weights.term_omit_absence,
        "models": {name: model.to_dict() for name, model in weights.models.items()},
    }
    if weights.screen is not None:
        payload["screen"] = weights.screen.to_dict()
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} ({weights.signature})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "what", choices=["stats", "words", "register", "screen", "weights", "graded"]
    )
    args = parser.parse_args()
    if args.what == "stats":
        stats = fit_stats()
        STATS_PATH.write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
        update_register()
        print(json.dumps(stats["length"], indent=2))
    elif args.what == "words":
        print(json.dumps(update_word_prior(), indent=2))
    elif args.what == "screen":
        fit_screen(STATS_PATH.with_name("weights.json"))
    elif args.what == "register":
        print(json.dumps(update_register(), indent=2))
    elif args.what == "graded":
        refit_graded(STATS_PATH.with_name("weights.json"))
    else:
        fit_weights_file(STATS_PATH.with_name("weights.json"))


if __name__ == "__main__":
    main()
