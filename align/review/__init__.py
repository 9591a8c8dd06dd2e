"""Review app: translators confirm and correct alignments; exports read the reviewed state.

`reviewed_records` and `has_review` need no web framework; the web app (Starlette,
uvicorn, Jinja2) is imported by `align.review.app` and `align.review.server` alone.
"""

from __future__ import annotations

from align.review.records import has_review, reviewed_beads, reviewed_records

__all__ = ["has_review", "reviewed_beads", "reviewed_records"]
