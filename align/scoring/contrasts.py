"""Real contrasts for the graded score: NAIST-SIC interpretation against offline translation.

Each NAIST-SIC row holds one English sentence, its offline (subtitle) translation and the
simultaneous interpretation of it. Both Japanese renderings are scored against the English
(Japanese as the source, as everywhere in scoring), each calibrated in its own document (the
talk's interpretation, or its translation). A graded score should rank the interpretation as
the more divergent rendering. The data stays in ../shared (never copied into the package).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from align.scoring.segment import Segment

NAIST = (
    Path(__file__).resolve().parents[2].parent / "shared" / "interpretation" / "naist-sic-aligned"
)
INTERPRETATION, TRANSLATION = "interpretation", "translation"


@dataclass(frozen=True)
class Contrast:
    """One English sentence with two Japanese renderings (and the intra file's weak label)."""

    talk: str
    row: int
    english: str
    interpretation: str
    translation: str
    weak: str | None  # intra file: Y = judged a rendering of the sentence, N = not; None: true file

    def segments(self) -> tuple[Segment, Segment]:
        key = f"{self.talk}#{self.row}"
        return (
            Segment(self.interpretation, self.english, group=f"{self.talk}/{INTERPRETATION}",
                    origin=key),
            Segment(self.translation, self.english, group=f"{self.talk}/{TRANSLATION}",
                    origin=key),
        )  # fmt: skip


def load_contrasts(name: str = "true", root: Path = NAIST) -> list[Contrast]:
    """Rows of dev.true.tsv (hand-aligned) or dev.intra.tsv (automatic, with Y/N labels)."""
    path = root / f"dev.{name}.tsv"
    column = "manual_si_tgt" if name == "true" else "si_tgt"
    out = []
    with path.open(encoding="utf-8", newline="") as stream:
        for index, row in enumerate(csv.DictReader(stream, delimiter="\t")):
            interp, offline = row[column].strip(), row["offline_tgt"].strip()
            if interp and offline and row["eng_src"].strip():
                out.append(Contrast(row["name"], index, row["eng_src"].strip(), interp, offline,
                                    row.get("auto_intra_label")))  # fmt: skip
    return out
