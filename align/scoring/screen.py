"""The two-stage screen: cheap bead-level signals clear most faithful beads before the costly ones.

Clause coverage (coverage.py: clauses, windows, leave-one-out) and word coverage (lexical.py:
every content word against every English word and word pair) embed about six strings per
sentence, where alignment embeds one. Most beads of a faithful rendering do not need them: a
bead whose cosine stands well above its document's random pairs, whose length is ordinary,
which has no unmatched number, no name the English lacks and no termbase flag, and whose two
sides split into as many clauses (clauses.py, no embedding) is cleared by the cheap stage. A
cleared bead gets, for the clause and word features, the median values of the untouched
official beads of the fit half (`neutral`, measured without the screen), i.e. "as well covered
as a typical faithful bead"; its length features stay its own, and it gets no partial
omission or addition label (composite.py).

The thresholds are chosen on the fit half of tests/data/divergence so that the omission and
addition labels found there without the screen are still found with it
(`python scripts/fit_divergence.py screen`); they live in weights.json under `screen` and
their digest is part of the scoring signature.

A second gate sits between clause and word coverage: word coverage embeds every content word
and every English word and word pair (about half of what the costly stage embeds), and a bead
whose clauses are all matched well (`WordGate`: the worst clause's calibrated match and
absence, and an ordinary length) gets the neutral word features instead. Its thresholds are
chosen the same way, on the same fit half, after the first gate.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

# Features that only the costly stage measures (a cleared bead gets `neutral` values for them).
DEEP_FEATURES = (
    "om_min_z", "om_max_gain", "om_absence", "om_anchor_absence", "lex_run", "lex_rest",
    "ad_min_z", "ad_max_gain", "ad_absence",
)  # fmt: skip


# Word-coverage features a bead gets when the word gate skips its word coverage.
WORD_FEATURES = ("lex_run", "lex_rest")


@dataclass(frozen=True)
class WordGate:
    """When clause coverage alone clears a deep bead of its word coverage (lexical.py)."""

    max_om_absence: float  # the least rendered JA clause's absence (coverage.py) at most this
    min_om_min_z: float  # and its calibrated match at least this
    min_len_z: float  # and the English not much shorter than the Japanese warrants

    def skips(self, features: dict[str, float]) -> bool:
        return (
            features["om_absence"] <= self.max_om_absence
            and features["om_min_z"] >= self.min_om_min_z
            and features["len_z"] >= self.min_len_z
        )


@dataclass(frozen=True)
class Screen:
    """Thresholds of the cheap stage and the neutral deep-feature values of a cleared bead."""

    min_sim_z: float
    min_sim_rel: float
    min_len_z: float
    max_len_z: float
    neutral: dict[str, float]
    words: WordGate | None = None  # None: every deep JA-EN bead gets word coverage

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Screen:
        words = data.get("words")
        return cls(
            float(data["min_sim_z"]), float(data["min_sim_rel"]), float(data["min_len_z"]),
            float(data["max_len_z"]), {k: float(v) for k, v in data["neutral"].items()},
            WordGate(**{k: float(v) for k, v in words.items()}) if words else None,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        out = {
            "min_sim_z": self.min_sim_z, "min_sim_rel": self.min_sim_rel,
            "min_len_z": self.min_len_z, "max_len_z": self.max_len_z, "neutral": self.neutral,
        }  # fmt: skip
        if self.words is not None:
            out["words"] = asdict(self.words)
        return out

    def skips_words(self, features: dict[str, float]) -> bool:
        """Whether a deep bead's clause coverage clears it of word coverage."""
        return self.words is not None and self.words.skips(features)

    @property
    def signature(self) -> str:
        """A short digest of the thresholds and neutral values (the scoring signature's)."""
        text = json.dumps(self.to_dict(), sort_keys=True)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]

    def why_deep(
        self, sim_z: float | None, sim_rel: float | None, len_z: float | None, flags: list[str]
    ) -> list[str]:
        """Why the bead needs the costly stage (empty: the cheap stage clears it)."""
        reasons = list(flags)
        if sim_z is None or sim_z < self.min_sim_z:
            reasons.append("similarity z")
        if sim_rel is None or sim_rel < self.min_sim_rel:
            reasons.append("similarity rel")
        if len_z is None or not self.min_len_z <= len_z <= self.max_len_z:
            reasons.append("length z")
        return reasons
