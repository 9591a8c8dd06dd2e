"""Calibrate bead confidence on real and synthetic data; print the ten-bin reliability table.

    python scripts/calibrate_confidence.py report            # reliability on the report split
    python scripts/calibrate_confidence.py report --split fit
    python scripts/calibrate_confidence.py fit               # refit align/aligners/calibration.json
    python scripts/calibrate_confidence.py documents         # document confidence per pair

Fit split: synthetic EN-JA (seed 13) and each source paired with an unrelated target (every bead
wrong), NAIST-SIC dev talks 1 and 3 (interpretation and offline, both directions), the shipped
gold of corpora/events, BSD dialogues of bsd_transcripts.split("fit") as speaker-labelled
transcripts (short turns, gold 1-1), and each against another dialogue's English, whole and
turn by turn forced (all wrong).
Report split: synthetic seed 29 and its unrelated pairs, NAIST-SIC talks 2 and 4, the held-out
hand gold of tests/data/gold_text (never fitted on), and the BSD dialogues of the report split.
`report --sources bsd,bsd-unrelated` prints the table of those sources only. A bead is right
when it is exactly a gold bead. The model: logistic regression on the aligner's per-bead features
(margin, similarity z-score, skip), then isotonic regression of correctness on its output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bsd_transcripts as bsd
from bench_interp import read_talks, split
from bench_levers import ROOT, SHARED, TEXT_GOLD

from align.aligners import align_sentences, confidence
from align.aligners.evaluate import read_alignments
from align.aligners.goldtext import gold_links, locate, read_units
from align.aligners.synthetic import make_benchmark, read_pairs
from align.ingest.event import documents_as_event, load_event
from align.pipeline import align_documents, choose_pairs

Sample = tuple[np.ndarray, np.ndarray, np.ndarray]  # raw features, labels, source ids
WIDTH = len(confidence.COEFFICIENTS)  # feature columns


def _rows(beads, diagnostics, right) -> tuple[np.ndarray, list[bool]]:
    """Feature rows and labels of one alignment's beads (forced one-sided beads left out)."""
    if not diagnostics or not diagnostics.get("margin"):
        return np.zeros((0, WIDTH)), []
    both = np.array([bool(b.src and b.tgt) for b in beads])
    x = confidence.features(
        np.array(diagnostics["margin"]), np.array(diagnostics["z"]), both,
        np.array(diagnostics["pin"]),
    )  # fmt: skip
    return x, [right(b) for b in beads]


def _sentence_level(pairs, embedder, tag: str, out: list) -> None:
    """(src, tgt, gold, src_lang, tgt_lang) lists through align_sentences."""
    for src, tgt, gold, sl, tl in pairs:
        result = align_sentences(src, tgt, embedder, src_lang=sl, tgt_lang=tl)
        truth = {(tuple(s), tuple(t)) for s, t in gold}
        x, y = _rows(result.beads, result.diagnostics, lambda b, t=truth: (b.src, b.tgt) in t)
        out.append((x, np.array(y, dtype=bool), tag))


def _synthetic(seed: int, embedder, out: list) -> None:
    docs = make_benchmark(
        read_pairs(SHARED / "parallel" / "small_parallel_enja", "dev"),
        n_docs=20,
        doc_len=48,
        seed=seed,
    )
    _sentence_level(
        [(d.src, d.tgt, [(b.src, b.tgt) for b in d.gold], "ja", "en") for d in docs],
        embedder,
        "synthetic",
        out,
    )
    shift = len(docs) // 2
    _sentence_level(
        [
            (docs[k].src, docs[(k + shift) % len(docs)].tgt, [], "ja", "en")
            for k in range(len(docs))
        ],
        embedder,
        "unrelated",
        out,
    )


def _naist(part: str, embedder, out: list) -> None:
    for column in ("manual_si_tgt", "offline_tgt"):
        for talk in split(read_talks(column=column), part):
            _sentence_level(
                [
                    (talk.en, talk.ja, talk.gold, "en", "ja"),
                    (talk.ja, talk.en, talk.flipped(), "ja", "en"),
                ],
                embedder,
                f"naist-{column.split('_')[0]}",
                out,
            )


def _pipeline(event, src, tgt, embedder, right_of) -> tuple[np.ndarray, np.ndarray]:
    """Document-level beads through the pipeline, labelled by `right_of(doc_bead)`."""
    result = align_documents(event, src, tgt, embedder)
    src_index = {s.id: i for i, s in enumerate(src.sentences)}
    tgt_index = {s.id: i for i, s in enumerate(tgt.sentences)}
    xs, ys = [], []
    for pair in result.pairs:

        def right(b, pair=pair):
            s = tuple(src_index[pair.src_sentences[i].id] for i in b.src)
            t = tuple(tgt_index[pair.tgt_sentences[j].id] for j in b.tgt)
            return right_of(s, t)

        x, y = _rows(pair.beads, pair.diagnostics, right)
        xs.append(x)
        ys += y
    return np.vstack(xs) if xs else np.zeros((0, WIDTH)), np.array(ys, dtype=bool)


