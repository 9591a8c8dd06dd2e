"""Where each concept's preferred terms occur in ../shared/sources: a verification table.

For every concept, lists the source files whose text holds its preferred Japanese term and
its preferred English term (found with the toolkit's own matcher, so folds apply). Prints a
Markdown table (the one in corpora/termbase/SOURCES.md) and a count of verified concepts.

Usage: python scripts/eval_terms_sources.py [--termbase TBX]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"


def body(path: Path) -> str:
    """The text after the five-line header."""
    return "\n".join(path.read_text(encoding="utf-8").splitlines()[5:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--termbase", default=None)
    args = parser.parse_args()
    if not SOURCES.is_dir():
        print(f"skip: {SOURCES} not found", file=sys.stderr)
        return 0
    from align.terms import load_termbase
    from align.terms.matcher import Matcher

    termbase = load_termbase(args.termbase)
    matcher = Matcher(termbase)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)  # (concept, lang) -> files
    for path in sorted(SOURCES.glob("*.txt")):
        lang = path.name[:2]
        for match in matcher.find(body(path), lang):
            for entry in match.entries:
                if entry.term.status == "preferred":
                    seen[(entry.concept.id, lang)].add(path.stem)
    print("| concept | preferred EN | found in (EN) | found in (JA) |")
    print("|---|---|---|---|")
    verified = 0
    for concept in termbase.concepts:
        en_files = sorted(seen[(concept.id, "en")])
        ja_files = sorted(seen[(concept.id, "ja")])
        verified += bool(en_files)
        print(f"| {concept.id} | {concept.preferred('en').text} | "
              f"{', '.join(en_files) or '-'} | {', '.join(ja_files) or '-'} |")  # fmt: skip
    print(f"\n{verified} of {len(termbase.concepts)} concepts: preferred English found in "
          f"shared/sources")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
