"""Build a corpus of many small real events for batch benchmarks and examples.

    python scripts/make_batch_corpus.py --out /tmp/batch-corpus --events 240

Two kinds of events, all real text:
- windows of consecutive hand-checked beads of the official-translation pairs in
  corpora/events/*/gold (MOFA / worldjpn Japanese and English; Government of Japan terms of
  use, CC BY 4.0-compatible: the source and title are kept in event.yaml);
- runs of consecutive sentence pairs of ../shared/parallel/small_parallel_enja (Tanaka corpus,
  detokenised; CC BY 2.0 FR via Tatoeba), to reach the requested count.

Every event gets its own id and date (one every few days from 2015 on), a `manifest.csv`
listing all pairs is written beside the folders, and nothing is random: the same command
builds the same corpus.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GOLD_EVENTS = ROOT / "corpora" / "events"
TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"
START = dt.date(2015, 1, 5)


def gold_windows(window: int, stride: int) -> list[dict]:
    """Windows of `window` consecutive gold beads (both sides non-empty) of each gold pair."""
    from align.aligners.evaluate import read_alignments
    from align.ingest.event import load_event

    found = []
    for folder in sorted(GOLD_EVENTS.iterdir()):
        if not (folder / "event.yaml").is_file():
            continue
        event = load_event(folder)
        for gold in event.gold:
            src, tgt = event.document(gold.src), event.document(gold.tgt)
            beads = [(s, t) for s, t in read_alignments(gold.path) if s and t]
            for start in range(0, max(1, len(beads) - window + 1), stride):
                chunk = beads[start : start + window]
                found.append(
                    {
                        "name": f"{folder.name[11:]}-w{start:02d}",
                        "licence": event.licence,
                        "source": f"{src.source} | {tgt.source}",
                        "src_lang": src.language,
                        "tgt_lang": tgt.language,
                        "src": [_join(src, s) for s, _ in chunk],
                        "tgt": [_join(tgt, t) for _, t in chunk],
                    }
                )
    return found


def _join(document, indices) -> str:
    """The sentences of one bead side as one line."""
    sep = "" if document.language == "ja" else " "
    return sep.join(document.sentences[i].text for i in indices)


def _detok_en(line: str) -> str:
    line = re.sub(r" ([.,!?;:%)])", r"\1", line).replace("( ", "(")
    line = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", line)
    return line[:1].upper() + line[1:]


def tanaka_runs(count: int, size: int) -> list[dict]:
    """`count` runs of `size` consecutive train pairs, detokenised."""
    en = (TANAKA / "train19k.en").read_text(encoding="utf-8").splitlines()
    ja = (TANAKA / "train19k.ja").read_text(encoding="utf-8").splitlines()
    runs = []
    for index in range(count):
        start = index * size
        if start + size > len(en):
            break
        runs.append(
            {
                "name": f"tanaka-{start:05d}",
                "licence": "Tanaka corpus (public domain); Tatoeba: CC BY 2.0 FR",
                "source": "small_parallel_enja train19k",
                "src_lang": "ja",
                "tgt_lang": "en",
                "src": [s.replace(" ", "") for s in ja[start : start + size]],
                "tgt": [_detok_en(s) for s in en[start : start + size]],
            }
        )
    return runs


def write_event(out: Path, number: int, item: dict) -> tuple[str, Path, Path]:
    """One event folder (event.yaml + two documents); returns its id and files."""
    date = START + dt.timedelta(days=3 * number)
    event_id = f"{date.isoformat()}-{item['name']}"
    folder = out / event_id
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / f"{item['src_lang']}.txt"
    tgt = folder / f"{item['tgt_lang']}.txt"
    src.write_text("\n".join(item["src"]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(item["tgt"]) + "\n", encoding="utf-8")
    meta = {
        "date": date.isoformat(),
        "title": f"Batch benchmark event {number}: {item['name']}",
        "licence": item["licence"],
        "note": f"built by scripts/make_batch_corpus.py from {item['source']}",
        "documents": [
            {"file": src.name, "language": item["src_lang"], "kind": "original"},
            {"file": tgt.name, "language": item["tgt_lang"], "kind": "translation"},
        ],
    }
    (folder / "event.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return event_id, src, tgt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--events", type=int, default=240)
    parser.add_argument("--window", type=int, default=5, help="gold beads per official event")
    parser.add_argument("--size", type=int, default=12, help="sentence pairs per Tanaka event")
    args = parser.parse_args()
    items = gold_windows(args.window, stride=1)[: args.events]
    if len(items) < args.events:
        if not TANAKA.is_dir():
            raise SystemExit(f"need {TANAKA} for more than {len(items)} events")
        items += tanaka_runs(args.events - len(items), args.size)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, item in enumerate(items):
        event_id, src, tgt = write_event(args.out, number, item)
        rows.append({"event": event_id, "src": src.relative_to(args.out),
                     "tgt": tgt.relative_to(args.out)})  # fmt: skip
    with (args.out / "manifest.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["event", "src", "tgt"])
        writer.writeheader()
        writer.writerows(rows)
    official = sum(1 for item in items if not item["name"].startswith("tanaka"))
    print(f"{len(items)} events in {args.out} ({official} from official pairs, "
          f"{len(items) - official} from the Tanaka corpus)")  # fmt: skip


if __name__ == "__main__":
    main()
