"""The interpretation profile of a group of scored beads (a turn, speaker, document or event).

What a researcher comparing interpreters or events reads, each figure with its definition:

- `compression`: mean length z of the two-sided beads against the shipped length model
  (stats.json, fitted on official translations): 0 = as long as an official translation,
  negative = the English is shorter (-1 = one spread shorter);
- `omission_rate` / `addition_rate`: share of beads labelled omission / addition;
- `number_fidelity`: among two-sided beads with a number, date or quantity on either side,
  the share without a number label (None when there is none);
- `term_accuracy`: among beads checked against a termbase, the share without a terminology
  label (None without a termbase);
- `hedges` / `fillers`: per 100 English words, hedging phrases (I think, perhaps, sort of …)
  and fillers (uh, um, you know …) — speech habits of an interpreter, absent from a text.
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


def _english(record: dict[str, Any]) -> str:
    return str(record["tgt_text"] if record.get("tgt_lang") == "en" else record["src_text"] or "")


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def profile(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The profile of these scored records (see the module docstring for each definition)."""
    both = [r for r in records if str(r.get("src_text") or "").strip()
            and str(r.get("tgt_text") or "").strip()]  # fmt: skip
    lengths = [s["length"]["z"] for r in both if (s := r.get("signals") or {}).get("length")]
    numbered = [r for r in both if _has_numbers(r)]
    termed = [r for r in records if (r.get("signals") or {}).get("terminology") is not None]
    english = " ".join(_english(r) for r in records)
    words = max(len(_WORD.findall(english)), 1)
    labels = [set(r.get("labels") or []) for r in records]
    return {
        "compression": round(sum(lengths) / len(lengths), 3) if lengths else None,
        "omission_rate": _share(sum("omission" in x for x in labels), len(records)),
        "addition_rate": _share(sum("addition" in x for x in labels), len(records)),
        "number_fidelity": _share(sum("number" not in r["labels"] for r in numbered), len(numbered)),
        "term_accuracy": _share(sum("terminology" not in r["labels"] for r in termed), len(termed)),
        "hedges": round(100 * len(HEDGES.findall(english)) / words, 2),
        "fillers": round(100 * len(FILLERS.findall(english)) / words, 2),
        "english_words": words if english.strip() else 0,
    }


def _has_numbers(record: dict[str, Any]) -> bool:
    numbers = (record.get("signals") or {}).get("numbers") or {}
    return bool(numbers.get("src") or numbers.get("tgt"))
