"""The toolkit's exceptions; the CLI maps each to a documented exit code."""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_INPUT = 2
EXIT_LOW_CONFIDENCE = 3
EXIT_EMPTY_RESULT = 4

# Document confidence (mean of the three most confident links, aligners/confidence.py) below
# which two documents look like non-translations (warning; exit 3 under --strict): genuine pairs
# in ../shared score 0.64-1.00, unrelated pairs 0.00-0.58 (scripts/calibrate_confidence.py).
LOW_CONFIDENCE = 0.62


class AlignError(Exception):
    """Base class: a failure the user can act on, reported in one line."""

    exit_code = EXIT_RUNTIME

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(message)

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message


class InputError(AlignError):
    """Unreadable, empty or malformed input, or a bad argument (exit 2)."""

    exit_code = EXIT_INPUT


class ModelError(AlignError):
    """An embedder or model that cannot be loaded or cannot handle the input (exit 2)."""

    exit_code = EXIT_INPUT


class LowConfidenceError(AlignError):
    """Alignment finished but its confidence is too low under --strict (exit 3)."""

    exit_code = EXIT_LOW_CONFIDENCE


class EmptyResultError(AlignError):
    """A filter or query left nothing to write (exit 4)."""

    exit_code = EXIT_EMPTY_RESULT
