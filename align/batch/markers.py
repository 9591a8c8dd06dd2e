"""Step-done markers: a small JSON written after a step's outputs, naming them and their signature.

A step is skipped when its marker exists, the signature matches and every listed output is
there. The marker is written last and removed before a step reruns, so a kill at any moment
leaves either a finished step or one that reruns: never a half-written output taken as done.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from align import __version__
from align.model import Signature
from align.rundir import atomic_write

MARKER_DIR = ".batch"


def marker_path(folder: Path, step: str) -> Path:
    """Where the marker of `step` lives inside its output folder."""
    return folder / MARKER_DIR / f"{step}.json"


def short_hash(text: str) -> str:
    """A 16-hex digest, to chain a step's signature to the one before it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def step_signature(step: str, after: str, options: dict, **extra: str) -> str:
    """Every setting that produced the step's outputs, sacrebleu-style (k:v|k:v)."""
    fields = {k: v for k, v in sorted(options.items()) if not k.startswith("_")}
    return str(
        Signature.make(step=step, toolkit=__version__, after=short_hash(after), **fields, **extra)
    )


def is_done(folder: Path, step: str, signature: str) -> bool:
    """True when the step finished before with the same signature and its outputs exist."""
    try:
        marker = json.loads(marker_path(folder, step).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(marker, dict) or marker.get("signature") != signature:
        return False
    return all((folder / name).exists() for name in marker.get("outputs", []))


def clear(folder: Path, step: str) -> None:
    """Forget that a step finished (before it reruns)."""
    marker_path(folder, step).unlink(missing_ok=True)


def mark_done(folder: Path, step: str, signature: str, outputs: list[str]) -> None:
    """Record a finished step; called only after every output is in place."""
    payload = {"step": step, "signature": signature, "outputs": sorted(outputs)}
    atomic_write(marker_path(folder, step), json.dumps(payload, ensure_ascii=False, indent=1))
