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


def _rendering(record: dict[str, Any]) -> tuple[str, str]:
    """The rendering side of a record (the target: the original is the source) and its language."""
    return str(record.get("tgt_text") or ""), str(record.get("tgt_lang") or "en")


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


def profile(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The profile of these scored records (see the module docstring for each definition)."""
    both = [r for r in records if str(r.get("src_text") or "").strip()
            and str(r.get("tgt_text") or "").strip()]  # fmt: skip
    sign = -1.0 if records and _rendering(records[0])[1] == "ja" else 1.0  # z reads EN vs JA
    lengths = [sign * s["length"]["z"] for r in both if (s := r.get("signals") or {}).get("length")]
    numbered = [r for r in both if _has_numbers(r)]
    termed = [r for r in records if (r.get("signals") or {}).get("terminology") is not None]
    language = _rendering(records[0])[1] if records else "en"
    habits = speech_habits([_rendering(r)[0] for r in records], language)
    labels = [set(r.get("labels") or []) for r in records]
    return {
        "compression": round(sum(lengths) / len(lengths), 3) if lengths else None,
        "omission_rate": _share(sum("omission" in x for x in labels), len(records)),
        "addition_rate": _share(sum("addition" in x for x in labels), len(records)),
        "number_fidelity": _share(
            sum("number" not in r["labels"] for r in numbered), len(numbered)
        ),
        "term_accuracy": _share(sum("terminology" not in r["labels"] for r in termed), len(termed)),
        **habits,
    }


def _has_numbers(record: dict[str, Any]) -> bool:
    numbers = (record.get("signals") or {}).get("numbers") or {}
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