def _shipped(embedder, out: list) -> None:
    for folder in sorted((ROOT / "corpora" / "events").iterdir()):
        if not (folder / "event.yaml").is_file():
            continue
        event = load_event(folder)
        for ref in event.gold:
            gold = {(tuple(s), tuple(t)) for s, t in read_alignments(ref.path)}
            for src, tgt in choose_pairs(event):
                if (src.id, tgt.id) == (ref.src, ref.tgt):
                    x, y = _pipeline(event, src, tgt, embedder, lambda s, t, g=gold: (s, t) in g)
                    out.append((x, y, "shipped"))


def _held_out(embedder, out: list) -> None:
    for name, (ja, en) in TEXT_GOLD.items():
        folder = ROOT / "tests" / "data" / "gold_text" / name
        event = documents_as_event([SHARED / "sources" / ja, SHARED / "sources" / en])
        src, tgt = choose_pairs(event)[0]
        gold = read_alignments(folder / "gold.txt")
        where_s = locate(read_units(folder / "ja.txt"), [s.text for s in src.sentences])
        where_t = locate(read_units(folder / "en.txt"), [s.text for s in tgt.sentences])
        links = gold_links(gold)

        def right(s, t, ws=where_s, wt=where_t, links=links):
            us = {u for u, sents in enumerate(ws) if sents & set(s)}
            ut = {u for u, sents in enumerate(wt) if sents & set(t)}
            mine = {(a, b) for a in us for b in ut}
            theirs = {(a, b) for a, b in links if a in us or b in ut}
            return mine == theirs

        x, y = _pipeline(event, src, tgt, embedder, right)
        out.append((x, y, "held-out"))


def _dialogues(part: str, embedder, out: list) -> None:
    """BSD dialogues as speaker-labelled transcripts (short turns; every gold bead 1-1), and
    each dialogue's Japanese against another dialogue's English of the same split (all wrong)."""
    import tempfile

    indices = bsd.split(part)
    with tempfile.TemporaryDirectory() as folder:
        for k, index in enumerate(indices):
            d, other = bsd.dialogue(index), bsd.dialogue(indices[(k + 1) % len(indices)])
            for tag, en, gold in (("bsd", d.en, set(d.pairs)), ("bsd-unrelated", other.en, set())):
                ja_path = Path(folder) / f"ja_{index}.txt"
                en_path = Path(folder) / f"en_{index}.txt"
                ja_path.write_text(d.ja, encoding="utf-8")
                en_path.write_text(en, encoding="utf-8")
                event = documents_as_event([ja_path, en_path])
                src, tgt = choose_pairs(event)[0]
                ja_text = [s.text for s in src.sentences]
                en_text = [s.text for s in tgt.sentences]

                def right(s, t, gold=gold, ja_text=ja_text, en_text=en_text):
                    pair = ("".join(ja_text[i] for i in s), " ".join(en_text[j] for j in t))
                    return len(s) == len(t) == 1 and pair in gold

                x, y = _pipeline(event, src, tgt, embedder, right)
                out.append((x, y, tag))
            _forced_turns(d.ja, other.en, embedder, out)


def _forced_turns(ja: str, en: str, embedder, out: list) -> None:
    """Each Japanese turn forced against the English turn at its place in another dialogue:
    short texts that are not translations (what `sentences` on two wrong files would see)."""
    from align.ingest import parse_text

    ja_turns = parse_text(ja, language="ja").speech_turns()
    en_turns = parse_text(en, language="en").speech_turns()
    pairs = [
        ([s.text for s in a.sentences], [s.text for s in b.sentences], [], "ja", "en")
        for a, b in zip(ja_turns, en_turns, strict=False)
    ]
    _sentence_level(pairs, embedder, "bsd-unrelated", out)


def collect(part: str, embedder) -> list:
    """(features, labels, source) blocks of one split."""
    out: list = []
    _synthetic(13 if part == "fit" else 29, embedder, out)
    _naist("fit" if part == "fit" else "report", embedder, out)
    (_shipped if part == "fit" else _held_out)(embedder, out)
    if bsd.count():
        _dialogues(part, embedder, out)
    return out


