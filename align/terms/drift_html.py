"""The drift section of the HTML report: a self-contained <section>, every text escaped."""

from __future__ import annotations

from html import escape

import pandas as pd

from align.terms.model import Termbase

CHANGE_LABELS = {
    "deprecated_rendering": "first non-standard rendering",
    "new_rendering": "first new rendering",
    "dominant_change": "dominant rendering changed",
    "omission": "first omission",
}


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "<td></td>"
    if isinstance(value, float):
        return f"<td>{value:.0%}</td>"
    return f"<td>{escape(str(value))}</td>"


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(_cell(row[c]) for c in columns) + "</tr>" for _, row in frame.iterrows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def drift_section(
    termbase: Termbase, tables: dict[str, pd.DataFrame], plot_dir: str | None = "plots"
) -> str:
    """HTML for every concept that occurs: changes, per-event summary and its timeline."""
    events, changes = tables["events"], tables["changes"]
    parts = ['<section class="terms-drift" id="terms-drift">', "<h2>Terminology drift</h2>"]
    if events.empty:
        parts.append("<p>No termbase concept occurs in these runs.</p></section>")
        return "\n".join(parts)
    concept_ids = list(dict.fromkeys(changes.concept_id)) if not changes.empty else []
    concept_ids += [c for c in dict.fromkeys(events.concept_id) if c not in concept_ids]
    for concept_id in concept_ids:
        parts.append(_concept_block(termbase, concept_id, events, changes, plot_dir))
    parts.append("</section>")
    return "\n".join(parts)


def _concept_block(termbase: Termbase, concept_id: str, events: pd.DataFrame,
                   changes: pd.DataFrame, plot_dir: str | None) -> str:  # fmt: skip
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
    if plot_dir is not None:
        src = escape(f"{plot_dir}/{concept_id}.svg")
        block.append(f'<img src="{src}" alt="{escape(concept_id)} timeline">')
    block.append("</div>")
    return "\n".join(block)
