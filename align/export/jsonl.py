"""JSON Lines in the Hugging Face `translation` layout, one bead per line.

`{"translation": {"en": …, "ja": …}, "event": …, …}`: what `datasets.load_dataset("json")`
reads as a translation dataset; the metadata sits beside `translation` as plain columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from align.export.formats import ExportInfo, Format, single_output
from align.export.pairs import Pair


def to_json(pair: Pair) -> str:
    """One bead as one JSON line (UTF-8 kept readable, not \\u-escaped)."""
    translation = dict(zip(pair.langs, pair.texts, strict=True))
    return json.dumps({"translation": translation, **pair.meta}, ensure_ascii=False)


def write(pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo) -> None:
    """Stream pairs into a .jsonl file."""
    with open(paths[0], "w", encoding="utf-8", newline="\n") as handle:
        for pair in pairs:
            handle.write(to_json(pair) + "\n")


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Rows back: the translation's languages flattened beside the metadata."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield {**record.pop("translation"), **record}


FORMAT = Format("jsonl", single_output, write, read)