def fit(blocks: list) -> dict:
    """Logistic regression, then isotonic regression on its probabilities (scikit-learn)."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    model = LogisticRegression(C=10.0, fit_intercept=False, max_iter=1000)
    model.fit(x, y)
    raw = 1 / (1 + np.exp(-(x @ model.coef_[0])))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(raw, y)
    return {
        "coefficients": [round(float(v), 4) for v in model.coef_[0]],
        "isotonic_x": [round(float(v), 6) for v in iso.X_thresholds_],
        "isotonic_y": [round(float(v), 6) for v in iso.y_thresholds_],
        "fitted_on": "synthetic seed 13 (+ unrelated pairs), NAIST-SIC dev talks 1 and 3 "
        "(interpretation and offline, both directions), corpora/events gold, BSD dialogues of "
        "bsd_transcripts.split('fit') (+ unrelated dialogue pairs)",
        "beads": int(len(y)),
    }


def reliability(blocks: list) -> list[tuple[str, int, float, float]]:
    """Ten bins of calibrated confidence: count, mean confidence, observed accuracy."""
    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    p = confidence.calibrated(x)
    rows = []
    for k in range(10):
        lo, hi = k / 10, (k + 1) / 10
        mask = (p >= lo) & ((p < hi) if k < 9 else (p <= hi))
        rows.append(
            (
                f"[{lo:.1f}, {hi:.1f}{']' if k == 9 else ')'}",
                int(mask.sum()),
                float(p[mask].mean()) if mask.any() else float("nan"),
                float(y[mask].mean()) if mask.any() else float("nan"),
            )
        )
    return rows


def print_reliability(blocks: list, part: str) -> None:
    rows = reliability(blocks)
    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    p = confidence.calibrated(x)
    ece = sum(n * abs(c - a) for _, n, c, a in rows if n) / max(len(y), 1)
    print(
        f"Reliability ({part} split, {len(y)} beads, {int(y.sum())} right; "
        f"sources: {', '.join(sorted({b[2] for b in blocks}))})"
    )
    print("| confidence | beads | mean confidence | observed accuracy |")
    print("|---|---:|---:|---:|")
    for label, n, c, a in rows:
        print(f"| {label} | {n} | {c:.3f} | {a:.3f} |" if n else f"| {label} | 0 | – | – |")
    brier = float(np.mean((p - y) ** 2))
    print(f"expected calibration error {ece:.3f}, Brier score {brier:.3f}")


GENUINE = [  # translation pairs of ../shared/sources (README), JA first
    ("ja_mofa_kaiken_20240723", "en_mofa_kaiken_20240723"),
    ("ja_mofa_nss_statement_20221216", "en_mofa_nss_statement_20221216"),
    ("ja_mofa_fm_meeting_20240112", "en_mofa_fm_meeting_20240112"),
    ("ja_2p2_20110621_joint_statement", "en_worldjpn_2p2_20110621_joint_statement"),
    ("ja_worldjpn_2p2_20240728_joint_statement", "en_2p2_20240728_joint_statement_lead"),
    ("ja_nds_2022_toc", "en_worldjpn_nds_2022_toc"),
    ("ja_worldjpn_nss_2022", "en_worldjpn_nss_2022"),
    ("ja_mod_2p2_jpc_20230111_summary", "en_dod_2p2_jpc_20230111"),
]
COMPARABLE = [  # readouts with no verbatim counterpart: reported, not used for the threshold
    ("ja_mofa_fm_meeting_20240728", "en_state_2p2_20240728_opening"),
    ("ja_mofa_fm_meeting_20230918", "en_state_fm_20230918_before_meeting"),
]


def documents(embedder) -> None:
    """Document confidence of genuine, comparable and unrelated pairs against the threshold."""
    from align.errors import LOW_CONFIDENCE

    ja = sorted({a for a, _ in GENUINE[:7]})
    en = sorted({b for _, b in GENUINE[:7]})
    unrelated = [(a, b) for a in ja for b in en if (a, b) not in GENUINE]
    groups = (("genuine", GENUINE), ("comparable", COMPARABLE), ("unrelated", unrelated))
    print(f"document confidence (warning below {LOW_CONFIDENCE})")
    for label, pairs in groups:
        values = []
        for a, b in pairs:
            event = documents_as_event(
                [SHARED / "sources" / f"{a}.txt", SHARED / "sources" / f"{b}.txt"]
            )
            src, tgt = choose_pairs(event)[0]
            value = align_documents(event, src, tgt, embedder).confidence
            values.append(value)
            flag = "LOW" if value < LOW_CONFIDENCE else "ok "
            print(f"  {label:10} {value:.3f} {flag} {a} | {b}")
        print(
            f"{label}: {len(values)} pairs, {min(values):.3f}-{max(values):.3f}, "
            f"{sum(v < LOW_CONFIDENCE for v in values)} called unrelated"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("fit", "report", "documents"))
    parser.add_argument("--split", choices=("fit", "report"), default="report")
    parser.add_argument("--sources", default="", help="e.g. bsd,bsd-unrelated: also their table")
    args = parser.parse_args()
    from align.embed import load_embedder

    embedder = load_embedder("use")
    if args.action == "documents":
        documents(embedder)
        return
    if args.action == "fit":
        model = fit(collect("fit", embedder))
        path = Path(confidence.__file__).with_name("calibration.json")
        path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}: coefficients {model['coefficients']}, {model['beads']} beads")
        confidence.load_calibration.cache_clear()
        args.split = "report"
    blocks = collect(args.split, embedder)
    print_reliability(blocks, args.split)
    wanted = {name for name in args.sources.split(",") if name}
    if wanted:
        print()
        print_reliability([b for b in blocks if b[2] in wanted], args.split)


if __name__ == "__main__":
    main()
