"""`interp-align batch` (events from a YAML config) and `interp-align fetch` (pages to an event).

Exit codes of batch: 0 every event and step succeeded; 1 the batch ran to the end but at least
one event or step failed (listed in OUT/errors.csv), or no Dask scheduler answered; 2 the
config is invalid or names a missing file (nothing was run).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from align.cli.app import app
from align.errors import EXIT_RUNTIME
from align.limits import DEADLINE_S, MAX_BYTES


@app.command()
def batch(
    config: Path = typer.Argument(..., help="Batch config (YAML); see scripts/batch/README.md."),
    workers: int = typer.Option(None, "--workers", "-w", min=1, max=256, help="Worker processes."),
    engine: str = typer.Option(None, help="'local' (process pool) or 'dask'."),
    scheduler: str = typer.Option(None, help="Dask scheduler address, e.g. tcp://host:8786."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Recompute finished steps too."),
    out: Path = typer.Option(None, "--out", "-o", help="Output folder (overrides the config)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable result on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
) -> None:
    """Run the config's steps on every event; resumes where a killed batch stopped."""
    from align.batch import build_plan, run_batch
    from align.batch.local import skip_teardown
    from align.errors import InputError

    if engine not in (None, "local", "dask"):
        raise InputError(f"unknown engine {engine!r} (use local or dask)")
    plan = build_plan(
        config, workers=workers, engine=engine, scheduler=scheduler, overwrite=overwrite, out=out
    )
    result = run_batch(plan, progress="quiet" if quiet else "auto")
    skip_teardown()  # the process ends here
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        counts = result.counts
        typer.echo(
            f"{counts['events']} events: {counts['computed']} computed, {counts['skipped']} "
            f"already done, {counts['failed']} failed  →  {plan.out}"
        )
        for event, step, message in result.errors:
            typer.echo(f"  failed: {event} [{step}] {message}")
    if result.errors:
        raise typer.Exit(EXIT_RUNTIME)


@app.command()
def query(
    database: Path = typer.Argument(..., help="OUT/results.duckdb of a batch, or the OUT folder."),
    sql: str = typer.Argument(
        ..., help="One SQL query (DuckDB dialect); the file opens read-only."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json (one per line)."),
) -> None:
    """Query a batch's results database (tables events, pairs, beads, labels, term_flags, drift)."""
    from align.batch.results import query as run_query
    from align.errors import InputError

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"unknown format {fmt!r} (use table, csv or json)", "--format")
    frame = run_query(database, sql)
    if fmt == "csv":
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        lines = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
        typer.echo(lines.rstrip("\n"))
    else:
        typer.echo(frame.to_string(index=False, max_colwidth=70) if len(frame) else "(no rows)")


@app.command()
def fetch(
    urls: list[str] = typer.Argument(..., help="Addresses of the release pages of one event."),
    out: Path = typer.Option(..., "--out", "-o", help="Event folder, e.g. corpora/events/ID."),
    kind: list[str] = typer.Option(None, help="Kind per URL: original|interpretation|translation."),
    lang: list[str] = typer.Option(None, help="Language per URL (detected when not given)."),
    title: str = typer.Option(None, help="Event title (default: the original page's)."),
    date: str = typer.Option(None, help="Event date YYYY-MM-DD (default: found in the pages)."),
    licence: str = typer.Option(None, help="Licence note for event.yaml."),
    rate_limit: float = typer.Option(
        1.0, min=0, max=60, help="Seconds between requests to one host."
    ),
    retries: int = typer.Option(3, min=0, max=10, help="Retries on timeouts, 429 and 5xx."),
    timeout: float = typer.Option(
        30.0, min=0.1, max=600, help="Seconds before a request times out."
    ),
    cache_dir: Path = typer.Option(None, help="HTTP cache (default ~/.cache/interp-align/http)."),
    max_mb: float = typer.Option(
        MAX_BYTES / 2**20, min=0.001, max=2048, help="Largest page (MB, once decompressed)."
    ),
    deadline: float = typer.Option(
        DEADLINE_S, min=0.1, max=24 * 3600, help="Seconds allowed per address."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing event.yaml."),
) -> None:
    """Download release pages (robots.txt honoured) and write an event folder for `run`."""
    from align.batch.config import FetchSettings
    from align.batch.fetch import fetch_event, make_client

    settings = FetchSettings(
        rate_limit=rate_limit, retries=retries, timeout=timeout,
        cache_dir=str(cache_dir) if cache_dir else None,
        max_bytes=int(max_mb * 2**20), deadline=deadline,
    )  # fmt: skip
    with make_client(settings) as client:
        path = fetch_event(
            urls, out, client, kinds=kind or (), languages=lang or (), title=title, date=date,
            licence=licence, force=force,
        )  # fmt: skip
    typer.echo(str(path))
