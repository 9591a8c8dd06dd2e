"""interp-align: align interpreted English turns with their Japanese originals.

    import align
    doc = align.read("speech.ja.txt")                       # a Document: turns, sentences
    result = align.align("speech.ja.txt", "speech.en.txt")  # typed beads, scored, in memory
    result.to_pandas()                                      # one row per bead
    run = align.load_run("runs/2022-12-16-nss-statement")   # a run directory, reviewed state
    summary = align.run_batch("batch.yaml")                 # summary.query("SELECT …")
    align.load_termbase().to_pandas(); align.drift(["runs/a", "runs/b"]).to_pandas()

Importing the package loads no model and none of the API's modules: each name below is
imported from `align.api` on first use (`align.batch` is the batch package itself).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("interp-align")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"

__all__ = [
    "Alignment",
    "Drift",
    "Summary",
    "Termbase",
    "align",
    "drift",
    "load_run",
    "load_termbase",
    "read",
    "run_batch",
]

if TYPE_CHECKING:
    from align.api import (
        Alignment,
        Drift,
        Summary,
        Termbase,
        align,
        drift,
        load_run,
        load_termbase,
        read,
        run_batch,
    )


def __getattr__(name: str) -> Any:
    """The API's names, imported lazily (PEP 562) so that `import align` stays light."""
    if name in __all__:
        from align import api

        return getattr(api, name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
