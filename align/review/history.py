"""Applying review actions: version checks, one transaction each, the audit log, undo and redo.

Every action records the unit's bead order and the touched beads before and after, plus the
versions it left. Undo and redo restore one of those snapshots, but only while the beads still
carry those versions: nobody's later work is ever overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from align.review import actions
from align.review.actions import CONTENT, ActionError, Bead, Edit
from align.review.store import Store, now, transaction

FIELDS = (*CONTENT, "alive")
UNDOABLE_STATE = "done"


class Conflict(Exception):
    """The client acted on a stale view (HTTP 409); the unit is sent back fresh."""

    def __init__(self, message: str, unit: int | None) -> None:
        super().__init__(message)
        self.unit = unit


class NotFound(Exception):
    """No such bead (HTTP 404)."""


@dataclass
class Outcome:
    """What an action changed: a message, the units to redraw, the bead to focus."""

    message: str
    units: list[int]
    focus: int | None


def _content(bead: Bead) -> dict[str, Any]:
    return {k: bead.get(k, 1 if k == "alive" else None) for k in FIELDS}


def _dead() -> dict[str, Any]:
    return {"src": [], "tgt": [], "status": "initial", "note": None, "alive": 0}


def _write_bead(conn: sqlite3.Connection, bead_id: int, data: dict[str, Any], who: str) -> int:
    """Store a bead's content, bump its version, return the new version."""
    conn.execute(
        "UPDATE bead SET src = ?, tgt = ?, status = ?, note = ?, alive = ?, "
        "version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
        (
            json.dumps(data["src"]),
            json.dumps(data["tgt"]),
            data["status"],
            data["note"],
            data["alive"],
            who,
            now(),
            bead_id,
        ),
    )
    return conn.execute("SELECT version FROM bead WHERE id = ?", (bead_id,)).fetchone()[0]


def _insert_bead(conn: sqlite3.Connection, unit: int, who: str) -> int:
    """A new, empty bead row (content is written next); its id."""
    cursor = conn.execute(
        "INSERT INTO bead (unit, ord, src, tgt, alive, version, updated_by, updated_at) "
        "VALUES (?, -1, '[]', '[]', 0, 0, ?, ?)",
        (unit, who, now()),
    )
    return int(cursor.lastrowid)


def _write_order(conn: sqlite3.Connection, order: list[int]) -> None:
    """Renumber a unit's live beads; order is unit data, so no bead version changes."""
    conn.executemany(
        "UPDATE bead SET ord = ? WHERE id = ?", [(float(i), b) for i, b in enumerate(order)]
    )


def _write_sentences(conn: sqlite3.Connection, unit: int, sentences: list[dict[str, Any]]) -> None:
    conn.executemany(
        "UPDATE sentence SET corrected = ? WHERE unit = ? AND side = ? AND pos = ?",
        [(s["corrected"], unit, s["side"], s["pos"]) for s in sentences],
    )


