"""The typer application object that every command module registers on."""

from __future__ import annotations

import typer

from align import __version__

app = typer.Typer(
    name="interp-align",
    help="Align interpreted English turns with their Japanese originals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"interp-align {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Bilingual interpretation alignment for Japanese diplomatic speech."""
