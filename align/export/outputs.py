"""Output files appear whole or not at all: written under temporary names, then renamed."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from align.errors import InputError


def refuse_existing(paths: Sequence[Path], force: bool) -> None:
    """InputError for an output that exists (unless forced) or that is a directory."""
    for path in paths:
        if path.is_dir():
            raise InputError("output path is a directory", path=path)
        if path.exists() and not force:
            raise InputError("output exists (pass --force to overwrite)", path=path)


@contextmanager
def staged(paths: Sequence[Path], force: bool = False) -> Iterator[list[Path]]:
    """Temporary siblings of `paths`, moved into place only if the block succeeds."""
    refuse_existing(paths, force)
    temps = [path.with_name(f".{path.name}.partial-{os.getpid()}") for path in paths]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        yield temps
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in zip(temps, paths, strict=True):
        os.replace(temp, path)