def _versions(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, version FROM bead WHERE id IN ({marks})", ids)
    return dict(rows.fetchall())


def _check_versions(expected: dict[str, Any], beads: list[Bead]) -> None:
    """Refuse an action unless the client saw the current version of every bead it changes."""
    for bead in beads:
        seen = expected.get(str(bead["id"]))
        if seen is None or int(seen) != bead["version"]:
            raise Conflict(
                "this bead was changed by someone else since your page showed it; "
                "it has been refreshed: check it and try again",
                bead["unit"],
            )


def _text(payload: dict[str, Any], limit: int = 10_000) -> str:
    text = payload.get("text")
    if not isinstance(text, str) or len(text) > limit:
        raise ActionError(f"'text' must be a string of at most {limit} characters")
    return text


def _choice(payload: dict[str, Any], key: str, options: tuple[str, ...]) -> str:
    value = payload.get(key, options[0])
    if value not in options:
        raise ActionError(f"'{key}' must be one of {', '.join(options)}")
    return value


def _index(payload: dict[str, Any], key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ActionError(f"'{key}' must be an integer")
    return value


SIDE = ("src", "tgt")
Handler = Callable[[list[Bead], int, dict[str, Any]], Edit]
HANDLERS: dict[str, Handler] = {
    **{
        name: (lambda b, i, p, n=name: actions.set_status(b, i, n))
        for name in actions.STATUS_ACTIONS
    },
    "note": lambda b, i, p: actions.set_note(b, i, _text(p)),
    "merge": lambda b, i, p: actions.merge(b, i),
    "split": lambda b, i, p: actions.split(b, i, _index(p, "src_at"), _index(p, "tgt_at")),
    "shift": lambda b, i, p: actions.shift(
        b, i, _choice(p, "side", SIDE), _choice(p, "direction", ("up", "down"))
    ),
    "detach": lambda b, i, p: actions.detach(
        b, i, _choice(p, "side", SIDE), _choice(p, "end", ("last", "first"))
    ),
}
ACTIONS = (*HANDLERS, "edit", "undo", "redo")


class History:
    """Performs actions on one store for named reviewers."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def perform(self, reviewer: str, payload: dict[str, Any]) -> Outcome:
        """Run one action from a request body; raises ActionError, Conflict or NotFound."""
        name = payload.get("action")
        if name not in ACTIONS:
            raise ActionError(f"unknown action {name!r}; expected one of {', '.join(ACTIONS)}")
        with self.store.lock, transaction(self.store.conn) as conn:
            if name in ("undo", "redo"):
                return self._replay(conn, reviewer, name)
            return self._act(conn, reviewer, name, payload)

    def _bead(self, payload: dict[str, Any]) -> Bead:
        bead_id = payload.get("bead")
        if not isinstance(bead_id, int) or isinstance(bead_id, bool):
            raise ActionError("'bead' must be a bead id")
        bead = self.store.bead(bead_id)
        if bead is None:
            raise NotFound(f"no bead {bead_id}")
        if not bead["alive"]:
            raise Conflict(
                "this bead was merged away or removed since your page showed it", bead["unit"]
            )
        return bead

    def _edit_sentence(self, beads: list[Bead], i: int, payload: dict[str, Any]) -> list[dict]:
        """The sentence correction an 'edit' asks for (original text is kept separately)."""
        side, pos, text = _choice(payload, "side", SIDE), _index(payload, "pos"), _text(payload)
        bead = beads[i]
        if pos not in bead[side]:
            raise ActionError(f"sentence {side}:{pos} is not in this bead")
        text = " ".join(text.split())
        if not text:
            raise ActionError("a corrected sentence cannot be empty (move or detach it instead)")
        original = self.store.originals[(bead["unit"], side, pos)][1]
        return [{"side": side, "pos": pos, "corrected": None if text == original else text}]

    def _sentences_now(self, unit: int, changes: list[dict]) -> list[dict]:
        current = self.store.corrections(unit)
        return [{**c, "corrected": current.get((unit, c["side"], c["pos"]))} for c in changes]

    def _plan(self, name: str, beads: list[Bead], i: int, payload: dict[str, Any]) -> tuple:
        """The edit an action makes, the sentence corrections, and the beads it touches."""
        if name == "edit":
            return Edit(list(beads)), self._edit_sentence(beads, i, payload), [beads[i]]
        edit = HANDLERS[name](beads, i, payload)
        after = {b["id"]: _content(b) for b in edit.beads if b["id"] is not None}
        after |= {b["id"]: _dead() for b in edit.removed}
        return edit, [], [b for b in beads if after.get(b["id"]) != _content(b)]

    def _act(
        self, conn: sqlite3.Connection, who: str, name: str, payload: dict[str, Any]
    ) -> Outcome:
        """Apply one bead action in the open transaction and log it."""
        target = self._bead(payload)
        expected = payload.get("versions") or {}
        if not isinstance(expected, dict):
            raise ActionError("'versions' must map bead ids to the versions the page showed")
        _check_versions(expected, [target])  # a stale view is told so before anything else
        unit = target["unit"]
        beads = self.store.beads(unit)
        i = next(k for k, b in enumerate(beads) if b["id"] == target["id"])
        edit, sentences, touched = self._plan(name, beads, i, payload)
        new = [b for b in edit.beads if b["id"] is None]
        if not touched and not new:
            return Outcome("no change", [unit], target["id"])
        _check_versions(expected, touched)
        prior = {str(b["id"]): b["version"] for b in touched}
        before = {
            "unit": unit,
            "order": [b["id"] for b in beads],
            "beads": {b["id"]: _content(b) for b in touched},
            "sentences": self._sentences_now(unit, sentences),
        }
        for bead in new:
            bead["id"] = _insert_bead(conn, unit, who)
            before["beads"][bead["id"]] = _dead()
            prior[str(bead["id"])] = 0
        final = {b["id"]: _content(b) for b in edit.beads} | {
            b["id"]: _dead() for b in edit.removed
        }
        after = {
            "unit": unit,
            "order": [b["id"] for b in edit.beads],
            "beads": {bid: final[bid] for bid in before["beads"]},
            "sentences": sentences,
        }
        versions = self._apply(conn, after, who)
        conn.execute(
            "UPDATE audit SET state = 'dropped' WHERE reviewer = ? AND state = 'undone'", (who,)
        )
        logged = {"now": versions, "prior": prior}
        self._log(conn, who, name, target["id"], payload, before, after, logged, UNDOABLE_STATE)
        live = after["order"]
        focus = (
            target["id"] if target["id"] in live else live[min(i, len(live) - 1)] if live else None
        )
        return Outcome(_MESSAGES.get(name, name), [unit], focus)

    def _apply(
        self, conn: sqlite3.Connection, snapshot: dict[str, Any], who: str
    ) -> dict[str, int]:
        """Write a snapshot's beads, order and sentences; return the beads' new versions."""
        versions = {}
        for bid, data in snapshot["beads"].items():
            versions[str(bid)] = _write_bead(conn, int(bid), data, who)
        _write_order(conn, [int(b) for b in snapshot["order"]])
        _write_sentences(conn, snapshot["unit"], snapshot["sentences"])
        return versions

    def _log(
        self,
        conn: sqlite3.Connection,
        who: str,
        name: str,
        bead: int | None,
        params: dict[str, Any],
        before: Any,
        after: Any,
        versions: Any,
        state: str,
        target: int | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO audit (at, reviewer, action, bead, params, before, after, versions, "
            "state, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                who,
                name,
                bead,
                json.dumps(params, ensure_ascii=False),
                json.dumps(before) if before else None,
                json.dumps(after) if after else None,
                json.dumps(versions) if versions else None,
                state,
                target,
            ),
        )

    def _replay(self, conn: sqlite3.Connection, who: str, name: str) -> Outcome:
        """Undo the reviewer's latest action, or redo the latest one they undid."""
        sql = (
            "SELECT id, bead, before, after, versions FROM audit WHERE reviewer = ? AND "
            + (
                "state = 'done' ORDER BY id DESC"
                if name == "undo"
                else "state = 'undone' ORDER BY undo_seq DESC"
            )
            + " LIMIT 1"
        )
        row = conn.execute(sql, (who,)).fetchone()
        if row is None:
            raise ActionError(f"nothing to {name}")
        entry, bead, before, after, logged = row
        before, after, logged = json.loads(before), json.loads(after), json.loads(logged)
        versions, prior = _now_and_prior(logged)
        now_state, restore = (after, before) if name == "undo" else (before, after)
        unit = now_state["unit"]
        self._check_replay(conn, unit, now_state, versions, name)
        new_versions = self._apply(conn, restore, who)
        self._carry_versions(conn, who, entry, prior, new_versions)
        seq = conn.execute("SELECT coalesce(max(undo_seq), 0) + 1 FROM audit").fetchone()[0]
        conn.execute(
            "UPDATE audit SET state = ?, versions = ?, undo_seq = ? WHERE id = ?",
            (
                "undone" if name == "undo" else "done",
                json.dumps({"now": new_versions, "prior": versions}),
                seq,
                entry,
            ),
        )
        self._log(
            conn, who, name, bead, {"action": name, "entry": entry}, None, None, None, "log", entry
        )
        live = [int(b) for b in restore["order"]]
        focus = bead if bead in live else (live[0] if live else None)
        return Outcome(f"{name} done", [unit], focus)

    def _carry_versions(
        self, conn: sqlite3.Connection, who: str, entry: int, restored: dict[str, int],
        new: dict[str, int],
    ) -> None:  # fmt: skip
        """Entries of the reviewer that left the beads in the state a replay restored now expect
        the versions the replay gave them, so a second undo (or redo) can follow the first.

        `restored` holds the versions the beads had when last in that state.
        """
        rows = conn.execute(
            "SELECT id, versions FROM audit WHERE reviewer = ? AND state IN ('done', 'undone') "
            "AND id != ?",
            (who, entry),
        ).fetchall()
        for other, text in rows:
            versions, prior = _now_and_prior(json.loads(text))
            carried = {
                b: new[b] if b in new and v == restored.get(b) else v for b, v in versions.items()
            }
            if carried != versions:
                logged = json.dumps({"now": carried, "prior": prior})
                conn.execute("UPDATE audit SET versions = ? WHERE id = ?", (logged, other))

    def _check_replay(
        self,
        conn: sqlite3.Connection,
        unit: int,
        state: dict[str, Any],
        versions: dict[str, int],
        name: str,
    ) -> None:
        """Undo/redo only while nobody has changed the beads or the turn pair's order since."""
        current = _versions(conn, [int(b) for b in versions])
        order = [b["id"] for b in self.store.beads(unit)]
        stale = any(current.get(int(b)) != v for b, v in versions.items())
        if stale or order != [int(b) for b in state["order"]]:
            raise Conflict(
                f"cannot {name}: this turn pair was changed since by another action", unit
            )


def _now_and_prior(logged: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """An entry's versions: those it left (`now`) and those of the state it replaced."""
    if "now" in logged:
        return logged["now"], logged.get("prior", {})
    return logged, {}  # entries logged before `prior` was kept


_MESSAGES = {
    "confirm": "confirmed",
    "final": "marked final",
    "reject": "rejected",
    "reopen": "reopened",
    "note": "note saved",
    "merge": "merged with the next bead",
    "split": "split",
    "shift": "sentence moved",
    "detach": "empty counterpart inserted",
    "edit": "correction saved",
}
