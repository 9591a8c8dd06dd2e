"""Bounds on user-given parameters, so that no setting turns a run into a hang."""

from __future__ import annotations

# Beads join at most this many sentences a side: the search grows with its square, and
# real interpretation never merges more (the gold files stop at 4).
MAX_BEAD = 8
