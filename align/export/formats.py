"""The format registry: each format names its output files and streams pairs into them.

Writer modules are imported only when their format is used, so `import align.export` stays
light (no pyarrow, no lxml) until an export actually runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.export.pairs import Pair

CREATION_TOOL = "interp-align"
MIXED = "*all*"  # TMX's srclang when the originals are in more than one language


@dataclass(frozen=True)
class ExportInfo:
    """What every writer needs besides the pairs: languages, run signatures, tool version."""

    langs: tuple[str, str]  # (MIXED, MIXED) when each bead keeps its original's order
    signatures: tuple[str, ...]
    version: str
    moses_meta: bool = True
    formula_guard: bool = True  # csv/tsv: neutralise cells a spreadsheet would evaluate

    @property
    def signature(self) -> str | None:
        """The first run's signature, written once in file headers."""
        return self.signatures[0] if self.signatures else None


@dataclass(frozen=True)
class Format:
    """A format: where it writes, how it writes (streaming), how it reads back (tests)."""

    name: str
    outputs: Callable[[Path, ExportInfo], list[Path]]
    write: Callable[[Iterable[Pair], Sequence[Path], ExportInfo], None]
    read: Callable[[Path], Iterator[dict[str, Any]]]
    original_first: bool = False  # translation memories: source = the original, by default
    mixed_originals: bool = False  # can hold beads whose originals differ in language


def single_output(out: Path, info: ExportInfo) -> list[Path]:
    """Formats that write exactly the file named by --out."""
    return [out]


# name -> "module:attribute" holding its Format
FORMATS: dict[str, str] = {
    "tmx": "align.export.tmx:FORMAT",
    "moses": "align.export.moses:FORMAT",
    "jsonl": "align.export.jsonl:FORMAT",
    "csv": "align.export.table:CSV",
    "tsv": "align.export.table:TSV",
    "parquet": "align.export.parquet:FORMAT",
    "xliff": "align.export.xliff:FORMAT",
}


def get_format(name: str) -> Format:
    """The Format registered under `name`; an InputError lists the known ones."""
    if name not in FORMATS:
        raise InputError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})")
    module_name, attribute = FORMATS[name].split(":")
    return getattr(importlib.import_module(module_name), attribute)
