"""BSD business dialogues as speaker-labelled transcripts with their 1-1 gold.

    python scripts/bsd_transcripts.py 60 OUT_DIR   # writes ja.txt, en.txt and gold units

Each run of one speaker's sentences is one turn (`小杉さん：…` in Japanese, `MR. KOSUGI: …` in
English); every sentence pair is a gold 1-1 bead. ../shared/dialogue/bsd is CC BY-NC-SA: tests
and benchmarks only, never shipped.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BSD = Path(__file__).resolve().parents[1].parent / "shared" / "dialogue" / "bsd" / "dev.json"


@dataclass
class Dialogue:
    """One dialogue as two transcripts plus its sentence pairs (Japanese, English)."""

    id: str
    original_language: str
    ja: str
    en: str
    pairs: list[tuple[str, str]]


@cache
def _data() -> list[dict]:
    return json.loads(BSD.read_text(encoding="utf-8"))


def count() -> int:
    return len(_data()) if BSD.is_file() else 0


def _en_label(speaker: str) -> str:
    return speaker.strip().upper()


def dialogue(index: int) -> Dialogue:
    """Dialogue `index` of the dev split as transcripts, one turn per run of one speaker."""
    d = _data()[index]
    rows = [r for r in d["conversation"] if r["ja_sentence"].strip() and r["en_sentence"].strip()]
    ja_lines: list[str] = []
    en_lines: list[str] = []
    last = None
    for row in rows:
        sentence_ja, sentence_en = row["ja_sentence"].strip(), row["en_sentence"].strip()
        if row["en_speaker"] == last:
            ja_lines[-1] += sentence_ja
            en_lines[-1] += " " + sentence_en
        else:
            ja_lines.append(f"{row['ja_speaker'].strip()}：{sentence_ja}")
            en_lines.append(f"{_en_label(row['en_speaker'])}: {sentence_en}")
            last = row["en_speaker"]
    pairs = [(r["ja_sentence"].strip(), r["en_sentence"].strip()) for r in rows]
    return Dialogue(d["id"], d["original_language"], "\n\n".join(ja_lines) + "\n",
                    "\n\n".join(en_lines) + "\n", pairs)  # fmt: skip


def usable(index: int) -> bool:
    """Dialogues whose labels the readers find on both sides, one turn per label line."""
    from align.ingest import parse_text

    d = dialogue(index)
    ja, en = parse_text(d.ja, language="ja"), parse_text(d.en, language="en")
    count = d.en.count("\n\n") + 1
    return all(
        len(doc.speech_turns()) == count and all(t.speaker for t in doc.speech_turns())
        for doc in (ja, en)
    )


READ_BEFORE = (60, 61)  # dialogues read while building the reader: always in the fit split


@cache
def split(part: str) -> list[int]:
    """By dialogue, never by sentence: usable dialogues alternately fit / report."""
    indices = [k for k in range(count()) if usable(k)]
    rest = [k for k in indices if k not in READ_BEFORE]
    fit = sorted(rest[0::2] + [k for k in READ_BEFORE if k in indices])
    return fit if part == "fit" else [k for k in rest if k not in fit]


def main() -> None:
    index, out = int(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    d = dialogue(index)
    (out / f"ja_bsd_{d.id}.txt").write_text(d.ja, encoding="utf-8")
    (out / f"en_bsd_{d.id}.txt").write_text(d.en, encoding="utf-8")
    (out / "ja_units.txt").write_text("".join(a + "\n" for a, _ in d.pairs), encoding="utf-8")
    (out / "en_units.txt").write_text("".join(b + "\n" for _, b in d.pairs), encoding="utf-8")
    gold = "".join(f"[{k}]:[{k}]\n" for k in range(len(d.pairs)))
    (out / "gold.txt").write_text(gold, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
