"""Command-line entry point: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 runtime failure, 2 usage error or unreadable input,
3 low alignment confidence under --strict, 4 a filter left nothing to write.
"""

from __future__ import annotations

import sys

from align.cli import ingest as _ingest  # noqa: F401  (registers commands)
from align.cli.app import app
from align.errors import EXIT_RUNTIME, AlignError


def main() -> None:
    """Run the app; turn the toolkit's errors into one stderr line and an exit code."""
    try:
        app()  # standalone: usage errors exit 2, typer.Exit(code) exits with code
    except AlignError as error:
        print(f"interp-align: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("interp-align: interrupted", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
    except MemoryError:
        print("interp-align: error: out of memory", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
