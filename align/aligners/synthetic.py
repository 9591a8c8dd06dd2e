"""Synthetic sentence-alignment documents with known gold, built from a line-aligned corpus.

Consecutive Japanese-English pairs become one document; some neighbouring English sentences are
merged (gold 2-1 beads) and some dropped (gold 1-0 omissions), so an aligner's output can be
scored against a gold that is right by construction. Source = Japanese, target = English.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.model import Bead

# Tokens that attach to the word before them ("don 't", "it 's", "end .", "a , b").
_ATTACH_LEFT = re.compile(r"^(?:[.,!?;:%)\]}]+|'[a-z]*|n't)$")
_ATTACH_RIGHT = frozenset({"(", "[", "{", "$"})


def detokenise_ja(line: str) -> str:
    """Japanese in the corpus is split into words by spaces; written Japanese has none."""
    return "".join(line.split())


def detokenise_en(line: str) -> str:
    """Re-attach punctuation and clitics and restore capitals the corpus lower-cased.

    Hand-written rather than sacremoses: the corpus uses only a handful of token patterns
    (". , ? ! ; 's 't 'll '' ..."), which this covers in a dozen lines without a dependency.
    """
    out: list[str] = []
    glue_next = False
    open_quote = False
    for token in line.split():
        if token == "''":
            token, open_quote = '"', not open_quote
            if open_quote:
                out.append(token)
                glue_next = True
                continue
            attach = True
        else:
            attach = bool(_ATTACH_LEFT.match(token))
        if token == "i" or token.startswith("i'"):
            token = "I" + token[1:]
        if out and (attach or glue_next):
            out[-1] += token
        else:
            out.append(token)
        glue_next = token in _ATTACH_RIGHT
    text = " ".join(out)
    return _capitalise(text)


def _capitalise(text: str) -> str:
    """Upper-case the first letter of the sentence (after any opening quote)."""
    for position, char in enumerate(text):
        if char.isalpha():
            return text[:position] + char.upper() + text[position + 1 :]
    return text


@dataclass
class SyntheticDoc:
    """One synthetic document pair and its gold beads (source = Japanese, target = English)."""

    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead] = field(default_factory=list)


def read_pairs(directory: str | Path, split: str) -> list[tuple[str, str]]:
    """Read `<split>.ja` / `<split>.en` and detokenise both sides."""
    root = Path(directory)
    ja_path, en_path = root / f"{split}.ja", root / f"{split}.en"
    for path in (ja_path, en_path):
        if not path.is_file():
            raise InputError("parallel corpus file not found", path=path)
    ja = ja_path.read_text(encoding="utf-8").splitlines()
    en = en_path.read_text(encoding="utf-8").splitlines()
    if len(ja) != len(en):
        raise InputError(f"{len(ja)} Japanese lines but {len(en)} English lines", path=en_path)
    return [(detokenise_ja(j), detokenise_en(e)) for j, e in zip(ja, en, strict=True)]


def make_doc(
    pairs: list[tuple[str, str]],
    rng: random.Random,
    *,
    name: str = "doc",
    merge_rate: float = 0.15,
    drop_rate: float = 0.05,
) -> SyntheticDoc:
    """Turn consecutive pairs into one document, merging and dropping English sentences."""
    doc = SyntheticDoc(name=name, src=[ja for ja, _ in pairs], tgt=[])
    position = 0
    while position < len(pairs):
        draw = rng.random()
        if draw < drop_rate:
            doc.gold.append(Bead((position,), ()))
            position += 1
        elif draw < drop_rate + merge_rate and position + 1 < len(pairs):
            doc.gold.append(Bead((position, position + 1), (len(doc.tgt),)))
            doc.tgt.append(f"{pairs[position][1]} {pairs[position + 1][1]}")
            position += 2
        else:
            doc.gold.append(Bead((position,), (len(doc.tgt),)))
            doc.tgt.append(pairs[position][1])
            position += 1
    return doc


def make_benchmark(
    pairs: list[tuple[str, str]],
    *,
    n_docs: int = 20,
    doc_len: int = 48,
    seed: int = 13,
    merge_rate: float = 0.15,
    drop_rate: float = 0.05,
) -> list[SyntheticDoc]:
    """`n_docs` documents of `doc_len` consecutive pairs, evenly spread over the corpus.

    Rates are per gold bead (about 15% of beads 2-1, 5% 1-0); windows overlap when the corpus is
    shorter than n_docs * doc_len, but each window draws its own merges and drops.
    """
    if doc_len > len(pairs):
        raise InputError(f"a document of {doc_len} pairs needs more than {len(pairs)} pairs")
    rng = random.Random(seed)
    last = len(pairs) - doc_len
    starts = [round(k * last / max(n_docs - 1, 1)) for k in range(n_docs)]
    return [
        make_doc(
            pairs[start : start + doc_len],
            rng,
            name=f"doc{k:02d}",
            merge_rate=merge_rate,
            drop_rate=drop_rate,
        )
        for k, start in enumerate(starts)
    ]
