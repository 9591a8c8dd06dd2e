"""Terminology drift across events: which rendering of each concept was used when, by whom.

One row per rendering occurrence; from those, per concept and event, the share of the
preferred rendering and the dominant one; and the changes: the first appearance of a new or
non-standard rendering, and each point where the dominant rendering changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from align.model import AlignedBead
from align.terms.matcher import Match, Matcher
from align.terms.model import ACCEPTED, Termbase
from align.terms.pairing import pair_texts
from align.terms.runs import read_runs

__all__ = ["drift_tables", "occurrences", "read_runs", "write_drift"]

OTHER_CONCEPT, MISSING = "other-concept", "missing"
NONE_RENDERING = "(none)"
STATUS_RANK = {"preferred": 0, "admitted": 1, "superseded": 2, "deprecated": 3}
NON_STANDARD_KINDS = {"deprecated", "superseded", OTHER_CONCEPT}
BEAD_FIELDS = ("run", "event", "date", "bead_index", "tgt_kind", "src_speaker", "tgt_speaker")
OCCURRENCE_COLUMNS = [
    *BEAD_FIELDS, "concept_id", "ja_term", "rendering", "status", "surface",
    "rendering_concept", "aligned",
]  # fmt: skip


def _bead_fields(bead: AlignedBead) -> dict[str, Any]:
    return {
        "run": bead.run, "event": bead.event, "date": bead.date, "bead_index": bead.bead_index,
        "tgt_kind": bead.tgt_kind, "src_speaker": bead.src_speaker,
        "tgt_speaker": bead.tgt_speaker,
    }  # fmt: skip


def _row(bead: AlignedBead, concept_id: str, ja: Match | None, **values: Any) -> dict:
    row = _bead_fields(bead)
    row["date"] = str(row["date"]) if row["date"] is not None else ""
    row.update(concept_id=concept_id, ja_term=ja.surface if ja else None, aligned=ja is not None)
    row.update(values)
    return row


def bead_occurrences(matcher: Matcher, bead: AlignedBead) -> list[dict]:
    """Per JA concept what the English used (or its stand-in), plus English-only terms."""
    pairing = pair_texts(matcher, bead.src_text, bead.tgt_text)
    rows: list[dict] = []
    for use in pairing.uses:
        cid, ja = use.concept_id, use.ja
        rows += [
            _rendering(bead, cid, ja, m, e.term.text, e.term.status) for m, e in use.renderings
        ]
        rows += [
            _rendering(bead, cid, ja, m, m.entries[0].term.text, OTHER_CONCEPT)
            for m in use.stand_in
        ]
        if not use.renderings and not use.stand_in:
            rows.append(
                _row(bead, cid, ja, rendering=NONE_RENDERING, status=MISSING, surface="",
                     rendering_concept=None)
            )  # fmt: skip
    for match in pairing.leftover():
        rows += [
            _rendering(bead, e.concept.id, None, match, e.term.text, e.term.status)
            for e in match.entries
        ]
    return rows


def _rendering(bead: AlignedBead, concept_id: str, ja: Match | None, match: Match, text: str,
               status: str) -> dict:  # fmt: skip
    return _row(
        bead, concept_id, ja, rendering=text, status=status, surface=match.surface,
        rendering_concept=match.entries[0].concept.id,
    )  # fmt: skip


def occurrences(matcher: Matcher, beads: Iterable[AlignedBead]) -> pd.DataFrame:
    rows = [row for bead in beads for row in bead_occurrences(matcher, bead)]
    return pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)


def _dominant(group: pd.DataFrame) -> str:
    """Most frequent rendering; ties go to the better status, then alphabetical order."""
    counts = group.groupby(["rendering", "status"]).size().reset_index(name="n")
    counts["rank"] = counts.status.map(STATUS_RANK).fillna(9)
    return counts.sort_values(["n", "rank", "rendering"], ascending=[False, True, True]).iloc[0][
        "rendering"
    ]


def event_summary(occ: pd.DataFrame) -> pd.DataFrame:
    """Per concept and event: occurrences, share of the preferred rendering, dominant rendering."""
    records = []
    for (concept_id, date, event), group in occ.groupby(["concept_id", "date", "event"], sort=True):
        records.append(
            {
                "concept_id": concept_id, "date": date, "event": event, "occurrences": len(group),
                "preferred_share": float((group.status == "preferred").mean()),
                "accepted_share": float(group.status.isin(ACCEPTED).mean()),
                "dominant": _dominant(group),
                "renderings": "; ".join(sorted(set(group.rendering))),
                "sides": "; ".join(sorted(set(group.tgt_kind.dropna()))),
            }
        )  # fmt: skip
    return pd.DataFrame(records)


def rendering_counts(occ: pd.DataFrame) -> pd.DataFrame:
    """Counts per concept, event, date, side, speaker and rendering, with the share per event."""
    keys = ["concept_id", "date", "event", "tgt_kind", "tgt_speaker", "rendering", "status"]
    counts = occ.fillna({"tgt_kind": "", "tgt_speaker": ""}).groupby(keys).size()
    counts = counts.reset_index(name="count")
    totals = counts.groupby(["concept_id", "event"])["count"].transform("sum")
    counts["share"] = counts["count"] / totals
    return counts


def changes(occ: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """First appearances of new or non-standard renderings, and dominant-rendering changes."""
    records: list[dict] = []
    ordered = occ.sort_values(["date", "event", "bead_index"], kind="stable")
    for _, group in ordered.groupby("concept_id", sort=True):
        first_event = group.iloc[0]["event"]
        for _, row in group.drop_duplicates("rendering").iterrows():
            kind = _first_kind(row, first_event)
            same = (group.rendering == row.rendering) & (group.event == row.event)
            if kind:
                records.append(_change(row, kind, None, int(same.sum())))
    for concept_id, group in summary.sort_values(["date", "event"]).groupby("concept_id"):
        previous = None
        for _, row in group.iterrows():
            if previous is not None and row.dominant != previous:
                status = occ[(occ.concept_id == concept_id) & (occ.rendering == row.dominant)]
                records.append(
                    {
                        "concept_id": concept_id, "kind": "dominant_change", "date": row.date,
                        "event": row.event, "rendering": row.dominant,
                        "status": status.status.iloc[0], "previous": previous,
                        "side": row.sides, "speaker": None, "count": int(row.occurrences),
                    }
                )  # fmt: skip
            previous = row.dominant
    columns = ["concept_id", "kind", "date", "event", "rendering", "status", "previous", "side",
               "speaker", "count"]  # fmt: skip
    return pd.DataFrame(records, columns=columns).sort_values(["date", "concept_id", "kind"])


def _first_kind(row: pd.Series, first_event: str) -> str | None:
    if row.status in NON_STANDARD_KINDS:
        return "deprecated_rendering"
    if row.status == MISSING:
        return "omission"
    return "new_rendering" if row.event != first_event else None


def _change(row: pd.Series, kind: str, previous: str | None, count: int) -> dict:
    return {
        "concept_id": row.concept_id, "kind": kind, "date": row.date, "event": row.event,
        "rendering": row.rendering, "status": row.status, "previous": previous,
        "side": row.tgt_kind, "speaker": row.tgt_speaker, "count": count,
    }  # fmt: skip


def drift_tables(termbase: Termbase, beads: Iterable[AlignedBead]) -> dict[str, pd.DataFrame]:
    """occurrences, renderings (counts), events (per-event summary) and changes."""
    occ = occurrences(Matcher(termbase), beads)
    summary = event_summary(occ)
    return {
        "occurrences": occ,
        "renderings": rendering_counts(occ),
        "events": summary,
        "changes": changes(occ, summary) if len(occ) else pd.DataFrame(),
    }


def write_drift(
    termbase: Termbase, tables: dict[str, pd.DataFrame], out_dir: str | Path, plots: bool = True
) -> list[Path]:
    """CSV and Parquet per table, drift.html (the report section) and a timeline per concept."""
    from align.terms.drift_html import drift_section

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        for path, write in (
            (out / f"{name}.csv", frame.to_csv),
            (out / f"{name}.parquet", frame.to_parquet),
        ):
            write(path, index=False)
            written.append(path)
    if plots and not tables["events"].empty:
        from align.terms.drift_plot import plot_concept

        (out / "plots").mkdir(exist_ok=True)
        for concept_id in sorted(set(tables["events"].concept_id)):
            written += plot_concept(
                tables["renderings"], tables["changes"], concept_id, out / "plots"
            )
    html = out / "drift.html"
    html.write_text(drift_section(termbase, tables, "plots" if plots else None), encoding="utf-8")
    return [*written, html]
