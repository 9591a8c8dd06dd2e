"""index.html: one page linking every event's report, with the batch's failures listed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from align.rundir import atomic_write

TEMPLATES = Path(__file__).parent / "templates"
INDEX = "index.html"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    # Autoescape on: event ids, titles and error messages are user text.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]))


def render_index(
    title: str,
    rows: list[dict[str, Any]],
    errors: list[tuple[str, str, str]],
    steps: list[str],
    links: list[tuple[str, str]],
) -> str:
    """The page's HTML; links are relative, so the output folder can be moved or served."""
    view = [{**row, "href": quote(row["report"]) if row.get("report") else None} for row in rows]
    counts = {
        "events": len(rows),
        "ok": sum(1 for r in rows if r["status"] == "ok"),
        "failed": sum(1 for r in rows if r["status"] != "ok"),
        "beads": sum(r["beads"] or 0 for r in rows),
    }
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            title=title,
            rows=view,
            errors=errors,
            steps=steps,
            counts=counts,
            links=[(label, quote(href)) for label, href in links],
            has_divergence=any(r.get("mean_divergence") is not None for r in rows),
            has_terms="terms" in steps,
            has_score="score" in steps,
        )
    )


def write_index(out: Path, html: str) -> Path:
    """Write index.html atomically."""
    atomic_write(out / INDEX, html)
    return out / INDEX
