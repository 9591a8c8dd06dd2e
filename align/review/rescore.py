"""Scores of the reviewed state: recomputed in memory after an edit, kept in review.sqlite.

A bead's scores depend on its texts and on its document pair (the similarity signal is a z-score
against the pair's own random pairs), so a document pair is rescored whole. A pair is current
when its beads' texts are the aligner's (the alignment's own scores hold) or match the texts of
its last rescoring; otherwise its scores are marked stale, on the page and in every export.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from align.model import AlignedBead, Scores
from align.review.store import Store, now, transaction

if TYPE_CHECKING:
    from align.scoring.run import ScoringContext

TABLE = (
    "CREATE TABLE IF NOT EXISTS pair_scores (grp TEXT PRIMARY KEY, digest TEXT NOT NULL, "
    "body TEXT NOT NULL, scored_at TEXT NOT NULL)"
)


def group(bead: AlignedBead) -> str:
    """The unit of calibration: one document pair."""
    return f"{bead.src_doc}__{bead.tgt_doc}"


def _digest(beads: list[AlignedBead]) -> str:
    texts = [[b.src_text, b.tgt_text] for b in beads]
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _by_group(beads: list[tuple[int, AlignedBead]]) -> dict[str, list[tuple[int, AlignedBead]]]:
    groups: dict[str, list[tuple[int, AlignedBead]]] = defaultdict(list)
    for bead_id, bead in beads:
        groups[group(bead)].append((bead_id, bead))
    return groups


def _stored(store: Store) -> dict[str, tuple[str, dict[str, dict]]]:
    """The last rescoring of each document pair: its texts' digest and scores by bead id."""
    tables = store.conn.execute("SELECT name FROM sqlite_master WHERE name = 'pair_scores'")
    if tables.fetchone() is None:
        return {}
    rows = store.conn.execute("SELECT grp, digest, body FROM pair_scores").fetchall()
    return {grp: (digest, json.loads(body)) for grp, digest, body in rows}


def _original(store: Store) -> dict[str, str]:
    groups: dict[str, list[AlignedBead]] = defaultdict(list)
    for record in store.records:
        groups[group(record)].append(record)
    return {grp: _digest(beads) for grp, beads in groups.items()}


def _stale(bead: AlignedBead) -> AlignedBead:
    return replace(bead, scores=replace(bead.scores, stale=True)) if bead.scores else bead


def resolve(store: Store, beads: list[tuple[int, AlignedBead]]) -> list[AlignedBead]:
    """The reviewed beads (with their store ids) carrying the scores of the current state."""
    original, stored = _original(store), _stored(store)
    current: dict[int, AlignedBead] = {}
    for grp, members in _by_group(beads).items():
        digest = _digest([b for _, b in members])
        if digest == original.get(grp):
            current.update(members)
        elif grp in stored and stored[grp][0] == digest:
            scores = stored[grp][1]
            current.update(
                (i, replace(b, scores=Scores.from_dict(scores[str(i)]))) for i, b in members
            )
        else:
            current.update((i, _stale(b)) for i, b in members)
    return [current[i] for i, _ in beads]


def pending(store: Store, beads: list[tuple[int, AlignedBead]]) -> list[str]:
    """Document pairs whose reviewed texts have no current scores."""
    original, stored = _original(store), _stored(store)
    out = []
    for grp, members in _by_group(beads).items():
        digest = _digest([b for _, b in members])
        if digest != original.get(grp) and stored.get(grp, ("",))[0] != digest:
            out.append(grp)
    return out


def rescore(
    store: Store, beads: list[tuple[int, AlignedBead]], context: ScoringContext,
    groups: list[str] | None = None,
) -> list[str]:  # fmt: skip
    """Score the named document pairs (default: the pending ones) afresh and store the scores."""
    from align.scoring.run import score_beads

    groups = pending(store, beads) if groups is None else groups
    members = _by_group(beads)
    results = {}
    for grp in groups:
        ids = [i for i, _ in members[grp]]
        fresh = score_beads([replace(b, scores=None) for _, b in members[grp]], context)
        body = {str(i): b.scores.to_dict() for i, b in zip(ids, fresh, strict=True) if b.scores}
        results[grp] = (_digest([b for _, b in members[grp]]), body)
    with store.lock, transaction(store.conn) as conn:
        conn.execute(TABLE)
        for grp, (digest, body) in results.items():
            conn.execute(
                "INSERT OR REPLACE INTO pair_scores VALUES (?, ?, ?, ?)",
                (grp, digest, json.dumps(body, ensure_ascii=False), now()),
            )
    return groups


class Rescorer:
    """Rescoring after each edit, with the scoring models loaded on first need.

    Where scoring cannot run (no embedder, a model error) the failure goes to the audit log and
    the beads stay marked stale.
    """

    def __init__(self, store: Store, embedder: str = "use") -> None:
        self.store = store
        self.embedder = embedder
        self._context: ScoringContext | None = None
        self._loading = threading.Lock()
        self.scored = any(r.scores for r in store.records)  # an unscored run stays unscored

    def context(self) -> ScoringContext:
        """The scoring models, loaded once (an edit arriving meanwhile waits for them)."""
        with self._loading:
            if self._context is None:
                from align.embed import load_embedder
                from align.scoring.run import scoring_context

                context = scoring_context(load_embedder(self.embedder))
                context.embedder.embed(["準備", "warm-up"])  # the backend initialises lazily
                self._context = context
        return self._context

    def warm_up(self) -> None:
        """Load the models in the background so the first edit is rescored without waiting."""
        if not self.scored:
            return

        def load() -> None:
            with contextlib.suppress(Exception):  # an edit that needs the models reports it
                self.context()

        threading.Thread(target=load, name="rescore-warm-up", daemon=True).start()

    def after_edit(self, reviewer: str) -> list[str]:
        """Rescore what the last edit changed; the document pairs rescored."""
        from align.errors import AlignError
        from align.review.records import store_pairs

        if not self.scored:
            return []
        with self.store.lock:
            beads = store_pairs(self.store)
            if not pending(self.store, beads):
                return []
            try:
                return rescore(self.store, beads, self.context())
            except (AlignError, OSError, ImportError) as error:
                self._log_failure(reviewer, str(error))
                return []

    def _log_failure(self, reviewer: str, message: str) -> None:
        """An audit entry saying the edited beads' scores are stale, and why."""
        params = json.dumps({"action": "rescore", "error": message}, ensure_ascii=False)
        with transaction(self.store.conn) as conn:
            conn.execute(
                "INSERT INTO audit (at, reviewer, action, params, state) "
                "VALUES (?, ?, 'rescore', ?, 'log')",
                (now(), reviewer, params),
            )
