"""Where the shipped data lives: corpora/ in a source tree, align/_data/ in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_SOURCE_TREE = Path(__file__).resolve().parents[1] / "corpora"
_PACKAGED = Path(__file__).resolve().parent / "_data"


def shipped(relative: str) -> Path:
    """A data file shipped with the toolkit (speaker registry, termbase)."""
    packaged = _PACKAGED / relative
    return packaged if packaged.exists() else _SOURCE_TREE / relative
