"""Bounds on user-given parameters, so that no setting turns a run into a hang."""

from __future__ import annotations

# Beads join at most this many sentences a side: the search grows with its square, and
# real interpretation never merges more (the gold files stop at 4).
MAX_BEAD = 8

# fetch: the most bytes one page may have once decompressed (a release page is well under
# 5 MB; a gzip bomb is refused here), and the seconds one address may take, retries included.
MAX_BYTES = 50 * 2**20
DEADLINE_S = 120.0
