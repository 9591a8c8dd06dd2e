"""drift.html: concepts ranked by change, styled like the run report; every text escaped.

`drift_section` is the <section> (ranking, then one block per concept with its changes, its
per-event table and its timeline inline); `drift_page` wraps it in a self-contained page.
"""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from align import __version__
from align.terms.model import Termbase

CHANGE_LABELS = {
    "deprecated_rendering": "first non-standard rendering",
    "new_rendering": "first new rendering",
    "dominant_change": "dominant rendering changed",
    "omission": "first omission",
}
STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; max-width: 80rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
.meta { color: #555; font-size: 0.85rem; }
table.beads { border-collapse: collapse; margin: 0.5rem 0 1rem; }
table.beads td, table.beads th { border: 1px solid #ddd; padding: 0.3rem 0.5rem;
  vertical-align: top; text-align: left; }
table.beads th { background: #f4f4f4; }
td.num { font-family: monospace; white-space: nowrap; text-align: right; }
td.ja, td.date { white-space: nowrap; }
.concept { border-top: 1px solid #ccc; margin-top: 1.5rem; }
.concept img { max-width: 100%; height: auto; border: 1px solid #eee; }
.status-deprecated, .status-other-concept { color: #b00020; font-weight: bold; }
.status-superseded { color: #a15c00; } .status-missing { color: #666; font-style: italic; }
"""
NUMERIC = {"rank", "score", "change_size", "changes", "events", "occurrences", "renderings",
           "count", "beads", "pairs"}  # fmt: skip


def _cell(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "<td></td>"
    if column.endswith("_share"):
        return f'<td class="num">{float(value):.0%}</td>'
    if column in NUMERIC:
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        return f'<td class="num">{escape(text)}</td>'
    if column in ("date", "change_date"):
        return f'<td class="date">{escape(str(value))}</td>'
    if column == "ja":
        return f'<td class="ja" lang="ja">{escape(str(value))}</td>'
    if column == "status":
        return f'<td class="status-{escape(str(value))}">{escape(str(value))}</td>'
    return f"<td>{escape(str(value))}</td>"


def _table(frame: pd.DataFrame, columns: list[str], links: bool = False) -> str:
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    rows = []
    for _, row in frame.iterrows():
        cells = [_cell(c, row[c]) for c in columns]
        if links:  # the concept id links to its block below
            cid = escape(str(row["concept_id"]))
            cells[columns.index("concept_id")] = f'<td><a href="#drift-{cid}">{cid}</a></td>'
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="beads"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _excluded(frame: pd.DataFrame | None) -> str:
    if frame is None or frame.empty or not frame.beads.sum():
        return ""
    parts = [f"{int(r.beads)} beads ({escape(r.reason)})" for r in frame.itertuples() if r.beads]
    return f'<p class="meta">Left out: {"; ".join(parts)}.</p>'


def drift_section(
    termbase: Termbase,
    tables: dict[str, pd.DataFrame],
    plots: dict[str, bytes] | None = None,
) -> str:
    """HTML for every concept that occurs, most changed first; plots are inline SVG images."""
    events, changes = tables["events"], tables["changes"]
    parts = [
        '<section class="terms-drift" id="terms-drift">',
        "<h2>Concepts, most changed first</h2>",
    ]
    parts.append(_excluded(tables.get("excluded")))
    if events.empty:
        parts.append("<p>No termbase concept occurs in these runs.</p></section>")
        return "\n".join(parts)
    ranking = tables["concepts"]
    parts.append(
        "<p>Concepts ranked by the size of their largest change in renderings between two "
        "consecutive events (0: same mix, 1: all new), halved for every year before the last "
        "event; then by the number of changes and occurrences.</p>"
    )
    columns = ["rank", "concept_id", "ja", "en", "score", "change_size", "change_date",
               "changes", "events", "occurrences", "renderings"]  # fmt: skip
    parts.append(_table(ranking, columns, links=True))
    for concept_id in ranking.concept_id:
        parts.append(_concept_block(termbase, concept_id, events, changes, plots or {}))
    parts.append("</section>")
    return "\n".join(parts)


def _concept_block(termbase: Termbase, concept_id: str, events: pd.DataFrame,
                   changes: pd.DataFrame, plots: dict[str, bytes]) -> str:  # fmt: skip
    concept = termbase.concept(concept_id)
    ja, en = concept.preferred("ja"), concept.preferred("en")
    title = f"{concept_id}: {ja.text if ja else ''} / {en.text if en else ''}"
    block = [f'<div class="concept" id="drift-{escape(concept_id)}">', f"<h3>{escape(title)}</h3>"]
    mine = changes[changes.concept_id == concept_id] if not changes.empty else changes
    if not mine.empty:
        mine = mine.assign(change=mine.kind.map(CHANGE_LABELS).fillna(mine.kind))
        block.append(_table(mine, ["date", "event", "change", "rendering", "status", "previous"]))
    per_event = events[events.concept_id == concept_id]
    block.append(
        _table(per_event, ["date", "event", "sides", "occurrences", "preferred_share", "dominant"])
    )
    if concept_id in plots:
        data = base64.b64encode(plots[concept_id]).decode("ascii")
        alt = escape(f"{concept_id}: renderings by event date; dashed: dominant rendering changed")
        block.append(f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}">')
    block.append("</div>")
    return "\n".join(block)


def drift_page(
    termbase: Termbase, tables: dict[str, pd.DataFrame], plots: dict[str, bytes] | None = None
) -> str:
    """A self-contained page (no external assets) around the drift section."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Terminology drift</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        "<h1>Terminology drift</h1>\n"
        f"{drift_section(termbase, tables, plots)}\n"
        f'<p class="meta">Written by interp-align {escape(__version__)}.</p>\n</body>\n</html>\n'
    )
