"""Term-check speed over 10,000 beads with the shipped termbase, against a regex baseline.

Beads are drawn round-robin from the drift corpus and the paragraph pairs of the official
translations (real Japanese and English), so texts repeat but nothing caches whole texts:
every bead is normalised (NFKC, folds, SudachiPy) and searched again.

Reports, all measured in this process:
  - full check (normalise + match both sides + compare): beads/s and term occurrences/s
  - search only, on pre-normalised keys: Aho-Corasick (ahocorasick_rs, leftmost-longest)
    against one compiled regex alternation of the same keys, longest first (the baseline)

Usage: python scripts/bench_terms.py [--beads 10000] [--repeat 3] [--concepts 80]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from align.rundir import iter_beads

ROOT = Path(__file__).resolve().parents[1]


def sample_pairs() -> list[tuple[str, str]]:
    """Real (JA, EN) segment pairs: drift corpus beads, plus official paragraph pairs."""
    pairs = []
    for path in sorted((ROOT / "corpora" / "drift").glob("*/alignment.jsonl")):
        pairs += [(bead.src_text, bead.tgt_text) for bead in iter_beads(path)]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import eval_terms

        if eval_terms.SOURCES.is_dir():
            for ja_file, en_file, mapping in eval_terms.PAIRS:
                pairs += eval_terms.paragraph_pairs(ja_file, en_file, mapping)
    finally:
        sys.path.pop(0)
    return pairs


def best_of(repeat: int, function, *args):
    """Fastest of `repeat` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def full_check(matcher, beads: list[tuple[str, str]]) -> int:
    from align.terms.check import flags_for
    from align.terms.pairing import pair_texts

    occurrences = 0
    for ja, en in beads:
        pairing = pair_texts(matcher, ja, en)
        flags_for(pairing)
        occurrences += len(pairing.ja_matches) + len(pairing.en_matches)
    return occurrences


def search_automaton(automata: dict, keys: list[tuple[str, str]]) -> int:
    return sum(len(automata[lang].find_matches_as_indexes(key)) for lang, key in keys)


def search_regex(patterns: dict, keys: list[tuple[str, str]]) -> int:
    return sum(sum(1 for _ in patterns[lang].finditer(key)) for lang, key in keys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--beads", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concepts", type=int, default=0, help="Use only the first N concepts.")
    args = parser.parse_args()
    from align.terms import load_termbase
    from align.terms.matcher import LANGUAGES, Matcher, build_patterns

    termbase = load_termbase()
    if args.concepts:
        termbase.concepts = termbase.concepts[: args.concepts]
    start = time.perf_counter()
    matcher = Matcher(termbase)
    compile_s = time.perf_counter() - start
    pairs = sample_pairs()
    beads = [pairs[i % len(pairs)] for i in range(args.beads)]
    matcher.find("抑止力", "ja")  # load SudachiPy outside the timed runs
    print(f"termbase: {len(termbase.concepts)} concepts, {matcher.pattern_count} patterns, "
          f"automata built in {compile_s * 1000:.0f} ms")  # fmt: skip
    print(f"beads: {len(beads)} ({len(pairs)} distinct real pairs, round-robin)")

    seconds, occurrences = best_of(args.repeat, full_check, matcher, beads)
    print(f"full check: {seconds:.2f} s = {len(beads) / seconds:,.0f} beads/s")
    print(f"  {occurrences / seconds:,.0f} term occurrences checked/s ({occurrences} in all)")
    concept_checks = len(termbase.concepts) * len(beads) / seconds
    print(f"  {concept_checks:,.0f} concept-bead checks/s (every concept against every bead)")

    keys = [(lang, matcher.keyed(text, lang).key)
            for ja, en in beads for lang, text in (("ja", ja), ("en", en))]  # fmt: skip
    automata = {lang: matcher._automata[lang] for lang in LANGUAGES}
    regexes = {
        lang: re.compile("|".join(map(re.escape, sorted(build_patterns(termbase, lang),
                                                         key=len, reverse=True))))
        for lang in LANGUAGES
    }  # fmt: skip
    ac_s, ac_n = best_of(args.repeat, search_automaton, automata, keys)
    re_s, re_n = best_of(args.repeat, search_regex, regexes, keys)
    print(f"search only: Aho-Corasick {ac_s * 1000:.0f} ms ({ac_n} matches), "
          f"regex alternation {re_s * 1000:.0f} ms ({re_n} matches)")  # fmt: skip
    print(f"  ratio: Aho-Corasick is {re_s / ac_s:.1f}x faster than the regex baseline")
    print(f"search share of the full check: {ac_s / seconds:.1%} (the rest is normalisation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
