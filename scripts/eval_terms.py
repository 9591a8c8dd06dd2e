"""Evaluate the term checks against what must hold (issue 5), without the aligner.

1. False flags on official translations: the JA/EN MOFA/MOD pairs in ../shared/sources are
   aligned at paragraph level here (the pairs are paragraph-parallel; the mapping of lines is
   listed below, checked by hand), every flag on them counts as false, and the rate is
   flags / term occurrences (JA + EN matches). The last, truncated paragraph of an excerpt is
   left out, because the two excerpts are cut at different points.
   1b. The same count on the hand-made sentence-level gold alignments of corpora/events.
2. The reference transcript's known slips are flagged by the English-only check.
3. Every planted drift of corpora/drift/planted.yaml is found with its concept and date.

Usage: python scripts/eval_terms.py [--termbase TBX] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = SHARED / "sources"
SEED = SHARED / "seed" / "2plus2-2024-07-28-opening.en.txt"

# (ja file, en file, [(ja lines, en lines)]): 1-based numbers of the non-empty body lines.
PAIRS = [
    (
        "ja_mofa_kaiken_20240723.txt",
        "en_mofa_kaiken_20240723.txt",
        [((i,), (i + (0 if i <= 3 else 1),)) for i in range(1, 13)],  # EN line 4 is a link
    ),
    (
        "ja_mofa_nss_statement_20221216.txt",
        "en_mofa_nss_statement_20221216.txt",
        [((1,), (1,)), ((2,), (4,))] + [((i,), (i + 2,)) for i in range(3, 8)],
    ),
    (
        "ja_2p2_20110621_joint_statement.txt",
        "en_worldjpn_2p2_20110621_joint_statement.txt",
        [((1, 4, 5, 6), (4,)), ((2,), (6,))] + [((i,), (i + 4,)) for i in range(7, 14)],
    ),
    (
        "ja_nds_2022_toc.txt",
        "en_worldjpn_nds_2022_toc.txt",  # JA line 8 '0 総論' is the blog's addition
        [((i,), (i + 7,)) for i in range(1, 8)] + [((i,), (i + 6,)) for i in range(9, 31)],
    ),
]


def body_lines(path: Path) -> list[str]:
    """Non-empty lines after the five-line SOURCE/TITLE/DATE/LANG/NOTE header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines[5:] if line.strip()]


def paragraph_pairs(ja_file: str, en_file: str, mapping: list) -> list[tuple[str, str]]:
    ja, en = body_lines(SOURCES / ja_file), body_lines(SOURCES / en_file)
    pick = lambda lines, numbers, sep: sep.join(lines[n - 1] for n in numbers)  # noqa: E731
    return [(pick(ja, j, ""), pick(en, e, " ")) for j, e in mapping]


def eval_pairs(matcher, verbose: bool) -> tuple[int, int]:
    from align.terms.check import check_pair

    occurrences = flags_total = 0
    for ja_file, en_file, mapping in PAIRS:
        pairs = paragraph_pairs(ja_file, en_file, mapping)
        n_occ = n_flags = 0
        for ja, en in pairs:
            n_occ += len(matcher.find(ja, "ja")) + len(matcher.find(en, "en"))
            flags = check_pair(matcher, ja, en)
            n_flags += len(flags)
            for flag in flags if verbose else []:
                print(f"    FLAG {flag.kind} {flag.concept_id}: {flag.reason}")
        print(f"  {ja_file:42s} {len(pairs):3d} paragraphs {n_occ:4d} terms {n_flags:3d} flags")
        occurrences += n_occ
        flags_total += n_flags
    return occurrences, flags_total


def gold_pairs(event_dir: Path) -> list[tuple[str, str]]:
    """Sentence-level (JA, EN) segment pairs of an event's hand-made gold alignments.

    Gold files run from the original to the translation, whichever language that is. The
    last bead is left out when a document is an excerpt: the two are cut at different points.
    """
    from align.ingest.event import load_event

    event = load_event(event_dir)
    pairs = []
    for gold in event.gold:
        src, tgt = event.document(gold.src), event.document(gold.tgt)
        beads = []
        for line in gold.path.read_text(encoding="utf-8").splitlines():
            left, right = (part.strip("[] ") for part in line.split(":"))
            ids = [[int(i) for i in side.split(",") if i.strip()] for side in (left, right)]
            texts = [
                (doc.language, [doc.sentences[i].text for i in side])
                for doc, side in zip((src, tgt), ids, strict=True)
            ]
            by_lang = {lang: sentences for lang, sentences in texts}
            beads.append(("".join(by_lang.get("ja", [])), " ".join(by_lang.get("en", []))))
        excerpt = any("excerpt" in (doc.note or "").lower() for doc in (src, tgt))
        pairs += beads[:-1] if excerpt else beads
    return pairs


