"""The interpretation profile of a group of scored beads (a turn, speaker, document or event).

What a researcher comparing interpreters or events reads, each figure with its definition:

- `compression`: mean length z of the rendering in the two-sided beads against the shipped
  length model (stats.json, fitted on official translations): 0 = as long as an official
  translation, negative = the rendering is shorter (-1 = one spread shorter);
- `omission_rate` / `addition_rate`: share of beads labelled omission / addition;
- `number_fidelity`: among two-sided beads with a number, date or quantity on either side,
  the share without a number label (None when there is none);
- `term_accuracy`: among beads checked against a termbase, the share without a terminology
  label (None without a termbase);
- `hedges` / `fillers`: per 100 words of the rendering (Japanese: per 100 morphemes),
  hedging phrases (I think, perhaps, sort of …; と思います, かもしれ, ちょっと …) and fillers
  (uh, um, you know …; えー, あのー, まあ …) — speech habits of an interpreter, absent from text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

HEDGES = re.compile(
    r"\b(?:i think|i believe|i guess|perhaps|maybe|probably|possibly|sort of|kind of|somewhat"
    r"|more or less|it seems|seems to|rather|a little bit|to some extent|i would say)\b",
    re.IGNORECASE,
)
FILLERS = re.compile(r"\b(?:uh+|um+|er+|erm|ah+|you know|i mean|well,|so,|like,)(?=\W|$)",
                     re.IGNORECASE)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
JA_HEDGES = re.compile(
    r"と思い(?:ます|まし)|と思う|かもしれ|ような気が|でしょうか|ちょっと|いわば|らしい"
)
JA_FILLERS = re.compile(
    r"(?:^|[、。\s])(?:えー+|えっと|ええと|あの[ーう]*|あのー|まあ|その[ー]+|うーん)(?=[、。\s]|$)"
)


@dataclass(frozen=True)
class Rendered:
    """What the profile reads of one scored bead (original = source, rendering = target)."""

    src_text: str
    tgt_text: str
    tgt_lang: str
    labels: tuple[str, ...]
    signals: dict[str, Any]

    @classmethod
    def of(cls, bead: Any) -> Rendered:
        """From a typed bead (align.model.AlignedBead)."""
        signals = bead.scores.signals if bead.scores else {}
        return cls(bead.src_text, bead.tgt_text, bead.tgt_lang, tuple(bead.labels), signals)


def speech_habits(texts: list[str], language: str) -> dict[str, Any]:
    """Hedges and fillers per 100 words of the rendering (Japanese: per 100 morphemes)."""
    text = "\n".join(texts)
    if language == "ja":
        from align.scoring.polarity import _morphs

        words = sum(1 for m in _morphs(text) if m.pos[0] not in ("補助記号", "空白"))
        hedges, fillers = JA_HEDGES.findall(text), JA_FILLERS.findall(text)
    else:
        words = len(_WORD.findall(text))
        hedges, fillers = HEDGES.findall(text), FILLERS.findall(text)
    scale = 100 / max(words, 1)
    return {"words": words, "hedges": round(scale * len(hedges), 2),
            "fillers": round(scale * len(fillers), 2)}  # fmt: skip


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def profile(beads: list[Any]) -> dict[str, Any]:
    """The profile of these scored beads (typed beads, or `Rendered`; see the module docstring)."""
    items = [b if isinstance(b, Rendered) else Rendered.of(b) for b in beads]
    both = [r for r in items if r.src_text.strip() and r.tgt_text.strip()]
    language = items[0].tgt_lang if items else "en"
    sign = -1.0 if language == "ja" else 1.0  # the length z reads the English against the Japanese
    lengths = [sign * r.signals["length"]["z"] for r in both if r.signals.get("length")]
    numbered = [r for r in both if _has_numbers(r)]
    termed = [r for r in items if r.signals.get("terminology") is not None]
    habits = speech_habits([r.tgt_text for r in items], language)
    labels = [set(r.labels) for r in items]
    return {
        "compression": round(sum(lengths) / len(lengths), 3) if lengths else None,
        "omission_rate": _share(sum("omission" in x for x in labels), len(items)),
        "addition_rate": _share(sum("addition" in x for x in labels), len(items)),
        "number_fidelity": _share(sum("number" not in r.labels for r in numbered), len(numbered)),
        "term_accuracy": _share(sum("terminology" not in r.labels for r in termed), len(termed)),
        **habits,
    }


def _has_numbers(item: Rendered) -> bool:
    numbers = item.signals.get("numbers") or {}
    return bool(numbers.get("src") or numbers.get("tgt"))


def document_profile(document: Any, flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per speaker of an English document with no counterpart (an interpreted transcript
    whose originals are not at hand): speech habits and known wrong renderings; the figures
    that need the original (compression, omission, number fidelity) are None."""
    speakers: dict[str, list[str]] = {}
    interpreted: dict[str, bool] = {}
    for turn in document.turns:
        if turn.speaker:
            speakers.setdefault(turn.speaker, []).extend(s.text for s in turn.sentences)
            interpreted[turn.speaker] = interpreted.get(turn.speaker, False) or turn.via_interpreter
    return [
        {"key": name, "via_interpreter": interpreted[name],
         **speech_habits(texts, getattr(document, "language", "en")),
         "wrong_renderings": sum(1 for f in flags if f.get("speaker") == name),
         "compression": None, "omission_rate": None, "addition_rate": None,
         "number_fidelity": None, "term_accuracy": None}
        for name, texts in speakers.items()
    ]  # fmt: skip
