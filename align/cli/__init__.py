"""Command-line entry point: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 runtime failure, 2 usage error or unreadable input,
3 low alignment confidence under --strict, 4 a filter left nothing to write.
"""

from __future__ import annotations

import sys

import click

from align.cli import ingest as _ingest  # noqa: F401  (registers commands)
from align.cli.app import app
from align.errors import EXIT_INPUT, EXIT_RUNTIME, AlignError


def main() -> None:
    """Run the app; turn the toolkit's errors into one stderr line and an exit code."""
    try:
        app(standalone_mode=False)
    except AlignError as error:
        print(f"interp-align: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        print("interp-align: aborted", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        print("interp-align: interrupted", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
    except MemoryError:
        print("interp-align: error: out of memory", file=sys.stderr)
        sys.exit(EXIT_RUNTIME)