def eval_gold(matcher, verbose: bool) -> tuple[int, int]:
    from align.terms.check import check_pair

    occurrences = flags_total = 0
    for event_dir in sorted((ROOT / "corpora" / "events").glob("*/gold")):
        pairs = gold_pairs(event_dir.parent)
        n_occ = sum(len(matcher.find(ja, "ja")) + len(matcher.find(en, "en")) for ja, en in pairs)
        flags = [f for ja, en in pairs for f in check_pair(matcher, ja, en)]
        for flag in flags if verbose else []:
            print(f"    FLAG {flag.kind} {flag.concept_id}: {flag.reason}")
        print(f"  {event_dir.parent.name:42s} {len(pairs):3d} beads {n_occ:4d} terms "
              f"{len(flags):3d} flags")  # fmt: skip
        occurrences += n_occ
        flags_total += len(flags)
    return occurrences, flags_total


def eval_seed(matcher) -> bool:
    from align.terms.document import check_document, read_plain_document

    flags = check_document(matcher, read_plain_document(SEED))
    for flag in flags:
        print(f"  {flag.severity:6s} {flag.concept_id}: {flag.found!r} at {flag.en_span}")
    return any(
        f.concept_id == "stand-off-defense-capabilities"
        and f.found == "standard defense capability"
        for f in flags
    )


def eval_drift(termbase) -> tuple[int, int]:
    import yaml

    from align.terms.drift import drift_tables, read_runs

    planted = yaml.safe_load((ROOT / "corpora/drift/planted.yaml").read_text(encoding="utf-8"))
    runs = sorted(p for p in (ROOT / "corpora/drift").iterdir() if p.is_dir())
    changes = drift_tables(termbase, read_runs(runs))["changes"]
    found = 0
    for item in planted["planted"]:
        hit = changes[
            (changes.concept_id == item["concept"])
            & (changes.date == str(item["date"]))
            & (changes.kind == item["kind"])
            & (changes.rendering == item["rendering"])
        ]
        found += not hit.empty
        print(f"  {'found' if not hit.empty else 'MISSED':6s} {item['concept']} {item['date']} "
              f"{item['kind']} {item['rendering']!r}")  # fmt: skip
    return found, len(planted["planted"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--termbase", default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not SOURCES.is_dir():
        print(f"skip: {SOURCES} not found", file=sys.stderr)
        return 0
    from align.terms import load_termbase
    from align.terms.matcher import Matcher

    termbase = load_termbase(args.termbase)
    matcher = Matcher(termbase)
    print(f"termbase: {len(termbase.concepts)} concepts, {matcher.pattern_count} patterns")
    print("1. official translation pairs (paragraph-aligned)")
    occurrences, flags = eval_pairs(matcher, args.verbose)
    rate = flags / occurrences if occurrences else 0.0
    print(f"  false flags: {flags} / {occurrences} term occurrences = {rate:.2%} (target <= 2%)")
    print("1b. gold sentence alignments of corpora/events (JA original, official EN)")
    gold_occ, gold_flags = eval_gold(matcher, args.verbose)
    gold_rate = gold_flags / gold_occ if gold_occ else 0.0
    print(f"  false flags: {gold_flags} / {gold_occ} term occurrences = {gold_rate:.2%}")
    print("2. reference transcript, English-only check")
    seed_ok = eval_seed(matcher)
    print(f"  'standard defense capability' flagged: {seed_ok}")
    print("3. planted drift")
    found, total = eval_drift(termbase)
    print(f"  planted drifts found: {found} / {total}")
    return 0 if rate <= 0.02 and seed_ok and found == total else 1


if __name__ == "__main__":
    sys.exit(main())
