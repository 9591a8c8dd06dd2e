"""Commands that read documents: `inspect`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from align.cli.app import app


def _first_words(text: str, count: int = 8) -> str:
    words = text.split()
    if len(words) <= 1:  # Japanese has no spaces: show characters instead
        return text[:30] + ("…" if len(text) > 30 else "")
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="A transcript or release: text or HTML, any encoding."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
    language: str = typer.Option(None, "--lang", help="Override language detection (en, ja)."),
) -> None:
    """Show what the reader found: language, kind, date, title and the turns."""
    from align.ingest import read_document
    from align.report.text import inspect_summary

    document = read_document(file, language=language)
    if as_json:
        typer.echo(json.dumps(inspect_summary(document), ensure_ascii=False, indent=2))
        return
    typer.echo(f"file      {file}")
    typer.echo(f"language  {document.language}    kind {document.kind}")
    typer.echo(f"encoding  {document.encoding}")
    typer.echo(f"date      {document.date or '-'}")
    typer.echo(f"title     {document.title or '-'}")
    typer.echo(f"turns     {len(document.turns)}    sentences {len(document.sentences)}")
    for turn in document.turns:
        via = "via interpreter" if turn.via_interpreter else ""
        who = turn.speaker or f"({turn.kind})"
        first = _first_words(turn.sentences[0].text) if turn.sentences else ""
        typer.echo(f"  {turn.index:>3}  {who:<14} {len(turn.sentences):>3} sent  {via:<15} {first}")
        for sentence in turn.sentences:
            if sentence.kind != "speech":
                typer.echo(f"         {sentence.kind:<8} {_first_words(sentence.text)}")
