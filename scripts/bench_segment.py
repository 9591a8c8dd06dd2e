"""Sentence-boundary accuracy and speed of English splitters on tests/data/sentence_gold.

Gold format: documents start with `=== name | split | source`; the text follows, with `¦` right
after every sentence end inside a line (a line break always ends a sentence). Removing the marks
gives the source text exactly. Scores count the boundaries inside lines (line ends are free).
Documents named `constructed_*` were written for the gold (hard cases the sources lack);
"real F1" leaves them out.

    nice python scripts/bench_segment.py            # P/R/F1 per split and MB/s, all candidates
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.text import segment as seg  # noqa: E402

GOLD_DIR = ROOT / "tests" / "data" / "sentence_gold"
MARK = "¦"


def load_gold(language: str) -> list[dict]:
    """Documents of a gold file: name, split, source, text and the in-line boundary offsets."""
    docs: list[dict] = []
    for line in (GOLD_DIR / f"{language}.txt").read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            name, split, source = (part.strip() for part in line[4:].split("|", 2))
            docs.append({"name": name, "split": split, "source": source, "lines": []})
        elif docs:
            docs[-1]["lines"].append(line)
    for doc in docs:
        marked = "\n".join(doc.pop("lines")).rstrip()
        text, bounds = [], set()
        for piece in marked.split(MARK)[:-1]:
            text.append(piece)
            bounds.add(sum(map(len, text)))
        text.append(marked.split(MARK)[-1])
        doc["text"], doc["bounds"] = "".join(text), bounds
    return docs


def inline_bounds(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Sentence ends not at a line end (those every splitter gets for free)."""
    return {end for _, end in spans if text[end:].split("\n", 1)[0].strip()}


def _pieces_to_ends(pieces: Callable[[str], list[str]]) -> seg.SentenceEnds:
    """Adapt a splitter returning strings to end offsets (found in order in the text)."""

    def ends(text: str) -> list[int]:
        out, cursor = [], 0
        for piece in pieces(text):
            stripped = piece.strip()
            found = text.find(stripped, cursor) if stripped else -1
            if found == -1:
                continue
            cursor = found + len(stripped)
            out.append(cursor)
        return out

    return ends


_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})


def per_line(ends: seg.SentenceEnds, fold: bool = False) -> seg.SentenceEnds:
    """Call a splitter line by line (as the toolkit did before), optionally folding curly quotes
    (pysbd swallows sentences on mixed straight/curly quotes; the old code folded them)."""

    def split(text: str) -> list[int]:
        out, offset = [], 0
        for line in text.split("\n"):
            out.extend(offset + end for end in ends(line.translate(_QUOTE_FOLD) if fold else line))
            offset += len(line) + 1
        return out

    return split


def _blingfire_package(text: str) -> list[int]:
    import blingfire

    if not text.strip():
        return []
    return [end for _, end in blingfire.text_to_sentences_and_offsets(text)[1]]


def _pysbd() -> seg.SentenceEnds:
    import pysbd

    return per_line(_pieces_to_ends(pysbd.Segmenter(language="en", clean=False).segment), True)


def _nupunkt() -> seg.SentenceEnds:
    import nupunkt

    return per_line(_pieces_to_ends(nupunkt.sent_tokenize))


def _syntok() -> seg.SentenceEnds:
    from syntok import segmenter

    def ends(text: str) -> list[int]:
        return [s[-1].offset + len(s[-1].value) for p in segmenter.analyze(text) for s in p]

    return per_line(ends)


def _sentencex() -> seg.SentenceEnds:
    from sentencex import segment

    return per_line(_pieces_to_ends(lambda text: list(segment("en", text))))


def candidates() -> dict[str, seg.SentenceEnds]:
    """Every splitter measured (the first is the one shipped); those not installed are skipped:
    pip install -e ".[bench]"."""
    out: dict[str, seg.SentenceEnds] = {
        "blingfire+abbrev (shipped)": seg.blingfire_ends,
        "blingfire (package wrapper)": per_line(_blingfire_package),
    }
    makers = {"pysbd (quotes folded)": _pysbd, "nupunkt": _nupunkt, "syntok": _syntok,
              "sentencex": _sentencex}  # fmt: skip
    for name, make in makers.items():
        try:
            out[name] = make()
        except ImportError:
            print(f"({name} is not installed: skipped)")
    return out


