"""The aligner's figures on every benchmark, for the default and for each lever on its own.

    python scripts/bench_levers.py                    # default settings only
    python scripts/bench_levers.py --levers all       # the lever table
    python scripts/bench_levers.py --levers merge_margin=0.0,length_sigma=0.25+length_power=2
    python scripts/bench_levers.py --levers jmdict=0.1 --lexicon-coverage  # needs '.[lexicon]'

Columns (strict F1 unless said): synthetic EN-JA (20 documents, bench_align.py's benchmark),
NAIST-SIC dev interpretation EN→JA on the fit talks and on the report talks, the offline
translation (all talks), the shipped gold of corpora/events end to end (the pairs thresholds were
tuned on), and link F1 end to end on the held-out hand gold of tests/data/gold_text (untuned);
the last column is the row's time over the default row's (same process, embeddings cached).
`jmdict=W` is lexicon_weight=W with the JMdict lexicon (the extra `[lexicon]`: jamdict,
jamdict-data); `--lexicon-coverage` prints the share of Japanese content words JMdict glosses.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_interp import read_talks, score_talks, split

from align.aligners.evaluate import read_alignments, score_multiple
from align.aligners.goldtext import LinkScore, gold_links, read_units, score_links
from align.aligners.sentences import AlignerSettings
from align.aligners.synthetic import make_benchmark, read_pairs
from align.ingest.event import documents_as_event, load_event
from align.pipeline import align_documents, choose_pairs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXT_GOLD = {  # folder under tests/data/gold_text: (JA source file, EN file) in ../shared/sources
    "2p2_20240728_joint_statement": (
        "ja_worldjpn_2p2_20240728_joint_statement.txt",
        "en_2p2_20240728_joint_statement_lead.txt",
    ),
    "nds_2022_toc": ("ja_nds_2022_toc.txt", "en_worldjpn_nds_2022_toc.txt"),
}
LEVERS: dict[str, dict] = {}  # name -> AlignerSettings overrides; filled as levers are built


def synthetic(embedder, settings: dict) -> float:
    docs = make_benchmark(
        read_pairs(SHARED / "parallel" / "small_parallel_enja", "dev"),
        n_docs=20,
        doc_len=48,
        seed=13,
    )
    from align.aligners import align_sentences

    test = [
        [
            (b.src, b.tgt)
            for b in align_sentences(
                d.src, d.tgt, embedder, src_lang="ja", tgt_lang="en", **settings
            ).beads
        ]
        for d in docs
    ]
    return score_multiple([[(b.src, b.tgt) for b in d.gold] for d in docs], test)["f1_strict"]


def naist(embedder, settings: dict, part: str, column: str = "manual_si_tgt") -> float:
    talks = split(read_talks(column=column), part)
    return score_talks(talks, embedder, "en-ja", **settings)[0]["f1_strict"]


def shipped(embedder, settings: dict) -> tuple[float, float]:
    """Strict F1 and link F1 over the shipped gold, end to end through the pipeline."""
    gold_list, test_list, links = [], [], LinkScore()
    for folder in sorted((ROOT / "corpora" / "events").iterdir()):
        if not (folder / "event.yaml").is_file():
            continue
        event = load_event(folder)
        for ref in event.gold:
            for src, tgt in choose_pairs(event):
                if (src.id, tgt.id) != (ref.src, ref.tgt):
                    continue
                result = align_documents(event, src, tgt, embedder, AlignerSettings(**settings))
                gold = read_alignments(ref.path)
                test = [(b.src, b.tgt) for b in result.beads()]
                gold_list.append(gold)
                test_list.append(test)
                expected = gold_links(gold)
                predicted = gold_links(test)
                links = links + LinkScore(len(expected & predicted), len(predicted), len(expected))
    return score_multiple(gold_list, test_list)["f1_strict"], links.as_dict()["f1"]


def held_out(embedder, settings: dict) -> dict[str, float]:
    """Link F1 per held-out text gold, end to end (reader + pipeline)."""
    out = {}
    for name, (ja, en) in TEXT_GOLD.items():
        folder = ROOT / "tests" / "data" / "gold_text" / name
        event = documents_as_event([SHARED / "sources" / ja, SHARED / "sources" / en])
        src, tgt = choose_pairs(event)[0]
        result = align_documents(event, src, tgt, embedder, AlignerSettings(**settings))
        score = score_links(
            read_units(folder / "ja.txt"),
            read_units(folder / "en.txt"),
            read_alignments(folder / "gold.txt"),
            [s.text for s in src.sentences],
            [s.text for s in tgt.sentences],
            [(b.src, b.tgt) for b in result.beads()],
        )
        out[name] = score.as_dict()["f1"]
    return out


def row(embedder, settings: dict) -> dict[str, float]:
    """All columns for one setting; `kinds=false` reads every line as speech, `islands=false`
    never treats a pair as comparable (the two reading-side levers, not aligner settings)."""
    settings = dict(settings)
    if "jmdict" in settings:
        settings["lexicon_weight"] = settings.pop("jmdict")
    kinds, islands = settings.pop("kinds", True), settings.pop("islands", True)
    from align.aligners import islands as island_module
    from align.ingest import turns

    saved = (turns.line_kind, island_module.COMPARABLE_BELOW)
    if not kinds:
        turns.line_kind = lambda *args, **kwargs: "speech"
    if not islands:
        island_module.COMPARABLE_BELOW = 0.0
    started = time.perf_counter()
    try:
        return {**_row(embedder, settings), "seconds": time.perf_counter() - started}
    finally:
        turns.line_kind, island_module.COMPARABLE_BELOW = saved


def _row(embedder, settings: dict) -> dict[str, float]:
    strict, link = shipped(embedder, settings)
    return {
        "synthetic": synthetic(embedder, settings),
        "naist_fit": naist(embedder, settings, "fit"),
        "naist_report": naist(embedder, settings, "report"),
        "offline": naist(embedder, settings, "all", "offline_tgt"),
        "shipped_strict": strict,
        "shipped_link": link,
        **{f"heldout_{k}": v for k, v in held_out(embedder, settings).items()},
    }


def parse_levers(text: str) -> dict[str, dict]:
    if text == "none":
        return {}
    if text == "all":
        return LEVERS
    out = {}
    for part in text.split(","):  # "a=1+b=2" sets two keys in one lever
        out[part] = {k: _value(v) for k, v in (item.split("=") for item in part.split("+"))}
    return out


def _value(text: str):
    if text in ("true", "false"):
        return text == "true"
    if text == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text  # a word: method=twostep


def lexicon_coverage() -> None:
    """Share of Japanese content words JMdict glosses, on the shipped and the held-out texts."""
    from align.aligners.lexicon import load_lexicon
    from align.scoring.lexical import content_words

    lexicon = load_lexicon()
    texts = {
        "shipped": sorted((ROOT / "corpora" / "events").glob("*/ja_*.txt")),
        "held-out": [SHARED / "sources" / ja for ja, _ in TEXT_GOLD.values()],
    }
    for name, paths in texts.items():
        lemmas = [w.lemma for p in paths for w in content_words(p.read_text(encoding="utf-8"))]
        whole = lexicon.covered(lemmas)
        print(f"JMdict coverage {name}: {whole:.3f} of {len(lemmas)} content words")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levers", default="none", help="'all', 'none' or key=value,…")
    parser.add_argument("--lexicon-coverage", action="store_true", help="JMdict coverage")
    args = parser.parse_args()
    from align.embed import load_embedder

    embedder = load_embedder("use")
    row(embedder, {})  # warm the embedding cache, so that timings compare searches
    rows = {"default": row(embedder, {})}
    for name, overrides in parse_levers(args.levers).items():
        rows[name] = row(embedder, overrides)
    for values in rows.values():
        values["seconds"] /= rows["default"]["seconds"]
    keys = list(rows["default"])
    print(f"{'settings':34} " + " ".join(f"{k[:14]:>14}" for k in keys))
    for name, values in rows.items():
        print(f"{name:34} " + " ".join(f"{values[k]:14.3f}" for k in keys))
    if args.lexicon_coverage:
        lexicon_coverage()


if __name__ == "__main__":
    main()
