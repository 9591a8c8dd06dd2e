"""Terminology drift across events: which rendering of each concept was used when, by whom.

One row per rendering occurrence; from those, per concept and event, the share of the
preferred rendering and the dominant one; and the changes: the first appearance of a new or
non-standard rendering, and each point where the dominant rendering changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from align.errors import LOW_CONFIDENCE
from align.model import AlignedBead
from align.terms.matcher import Match, Matcher
from align.terms.model import ACCEPTED, Termbase
from align.terms.pairing import pair_texts
from align.terms.runs import read_runs

__all__ = [
    "DriftOptions",
    "drift_tables",
    "occurrences",
    "read_runs",
    "select_beads",
    "write_drift",
]

OTHER_CONCEPT, MISSING = "other-concept", "missing"
NONE_RENDERING = "(none)"
STATUS_RANK = {"preferred": 0, "admitted": 1, "superseded": 2, "deprecated": 3}
NON_STANDARD_KINDS = {"deprecated", "superseded", OTHER_CONCEPT}
BEAD_FIELDS = ("run", "event", "date", "bead_index", "tgt_kind", "src_speaker", "tgt_speaker")
OCCURRENCE_COLUMNS = [
    *BEAD_FIELDS, "concept_id", "ja_term", "rendering", "status", "surface",
    "rendering_concept", "aligned",
]  # fmt: skip


HALF_LIFE_YEARS = 1.0  # a change a year before the corpus's last event weighs half as much


@dataclass(frozen=True)
class DriftOptions:
    """Which beads count: gaps and pairs that are probably not translations are left out."""

    include_gaps: bool = False
    min_pair_confidence: float = LOW_CONFIDENCE  # 0 keeps every document pair


def _is_gap(bead: AlignedBead) -> bool:
    return not bead.src_text.strip() or not bead.tgt_text.strip()


def _pair_key(bead: AlignedBead) -> tuple[Any, ...]:
    return bead.run, bead.src_doc, bead.tgt_doc


def select_beads(
    beads: Iterable[AlignedBead],
    options: DriftOptions = DriftOptions(),
    pairs: Mapping[tuple[Any, ...], float] | None = None,
) -> tuple[list[AlignedBead], pd.DataFrame]:
    """The beads drift counts, and what was left out (reason, beads, pairs).

    A document pair's confidence is the one `pairs` gives (run.json's, keyed by run, source and
    target document), else the mean of its beads'; below the floor the two documents are
    probably not translations of each other, so their "renderings" are not.
    """
    beads = list(beads)
    totals: dict[tuple[Any, ...], list[float]] = {}
    for bead in beads:
        totals.setdefault(_pair_key(bead), []).append(float(bead.confidence))
    known = pairs or {}  # run.json's document confidence; else the mean of the pair's beads
    confidence = {k: known.get(k, sum(v) / len(v)) for k, v in totals.items()}
    low = {k for k, value in confidence.items() if value < options.min_pair_confidence}
    kept, gaps, weak = [], 0, 0
    for bead in beads:
        if _pair_key(bead) in low:
            weak += 1
        elif _is_gap(bead) and not options.include_gaps:
            gaps += 1
        else:
            kept.append(bead)
    excluded = pd.DataFrame(
        [
            {"reason": "gap bead (one side empty)", "beads": gaps, "pairs": 0},
            {
                "reason": f"document pair confidence below {options.min_pair_confidence:g}",
                "beads": weak, "pairs": len(low),
            },
        ],
        columns=["reason", "beads", "pairs"],
    )  # fmt: skip
    return kept, excluded


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


def _shares(group: pd.DataFrame) -> dict[str, pd.Series]:
    """Per event of one concept (in date order), the share of each rendering."""
    ordered = group.sort_values(["date", "event"], kind="stable")
    return {
        event: rows.rendering.value_counts(normalize=True)
        for event, rows in ordered.groupby("event", sort=False)
    }


def _years(date: str, latest: pd.Timestamp) -> float:
    when = pd.to_datetime(date, errors="coerce")
    if pd.isna(when) or pd.isna(latest):
        return 0.0
    return max(0.0, (latest - when).days / 365.25)


CONCEPT_COLUMNS = [
    "rank", "concept_id", "ja", "en", "score", "change_size", "change_date", "change_event",
    "changes", "events", "occurrences", "renderings",
]  # fmt: skip


def concept_ranking(termbase: Termbase, occ: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Concepts by size × recency of their largest change, then by how often they occur.

    The size of a change at an event is the total-variation distance between the concept's
    rendering shares there and at the previous event that used it (0 same mix, 1 all new);
    it is halved for every year between that event and the corpus's last one.
    """
    latest = pd.to_datetime(occ.date, errors="coerce").max() if len(occ) else pd.NaT
    rows = []
    for concept_id, group in occ.groupby("concept_id", sort=True):
        shares = _shares(group)
        dates = group.groupby("event").date.first()
        best = (0.0, 0.0, None)  # score, size, event
        events = list(shares)
        for before, after in zip(events, events[1:], strict=False):
            left, right = shares[before], shares[after]
            size = 0.5 * float(left.sub(right, fill_value=0).abs().sum())
            score = size * 0.5 ** (_years(dates[after], latest) / HALF_LIFE_YEARS)
            if score > best[0]:
                best = (score, size, after)
        concept = termbase.concept(concept_id)
        ja, en = concept.preferred("ja"), concept.preferred("en")
        mine = found[found.concept_id == concept_id] if len(found) else found
        rows.append(
            {
                "concept_id": concept_id, "ja": ja.text if ja else "", "en": en.text if en else "",
                "score": round(best[0], 4), "change_size": round(best[1], 4),
                "change_date": dates[best[2]] if best[2] else None, "change_event": best[2],
                "changes": len(mine), "events": len(shares), "occurrences": len(group),
                "renderings": group.rendering.nunique(),
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=[c for c in CONCEPT_COLUMNS if c != "rank"])
    frame = frame.sort_values(
        ["score", "changes", "occurrences", "concept_id"],
        ascending=[False, False, False, True], kind="stable",
    )  # fmt: skip
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def drift_tables(
    termbase: Termbase,
    beads: Iterable[AlignedBead],
    options: DriftOptions = DriftOptions(),
    pairs: Mapping[tuple[Any, ...], float] | None = None,
) -> dict[str, pd.DataFrame]:
    """concepts (ranked), occurrences, renderings (counts), events, changes and excluded."""
    kept, excluded = select_beads(beads, options, pairs)
    occ = occurrences(Matcher(termbase), kept)
    summary = event_summary(occ)
    found = changes(occ, summary) if len(occ) else pd.DataFrame()
    return {
        "concepts": concept_ranking(termbase, occ, found),
        "occurrences": occ,
        "renderings": rendering_counts(occ),
        "events": summary,
        "changes": found,
        "excluded": excluded,
    }


def write_drift(
    termbase: Termbase, tables: dict[str, pd.DataFrame], out_dir: str | Path, plots: bool = True
) -> list[Path]:
    """CSV and Parquet per table, a timeline per concept and drift.html (plots inline)."""
    from align.terms.drift_html import drift_page

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
    svgs: dict[str, bytes] = {}
    if plots and not tables["events"].empty:
        from align.terms.drift_plot import plot_concept

        (out / "plots").mkdir(exist_ok=True)
        for concept_id in sorted(set(tables["events"].concept_id)):
            paths = plot_concept(tables["renderings"], tables["changes"], concept_id, out / "plots")
            svgs[concept_id] = next(p for p in paths if p.suffix == ".svg").read_bytes()
            written += paths
    html = out / "drift.html"
    html.write_text(drift_page(termbase, tables, svgs), encoding="utf-8")
    return [*written, html]
