"""Command-line entry point: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 runtime failure, 2 usage error or unreadable input,
3 low alignment confidence under --strict, 4 a filter left nothing to write.
"""

from __future__ import annotations

import os
import sys

from align.cli import batch as _batch  # noqa: F401
from align.cli import export as _export  # noqa: F401
from align.cli import ingest as _ingest  # noqa: F401  (registers commands)
from align.cli import review as _review  # noqa: F401
from align.cli import run as _run  # noqa: F401
from align.cli import score as _score  # noqa: F401
from align.cli import sentences as _sentences  # noqa: F401
from align.cli import terms as _terms  # noqa: F401
from align.cli.app import app
from align.errors import EXIT_INPUT, EXIT_RUNTIME, AlignError


def main() -> None:
    """Run the app; turn the toolkit's errors into one stderr line and an exit code."""
    try:
        app()  # standalone: usage errors exit 2, typer.Exit(code) exits with code
    except AlignError as error:
        print(f"interp-align: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except (PermissionError, IsADirectoryError, NotADirectoryError, FileExistsError) as error:
        # an input or output path the user gave cannot be used: their problem to fix (exit 2)
        where = error.filename or ""
        print(f"interp-align: error: {where}: {error.strerror.lower()}", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except UnicodeError as error:  # text no reader caught: undecodable bytes, lone surrogates
        print(f"interp-align: error: input text is not valid Unicode ({error})", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        print("interp-align: interrupted", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
    except MemoryError:
        print("interp-align: error: out of memory", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
    except Exception as error:  # a bug: one line for users, the traceback on request
        if os.environ.get("INTERP_ALIGN_DEBUG"):
            raise
        name = type(error).__name__
        print(
            f"interp-align: internal error: {name}: {error} (set INTERP_ALIGN_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(EXIT_RUNTIME)
