"""Review actions as pure functions on one turn pair's ordered beads.

Each takes the live beads of a unit (dicts with id, src, tgt, status, note) and the index of the
acted-on bead, and returns the unit's new ordered bead list plus the beads it removed; the
service diffs the two to find what changed. Beads stay monotone: every action keeps the
sentences of each side in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INITIAL = "initial"
STATUS_ACTIONS = {"confirm": "reviewed", "final": "final", "reject": "rejected", "reopen": INITIAL}
CONTENT = ("src", "tgt", "status", "note")
Bead = dict[str, Any]


class ActionError(Exception):
    """The action makes no sense for this bead (HTTP 400); nothing was changed."""


@dataclass
class Edit:
    """A unit's beads after an action, and the beads the action removed."""

    beads: list[Bead]
    removed: list[Bead] = field(default_factory=list)


def _with(bead: Bead, **changes: Any) -> Bead:
    """A changed copy; structural changes put the bead back to unreviewed."""
    structural = "src" in changes or "tgt" in changes
    return {**bead, **({"status": INITIAL} if structural else {}), **changes}


def _new(unit: int, src: list[int], tgt: list[int]) -> Bead:
    """A bead that does not exist yet (the store gives it an id)."""
    return {"id": None, "unit": unit, "src": src, "tgt": tgt, "status": INITIAL, "note": None}


def _replace(beads: list[Bead], i: int, count: int, new: list[Bead]) -> list[Bead]:
    """beads with `count` items from i replaced by `new`."""
    return beads[:i] + new + beads[i + count :]


def _other(side: str) -> str:
    return "tgt" if side == "src" else "src"


def set_status(beads: list[Bead], i: int, action: str) -> Edit:
    """Confirm, finalise, reject or reopen one bead."""
    return Edit(_replace(beads, i, 1, [_with(beads[i], status=STATUS_ACTIONS[action])]))


def set_note(beads: list[Bead], i: int, text: str) -> Edit:
    """Attach a note (empty text clears it)."""
    return Edit(_replace(beads, i, 1, [_with(beads[i], note=text.strip() or None)]))


def merge(beads: list[Bead], i: int) -> Edit:
    """Merge a bead with the next one in the same turn pair."""
    if i + 1 >= len(beads):
        raise ActionError("no next bead in this turn pair to merge with")
    first, second = beads[i], beads[i + 1]
    merged = _with(first, src=first["src"] + second["src"], tgt=first["tgt"] + second["tgt"])
    return Edit(_replace(beads, i, 2, [merged]), [second])


def _cut(count: int, at: int | None) -> int:
    """Where to cut one side: given, or after its first sentence."""
    at = min(1, count) if at is None else at
    if not 0 <= at <= count:
        raise ActionError(f"split point {at} is outside 0..{count}")
    return at


def split(beads: list[Bead], i: int, src_at: int | None = None, tgt_at: int | None = None) -> Edit:
    """Split a bead at a sentence boundary on each side (default: after the first sentence)."""
    bead = beads[i]
    s, t = _cut(len(bead["src"]), src_at), _cut(len(bead["tgt"]), tgt_at)
    head, tail = (bead["src"][:s], bead["tgt"][:t]), (bead["src"][s:], bead["tgt"][t:])
    if not any(head) or not any(tail):
        raise ActionError(
            "nothing to split here: each part needs a sentence (to separate a 1-1 bead, "
            "insert an empty counterpart)"
        )
    first = _with(bead, src=list(head[0]), tgt=list(head[1]))
    return Edit(_replace(beads, i, 1, [first, _new(bead["unit"], list(tail[0]), list(tail[1]))]))


def shift(beads: list[Bead], i: int, side: str, direction: str) -> Edit:
    """Move the first sentence of a side to the bead above, or the last to the bead below."""
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(beads):
        raise ActionError(f"no bead {'above' if direction == 'up' else 'below'} in this turn pair")
    bead, neighbour = beads[i], beads[j]
    if not bead[side]:
        raise ActionError(f"this bead has no {side} sentence to move")
    if direction == "up":
        moved, rest = bead[side][0], bead[side][1:]
        neighbour = _with(neighbour, **{side: neighbour[side] + [moved]})
    else:
        moved, rest = bead[side][-1], bead[side][:-1]
        neighbour = _with(neighbour, **{side: [moved] + neighbour[side]})
    bead = _with(bead, **{side: rest})
    pair = [neighbour, bead] if direction == "up" else [bead, neighbour]
    kept = [b for b in pair if b["src"] or b["tgt"]]
    return Edit(_replace(beads, min(i, j), 2, kept), [b for b in pair if b not in kept])


def detach(beads: list[Bead], i: int, side: str, end: str = "last") -> Edit:
    """Insert an empty counterpart: move a side's first/last sentence into its own 1-0/0-1 bead."""
    bead = beads[i]
    if not bead[side]:
        raise ActionError(f"this bead has no {side} sentence")
    if len(bead[side]) == 1 and not bead[_other(side)]:
        raise ActionError("this sentence already has an empty counterpart")
    if end == "first":
        alone, rest = _new(bead["unit"], [], []), bead[side][1:]
        alone[side] = [bead[side][0]]
        return Edit(_replace(beads, i, 1, [alone, _with(bead, **{side: rest})]))
    alone, rest = _new(bead["unit"], [], []), bead[side][:-1]
    alone[side] = [bead[side][-1]]
    return Edit(_replace(beads, i, 1, [_with(bead, **{side: rest}), alone]))
