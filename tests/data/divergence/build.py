"""Build beads.jsonl: official-translation beads from the corpora's gold alignments, plus edits.

    python tests/data/divergence/build.py          # rewrites tests/data/divergence/beads.jsonl

Every bead of the four gold-aligned JA/EN official pairs in corpora/events (minus `exclude`) is
written untouched with its hand-checked natural labels; every entry of edits.yaml is written
again with the English changed and the edit's labels added. Split: base beads in (event, line)
order alternate fit/test, and an edited bead follows its base, so no sentence is in both.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EVENTS = [
    "2011-06-21-2plus2-joint-statement",
    "2022-12-16-nss-statement",
    "2024-01-12-fm-meeting",
    "2024-07-23-mofa-press-conference",
]


def base_beads() -> dict[str, dict]:
    """Every gold bead of the four events, Japanese as the source, keyed event:line."""
    sys.path.insert(0, str(ROOT))
    from align.aligners.evaluate import read_alignments
    from align.ingest.event import load_event

    beads = {}
    for name in EVENTS:
        event = load_event(ROOT / "corpora" / "events" / name)
        for gold in event.gold:
            src, tgt = event.document(gold.src), event.document(gold.tgt)
            pairs = read_alignments(gold.path)
            if src.language != "ja":  # 2011: the English is the original; JA is scored as source
                src, tgt = tgt, src
                pairs = [(t, s) for s, t in pairs]
            for line, (s_idx, t_idx) in enumerate(pairs):
                beads[f"{name}:{line}"] = {
                    "event": name,
                    "date": event.date,
                    "src_doc": src.id,
                    "tgt_doc": tgt.id,
                    "bead": f"{len(s_idx)}-{len(t_idx)}",
                    "src_text": "".join(src.sentences[i].text for i in s_idx),
                    "tgt_text": " ".join(tgt.sentences[j].text for j in t_idx),
                }
    return beads


def build() -> list[dict]:
    """The labelled set: untouched beads, then edited ones, each with labels and split."""
    spec = yaml.safe_load((HERE / "edits.yaml").read_text(encoding="utf-8"))
    beads = base_beads()
    keep = [k for k in beads if k not in set(spec["exclude"])]
    split = {key: ("fit", "test")[index % 2] for index, key in enumerate(keep)}
    natural = spec.get("natural") or {}
    items = []
    for key in keep:
        info = natural.get(key, {})
        items.append(_item(key, beads[key], split[key], info, labels=info.get("labels", [])))
    for number, edit in enumerate(spec["edits"]):
        key = edit["base"]
        if key not in split:
            raise SystemExit(f"edit {number}: unknown or excluded base bead {key}")
        old, new = edit["replace"]
        text = beads[key]["tgt_text"]
        if text.count(old) != 1:
            raise SystemExit(f"edit {number} ({key}): {old!r} occurs {text.count(old)} times")
        info = natural.get(key, {})
        labels = sorted(set(info.get("labels", [])) | set(edit["labels"]))
        bead = {**beads[key], "tgt_text": text.replace(old, new)}
        item = _item(key, bead, split[key], info, labels=labels)
        item["edit"] = {"replace": [old, new], "note": edit.get("note", "")}
        items.append(item)
    return items


def _item(key: str, bead: dict, split: str, info: dict, labels: list[str]) -> dict:
    digest = hashlib.sha1(f"{key}|{bead['tgt_text']}".encode()).hexdigest()[:10]
    labels = sorted(set(labels))
    if bead["bead"].endswith("-0"):
        labels = sorted(set(labels) | {"omission"})
    if bead["bead"].startswith("0-"):
        labels = sorted(set(labels) | {"addition"})
    return {
        "id": f"{key}:{digest}",
        "base": key,
        "split": split,
        **bead,
        "labels": labels,
        "doubtful": bool(info.get("doubtful", False)),
        "note": info.get("note", ""),
    }


def main() -> None:
    items = build()
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    (HERE / "beads.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    counts: dict[str, dict[str, int]] = {}
    for item in items:
        for label in item["labels"] or ["none"]:
            counts.setdefault(label, {"fit": 0, "test": 0})[item["split"]] += 1
    print(f"{len(items)} beads written to {HERE / 'beads.jsonl'}")
    for label, by_split in sorted(counts.items()):
        print(f"  {label:14s} fit {by_split['fit']:3d}  test {by_split['test']:3d}")


if __name__ == "__main__":
    main()
