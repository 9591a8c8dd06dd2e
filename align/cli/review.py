"""Command `review`: serve a run directory to translators in the browser."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from align.cli.app import app


def _default_reviewer() -> str:
    """The login name, for the audit log when --reviewer is not given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


@app.command()
def review(
    run_dir: Path = typer.Argument(..., help="Run directory (with alignment.jsonl)."),
    host: str = typer.Option("127.0.0.1", help="Address to bind; not loopback needs a token."),
    port: int = typer.Option(8765, min=0, max=65535, help="Port (0 picks a free one)."),
    token: str | None = typer.Option(
        None,
        envvar="INTERP_ALIGN_REVIEW_TOKEN",
        help="Access token required on every request (made up when --host is not loopback).",
    ),
    reviewer: str | None = typer.Option(None, help="Default reviewer name for the audit log."),
    write_beads: bool = typer.Option(
        False, "--write-beads", help="Write the reviewed beads to RUN_DIR/beads-reviewed/ and exit."
    ),
) -> None:
    """Review alignments in the browser; every action is saved to RUN_DIR/review.sqlite."""
    if write_beads:
        from align.review.records import write_reviewed_beads

        written = write_reviewed_beads(run_dir)
        typer.echo(f"wrote {len(written)} bead files to {run_dir / 'beads-reviewed'}")
        return
    from align.review.server import serve

    serve(run_dir, host, port, token, reviewer or _default_reviewer())