def score(
    docs: list[dict], split_of: Callable[[str], list[tuple[int, int]]]
) -> tuple[float, float, float, int]:
    """Precision, recall, F1 of in-line boundaries over `docs`, and the gold count."""
    tp = fp = fn = 0
    for doc in docs:
        spans = split_of(doc["text"])
        assert all(doc["text"][a:b].strip() == doc["text"][a:b] for a, b in spans)
        found = inline_bounds(doc["text"], spans)
        tp += len(found & doc["bounds"])
        fp += len(found - doc["bounds"])
        fn += len(doc["bounds"] - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


def mb_per_s(text: str, split_of: Callable[[str], object], repeats: int) -> float:
    """Median MB/s of splitting `text`."""
    size = len(text.encode("utf-8")) / 1e6
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        split_of(text)
        times.append(time.perf_counter() - began)
    return size / statistics.median(times)


def errors(docs: list[dict], split_of: Callable[[str], list[tuple[int, int]]]) -> list[str]:
    """Context of every wrong or missed boundary, for reading."""
    out = []
    for doc in docs:
        found = inline_bounds(doc["text"], split_of(doc["text"]))
        for kind, where in (("extra", found - doc["bounds"]), ("missed", doc["bounds"] - found)):
            for at in sorted(where):
                context = doc["text"][max(0, at - 35) : at] + "¦" + doc["text"][at : at + 20]
                out.append(f"  {kind:6} {doc['name']}: {context!r}")
    return out


def main() -> None:
    """Print the table for English and for Japanese."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--errors", action="store_true", help="list each candidate's mistakes")
    args = parser.parse_args()
    english = load_gold("en")
    speed_text = "\n".join(doc["text"] for doc in english) * 4
    count = sum(len(d["bounds"]) for d in english)
    print(f"English gold: {len(english)} documents, {count} in-line boundaries")
    columns = ("dev P/R/F1", "test P/R/F1", "all F1", "real F1", "MB/s")
    print(
        f"{'splitter':28} {columns[0]:>20} {columns[1]:>20} "
        + " ".join(f"{c:>7}" for c in columns[2:])
    )
    for name, ends in candidates().items():

        def split_of(text: str, ends: seg.SentenceEnds = ends) -> list[tuple[int, int]]:
            return seg.segment(text, language="en", ends=ends)

        row = []
        for split in ("dev", "test"):
            p, r, f, _ = score([d for d in english if d["split"] == split], split_of)
            row.append(f"{p:.3f}/{r:.3f}/{f:.3f}")
        f_all = score(english, split_of)[2]
        f_real = score([d for d in english if not d["name"].startswith("constructed")], split_of)[2]
        speed = mb_per_s(speed_text, split_of, args.repeats)
        print(f"{name:28} {row[0]:>20} {row[1]:>20} {f_all:7.3f} {f_real:7.3f} {speed:7.2f}")
        if args.errors:
            print("\n".join(errors(english, split_of)))
    japanese = load_gold("ja")
    ja_text = "\n".join(doc["text"] for doc in japanese) * 4

    def split_ja(text: str) -> list[tuple[int, int]]:
        return seg.segment(text, language="ja")

    count = sum(len(d["bounds"]) for d in japanese)
    print(f"\nJapanese gold: {len(japanese)} documents, {count} in-line boundaries")
    for split in ("dev", "test"):
        p, r, f, n = score([d for d in japanese if d["split"] == split], split_ja)
        print(f"  rules {split}: P {p:.3f} R {r:.3f} F1 {f:.3f} ({n} boundaries)")
    print(f"  rules MB/s: {mb_per_s(ja_text, split_ja, args.repeats):.2f}")
    if args.errors:
        print("\n".join(errors(japanese, split_ja)))


if __name__ == "__main__":
    main()
