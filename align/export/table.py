"""CSV and TSV through the csv module: one row per bead, a header row, streamed.

Columns: the two languages in export order, then every metadata field. Lists (sentence ids)
are space-separated, booleans `true`/`false`, missing values empty. Cells holding the
delimiter, quotes or newlines are quoted (RFC 4180 style, also for TSV).

Cells a spreadsheet would run as a formula (starting with = + - @, tab or CR: `=HYPERLINK(…)`)
get a leading apostrophe, as OWASP recommends against CSV injection; spreadsheets show the
text without it. A cell that starts with an apostrophe gets one more, so reading back (which
drops one leading apostrophe) is exact. `formula_guard=False` writes cells as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from align.export.formats import ExportInfo, Format, single_output
from align.export.pairs import META_FIELDS, Pair, meta_from_text, meta_to_text


def header(langs: tuple[str, str]) -> list[str]:
    """Column names: languages first, then metadata."""
    return [*langs, *META_FIELDS]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(cell: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would evaluate it."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def cells(pair: Pair, formula_guard: bool = True) -> list[str]:
    """One bead's cells as text."""
    meta = [meta_to_text(name, pair.meta[name]) or "" for name in META_FIELDS]
    row = [*pair.texts, *meta]
    return [neutralise(cell) for cell in row] if formula_guard else row


def write(
    pairs: Iterable[Pair], paths: Sequence[Path], info: ExportInfo, delimiter: str = ","
) -> None:
    """Stream pairs into a delimited file."""
    with open(paths[0], "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header(info.langs))
        for pair in pairs:
            writer.writerow(cells(pair, info.formula_guard))


def read(path: Path, delimiter: str = ",", formula_guard: bool = True) -> Iterator[dict[str, Any]]:
    """Rows back with metadata typed again (and the formula guard's apostrophe dropped)."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=delimiter):
            if formula_guard:
                row = {k: v[1:] if v.startswith("'") else v for k, v in row.items()}
            yield {
                name: meta_from_text(name, value) if name in META_FIELDS else value
                for name, value in row.items()
            }


CSV = Format("csv", single_output, write, read)
TSV = Format("tsv", single_output, partial(write, delimiter="\t"), partial(read, delimiter="\t"))
