"""Security terminology: TBX/CSV termbase, JA/EN term matching, per-bead checks, drift.

Nothing heavy loads on import: lxml, SudachiPy, the automaton and matplotlib are imported by
the functions that need them.
"""

from __future__ import annotations

from align.terms.load import DEFAULT_TERMBASE, load_termbase
from align.terms.model import Concept, Term, Termbase

__all__ = ["DEFAULT_TERMBASE", "Concept", "Term", "Termbase", "load_termbase"]
