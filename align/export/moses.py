"""Moses / OPUS plain text: NAME.<lang1> and NAME.<lang2>, line-aligned, plus NAME.meta.tsv.

Line i of each file is the same bead. Line breaks inside a segment (any that Python's
`str.splitlines` recognises, which covers what Moses tools split on) become single spaces.
The metadata TSV has a header row and then one row per bead, in the same order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from itertools import repeat
from pathlib import Path
from typing import Any

from align.export.formats import ExportInfo, Format
from align.export.pairs import META_FIELDS, Pair, meta_from_text, meta_to_text

META_SUFFIX = ".meta.tsv"


def one_line(text: str) -> str:
    """The segment on a single line."""
    return " ".join(text.splitlines())


def outputs(out: Path, info: ExportInfo) -> list[Path]:
    """NAME.<lang> for each language, then NAME.meta.tsv unless turned off."""
    paths = [out.with_name(f"{out.name}.{lang}") for lang in info.langs]
    return paths + ([out.with_name(out.name + META_SUFFIX)] if info.moses_meta else [])


def write(pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo) -> None:
    """Stream pairs into the two text files (and the metadata TSV)."""
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "w", encoding="utf-8", newline="\n")) for p in paths]
        meta = csv.writer(files[2], delimiter="\t", lineterminator="\n") if len(files) > 2 else None
        if meta:
            meta.writerow(list(META_FIELDS))
        for pair in pairs:
            files[0].write(one_line(pair.texts[0]) + "\n")
            files[1].write(one_line(pair.texts[1]) + "\n")
            if meta:
                meta.writerow([meta_to_text(n, pair.meta[n]) or "" for n in META_FIELDS])


def _lines(path: Path) -> Iterator[str]:
    """A text file's lines without their newline."""
    with open(path, encoding="utf-8", newline="\n") as handle:
        for line in handle:
            yield line.removesuffix("\n")


def _meta_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Typed metadata rows from NAME.meta.tsv."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            yield {name: meta_from_text(name, value) for name, value in row.items()}


def read(out: Path, langs: tuple[str, str] = ("en", "ja")) -> Iterator[dict[str, Any]]:
    """Rows back from NAME.<lang1>, NAME.<lang2> and NAME.meta.tsv when present (NAME=out)."""
    first = _lines(out.with_name(f"{out.name}.{langs[0]}"))
    second = _lines(out.with_name(f"{out.name}.{langs[1]}"))
    meta_path = out.with_name(out.name + META_SUFFIX)
    meta = _meta_rows(meta_path) if meta_path.is_file() else repeat({})
    for (text_one, text_two), row in zip(zip(first, second, strict=True), meta, strict=False):
        yield {langs[0]: text_one, langs[1]: text_two, **row}


FORMAT = Format("moses", outputs, write, read)
