"""Turn pairing when speaker ids disagree: BSD dialogues with their English labels corrupted.

    python scripts/bench_turns.py                 # both splits, every scenario
    python scripts/bench_turns.py --split fit     # bsd_transcripts.split("fit"), or --split report
    python scripts/bench_turns.py --grid          # mismatch penalty x content floor (fit split)

Each BSD dialogue (../shared/dialogue/bsd, see scripts/bsd_transcripts.py) with speaker labels
the readers find on both sides is one transcript pair whose gold pairs turn k with turn k. The
English labels are then corrupted as real transcripts are: `variant` (one speaker's name
respelt, as romanisations differ: KOSUGI → KOHSUGI), `title` (one speaker labelled by a role,
THE CLIENT), `swap` (one turn labelled with the other speaker), `unrelated` (a turn of another
dialogue inserted under the neighbouring speaker's label: it must stay unmatched) and
`replaced` (one English turn's words replaced by those of another dialogue, four donors each,
under the right label: that turn pair must not be linked; the last column counts how often it
was).
Prints turn-link precision, recall and F1 per scenario, micro-averaged over dialogues.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bsd_transcripts as bsd

import align.pipeline
from align.aligners.turns import TurnParams
from align.ingest import parse_text
from align.pipeline import _embed_documents, _turn_pairs

SCENARIOS = ("clean", "variant", "title", "swap", "unrelated", "replaced")
_LABEL = re.compile(r"^([A-Z][A-Z .'-]*?):", re.M)


def _respelt(name: str) -> str:
    """A romanisation variant of a name: an h after the first vowel (ONO → OHNO)."""
    match = re.search(r"[AEIOU]", name.split()[-1])
    last = name.split()[-1]
    if not match:
        return name + "H"
    k = match.end()
    return " ".join(name.split()[:-1] + [last[:k] + "H" + last[k:]])


def corrupt(en: str, scenario: str, other: str) -> str:
    """The English transcript with its labels corrupted as `scenario` says."""
    blocks = en.strip("\n").split("\n\n")
    labels = [_LABEL.match(b).group(1) for b in blocks]
    first = labels[0]
    if scenario == "variant":
        blocks = [re.sub(rf"^{re.escape(first)}:", f"{_respelt(first)}:", b) for b in blocks]
    elif scenario == "title":
        blocks = [re.sub(rf"^{re.escape(first)}:", "THE CLIENT:", b) for b in blocks]
    elif scenario == "swap":
        k = len(blocks) // 2
        others = [lab for lab in labels if lab != labels[k]]
        if others:
            blocks[k] = re.sub(r"^[^:]+:", f"{others[0]}:", blocks[k])
    elif scenario == "unrelated":
        k = len(blocks) // 2
        body = other.strip("\n").split("\n\n")[-1].split(":", 1)[1]
        blocks.insert(k, f"{labels[k - 1]}:{body}")
    elif scenario == "replaced":
        k = len(blocks) // 2
        body = max(other.strip("\n").split("\n\n"), key=len).split(":", 1)[1]
        blocks[k] = f"{labels[k]}:{body}"
    return "\n\n".join(blocks) + "\n"


def gold_links(n: int, scenario: str) -> set[tuple[int, int]]:
    if scenario == "replaced":
        return {(k, k) for k in range(n) if k != n // 2}
    if scenario != "unrelated":
        return {(k, k) for k in range(n)}
    k = n // 2
    return {(i, i if i < k else i + 1) for i in range(n)}


def score(indices: list[int], scenario: str, embedder) -> tuple[int, int, int, int, int]:
    """Correct, predicted and gold turn links over the dialogues; for `replaced`, also how
    often the replaced turn was linked to its original, of how many (four donors each)."""
    hits = predicted = expected = wrong = tried = 0
    donors = (5, 13, 29, 41) if scenario == "replaced" else (7,)
    for index in indices:
        for donor in donors:
            d = bsd.dialogue(index)
            other = bsd.dialogue((index + donor) % bsd.count())
            ja = parse_text(d.ja, language="ja", doc_id="ja")
            en = parse_text(corrupt(d.en, scenario, other.en), language="en", doc_id="en")
            vectors = _embed_documents(embedder, ja, en)
            ja_turn = {t.index: k for k, t in enumerate(ja.speech_turns())}
            en_turn = {t.index: k for k, t in enumerate(en.speech_turns())}
            links = {
                (ja_turn[i], en_turn[j])
                for p in _turn_pairs(ja, en, vectors, [])
                for i in p.src
                for j in p.tgt
                if i in ja_turn and j in en_turn
            }
            gold = gold_links(len(ja_turn), scenario)
            hits, predicted, expected = (
                hits + len(links & gold), predicted + len(links), expected + len(gold)
            )  # fmt: skip
            middle = len(ja_turn) // 2
            wrong += (middle, middle) in links and scenario == "replaced"
            tried += 1
    return hits, predicted, expected, wrong, tried


def f1_row(indices: list[int], embedder) -> tuple[list[float], str]:
    """Turn-link F1 per scenario, and the replaced turns linked (count of tries)."""
    out, replaced = [], ""
    for scenario in SCENARIOS:
        h, p, g, wrong, tried = score(indices, scenario, embedder)
        prec, rec = h / p if p else 0.0, h / g if g else 0.0
        out.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        if scenario == "replaced":
            replaced = f"{wrong}/{tried}"
    return out, replaced


def use_params(**changes: float | bool) -> None:
    """The pipeline's turn DP with these settings (the defaults otherwise)."""
    align.pipeline.TurnParams = functools.partial(TurnParams, **changes)


SETTINGS = {  # name: TurnParams changes; "ids as a gate" is the rule before content could override
    "ids as a gate (before)": {"mismatch_penalty": 1e9, "content_floor": -1.0},
    "default": {},
    "content floor 0.1": {"content_floor": 0.1},
    "content floor 0.3": {"content_floor": 0.3},
    "different ids without mutual best, penalty 0.1": {
        "mutual_only": False,
        "mismatch_penalty": 0.1,
    },
    "different ids without mutual best, penalty 0.25": {
        "mutual_only": False,
        "mismatch_penalty": 0.25,
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("fit", "report", "both"), default="both")
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    if not bsd.count():
        sys.exit("../shared/dialogue/bsd is absent")
    from align.embed import load_embedder

    embedder = load_embedder("use")
    parts = {"fit": bsd.split("fit"), "report": bsd.split("report")}
    chosen = ("fit", "report") if args.split == "both" else (args.split,)
    print(
        "| setting | split | dialogues | " + " | ".join(SCENARIOS) + " | mean | replaced linked |"
    )
    print("|---|---|---:|" + "---:|" * (len(SCENARIOS) + 2))
    settings = SETTINGS
    if args.grid:
        chosen = ("fit",)
        settings = {
            f"mismatch {m}, floor {f}": {"mismatch_penalty": m, "content_floor": f}
            for m in (0.0, 0.05, 0.1, 0.2) for f in (-1.0, 0.1, 0.2, 0.25, 0.3)
        }  # fmt: skip
    for name, changes in settings.items():
        use_params(**changes)
        for part in chosen:
            row, replaced = f1_row(parts[part], embedder)
            cells = " | ".join(f"{v:.3f}" for v in row)
            mean = sum(row) / len(row)
            print(f"| {name} | {part} | {len(parts[part])} | {cells} | {mean:.3f} | {replaced} |")


if __name__ == "__main__":
    main()
