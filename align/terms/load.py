"""Open a termbase by file type, defaulting to the security termbase shipped in corpora/."""

from __future__ import annotations

from pathlib import Path

from align.data import shipped
from align.errors import InputError
from align.terms.model import Termbase

DEFAULT_TERMBASE = shipped("termbase/security.tbx")


def load_termbase(path: str | Path | None = None) -> Termbase:
    """Read a .tbx or .csv termbase; None means the shipped security termbase."""
    if path is None:
        path = DEFAULT_TERMBASE
        if not path.is_file():
            raise InputError("shipped termbase is missing: pass --termbase", path)
    path = Path(path)
    if not path.is_file():
        raise InputError("termbase file not found", path)
    if path.suffix.lower() == ".csv":
        from align.terms.csvio import read_csv

        return read_csv(path)
    from align.terms.tbx import read_tbx

    return read_tbx(path)
