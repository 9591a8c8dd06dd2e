"""Length ratio as a z-score against shipped English/Japanese character-ratio statistics.

x = ln(EN chars / JA chars) has a mean that falls with the Japanese length (short lines are
padded by articles and function words) and a spread that shrinks with it. The model:
mean(n) = a + b ln n, var(n) = s0^2 + s1^2 / n, with n the Japanese character count. The slope
and the variance shape come from the 19k detokenised Tanaka pairs in ../shared; the intercept
and a spread factor are refitted on the official MOFA translation beads (their diplomatic
register runs about 40% longer than Tanaka's everyday sentences). See scripts/fit_divergence.py
(`length`) and the README of tests/data/divergence.

Which register a document is scored in is read from its Japanese alone, never from the
rendering: its share of kanji among content characters. Diplomatic Japanese is dense with kanji
compounds (安全保障環境 "security environment"); everyday and conversational Japanese spells
far more in kana, so the same meaning takes more characters and the official model would call
every faithful dialogue turn "compressed". Two registers ship: "official" (above) and
"everyday", the Tanaka shape with intercept and spread refitted on professional translations
of business dialogues (BSD dev dialogues 1-20; the later ones are held out). A document takes
the register whose kanji share (stats.json `length.kanji`, of the Japanese each was fitted on)
is nearer its own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

STATS_PATH = Path(__file__).with_name("stats.json")


@dataclass(frozen=True)
class LengthModel:
    """Expected log ratio and its spread as a function of the source length."""

    a: float
    b: float
    s0: float
    s1: float
    scale: float = 1.0

    def z(self, src_chars: int, tgt_chars: int) -> float:
        """How many spreads the target is longer (+) or shorter (-) than expected."""
        n = max(src_chars, 1)
        x = math.log(max(tgt_chars, 1) / n)
        mean = self.a + self.b * math.log(n)
        sd = self.scale * math.sqrt(self.s0**2 + self.s1**2 / n)
        return (x - mean) / sd

    def to_dict(self) -> dict[str, float]:
        return {"a": self.a, "b": self.b, "s0": self.s0, "s1": self.s1, "scale": self.scale}


@lru_cache(maxsize=1)
def load_stats(path: str = str(STATS_PATH)) -> dict:
    """The shipped statistics (length model, similarity priors)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def length_model(register: str = "official") -> LengthModel:
    """The shipped model for a register ("official" diplomatic text, or "tanaka")."""
    return LengthModel(**load_stats()["length"][register])


_CONTENT = re.compile(r"[\s\W\d_]+")
_KANJI = re.compile(r"[\u4e00-\u9fff々]")


def kanji_share(texts: Sequence[str]) -> float:
    """Share of kanji among the content characters of `texts` (0 when there are none)."""
    body = _CONTENT.sub("", "".join(texts))
    return len(_KANJI.findall(body)) / len(body) if body else 0.0


def register_for(japanese: Sequence[str]) -> str:
    """The register ("official" or "everyday") whose kanji share is nearer this document's."""
    shares = load_stats()["length"].get("kanji")
    if not shares or not "".join(japanese).strip():
        return "official"
    share = kanji_share(japanese)
    return min(sorted(shares), key=lambda name: abs(share - shares[name]))


def fit_shape(src: Sequence[str], tgt: Sequence[str]) -> LengthModel:
    """Least squares for a, b; then s0, s1 from the squared residuals against 1/n."""
    n = np.array([max(len(s), 1) for s in src], dtype=float)
    x = np.log(np.array([max(len(t), 1) for t in tgt], dtype=float) / n)
    design = np.column_stack([np.ones_like(n), np.log(n)])
    (a, b), *_ = np.linalg.lstsq(design, x, rcond=None)
    residual2 = (x - design @ np.array([a, b])) ** 2
    (v0, v1), *_ = np.linalg.lstsq(np.column_stack([np.ones_like(n), 1 / n]), residual2, rcond=None)
    return LengthModel(float(a), float(b), math.sqrt(max(v0, 1e-4)), math.sqrt(max(v1, 0.0)))


def refit_register(shape: LengthModel, src: Sequence[str], tgt: Sequence[str]) -> LengthModel:
    """Keep the slope and variance shape; refit the intercept and a spread factor."""
    n = np.array([max(len(s), 1) for s in src], dtype=float)
    x = np.log(np.array([max(len(t), 1) for t in tgt], dtype=float) / n)
    a = float(np.median(x - shape.b * np.log(n)))
    sd = np.sqrt(shape.s0**2 + shape.s1**2 / n)
    scale = float(np.sqrt(np.mean(((x - a - shape.b * np.log(n)) / sd) ** 2)))
    return LengthModel(a, shape.b, shape.s0, shape.s1, scale)


def detokenise_en(line: str) -> str:
    """Undo the Tanaka corpus tokenisation well enough for character counts."""
    line = re.sub(r" ([.,!?;:%)\]}])", r"\1", line.strip())
    line = re.sub(r"([(\[{$]) ", r"\1", line)
    return re.sub(r" ('|n't\b|'s\b|'re\b|'m\b|'ll\b|'ve\b|'d\b|'t\b)", r"\1", line)


def detokenise_ja(line: str) -> str:
    """Japanese side of the Tanaka corpus: remove the token spaces."""
    return line.strip().replace(" ", "")
