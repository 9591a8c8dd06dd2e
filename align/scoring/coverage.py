"""Partial omissions and additions: a clause of one side with no counterpart in the other.

Each source clause is compared with every window of 1-3 consecutive target clauses (and the
whole target): `best` is its highest cosine, `z` sets that against the clause's cosines with
target windows of *other* beads of the document (how well it matches text it does not
render), and `gain` is how much the bead's similarity rises when the clause is left out of the
source (positive when the target never rendered it). The same is done the other way round for
additions. The composite model (composite.py) turns these into the omission/addition labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from align.embed.base import Pieces
from align.scoring.anchors import NUMBER, Anchor, renders
from align.scoring.clauses import Span, clauses, windows
from align.scoring.segment import Segment
from align.scoring.vectors import VectorBank

WINDOW = 3  # longest run of consecutive clauses a clause may be matched against
MAX_RANDOM = 300  # random windows per group used to calibrate clause matches
MIN_RANDOM = 20
# Absence given to a bead with no clause holding a missing anchor: the median absence of
# content clauses in the untouched official beads of the fit half (-5.2), i.e. "as well
# matched as a typical rendered clause".
NO_ANCHOR = -5.0
# Leave-one-out gain given to a side of one clause, where leaving the clause out is undefined
# (0 would read as "the bead loses nothing without it", i.e. as omission evidence): the median
# gain of content clauses in the untouched beads of the fit half, per side (JA -0.109, EN -0.046).
NO_GAIN = {"om": -0.11, "ad": -0.05}
FULL_WEIGHT = {"ja": 16, "zh": 16}  # content characters (or 4x words) that count as a full clause
NAMED_SHARE = 0.4  # JA clause credited when rendered names make this share of its content
NAMED_EN_WORDS = 8  # EN clause credited when this short and holding a name the JA has
_DISCOURSE = re.compile(
    r"^(?:\(?\d+[.)]\s*)?(?:これに対して|そして|また|まず|特に|次に|冒頭|こうした中|さらに|一方|なお|その上で"
    r"|in addition|in particular|first|second|third|finally|also|moreover|furthermore|in response"
    r"|at the outset|against this backdrop)[、,]?\s*",
    re.IGNORECASE,
)


@dataclass
class Clause:
    """One clause of one side and how well the other side renders it."""

    text: str
    span: Span
    weight: float  # content size in [0, 1]: discourse markers and tiny pieces weigh little
    best: float = 0.0
    z: float = 0.0
    gain: float = 0.0
    missing_anchors: list[str] = field(default_factory=list)  # JA names the EN does not keep
    credited: bool = False  # mostly names the other side renders: not a dropped/added clause

    @property
    def absence(self) -> float:
        """Higher = more likely unrendered: a poor calibrated match and a similarity gain."""
        return self.weight * (-self.z + 10.0 * self.gain)


@dataclass
class SidePieces:
    """The clauses of one side, its windows and its leave-one-out variants."""

    language: str
    text: str
    clauses: list[Clause]
    windows: list[str]
    leave_one_out: list[str]
    window_members: list[tuple[int, ...]] = field(default_factory=list)  # clause indices

    @property
    def key(self) -> tuple[str, str]:
        return ("clauses", self.text)

    def as_pieces(self) -> Pieces:
        """Clauses, windows and leave-one-out variants as pieces of the side (vectors.py)."""
        n = len(self.clauses)
        loo = [tuple(j for j in range(n) if j != i) for i in range(n)] if self.leave_one_out else []
        members = [(i,) for i in range(n)] + self.window_members + loo
        texts = [c.text for c in self.clauses] + self.windows + self.leave_one_out
        parts = tuple(c.text for c in self.clauses)
        return Pieces(parts, tuple(members), tuple(texts))

    def vectors(self, bank: VectorBank, texts: list[str]) -> np.ndarray:
        return bank.pieces(self.key, texts)


@dataclass
class Coverage:
    """Clause coverage of both sides of one bead."""

    src: list[Clause] = field(default_factory=list)
    tgt: list[Clause] = field(default_factory=list)

    @staticmethod
    def worst(side: list[Clause]) -> Clause | None:
        """The clause most likely unrendered, among those that carry content."""
        live = [c for c in side if not c.credited]
        content = [c for c in live if c.weight >= 0.5] or live
        return max(content, key=lambda c: c.absence, default=None)

    @staticmethod
    def suspect(side: list[Clause]) -> Clause | None:
        """The clause to quote: one holding a name the other side lacks, else the worst."""
        anchored = [c for c in side if c.missing_anchors]
        if anchored:
            return max(anchored, key=lambda c: c.absence)
        return Coverage.worst(side)

    def attach(self, anchors: list[Anchor]) -> None:
        """Note in each source clause the anchors it holds that the target does not keep, and
        credit the clauses on either side that are mostly names the other side renders
        (「ブリンケン長官から、」, "with our colleagues – Foreign Minister Hayashi,")."""
        for anchor in anchors:
            for clause in self.src:
                if not anchor.found and clause.span[0] <= anchor.start < clause.span[1]:
                    clause.missing_anchors.append(anchor.text)
        found = [a for a in anchors if a.found and a.kind != NUMBER]
        for clause in self.src:
            inside = [a for a in found if clause.span[0] <= a.start < clause.span[1]]
            named = sum(a.end - a.start for a in inside)
            clause.credited = (
                bool(inside)
                and not clause.missing_anchors
                and (named >= NAMED_SHARE * max(_content_chars(clause.text), 1))
            )
        for clause in self.tgt:
            words = len(re.findall(r"[A-Za-z]+", clause.text))
            named = any(renders(a, clause.text) for a in found)
            clause.credited = words <= NAMED_EN_WORDS and named

    def features(self, prefix: str, side: list[Clause]) -> dict[str, float]:
        """min z, max gain and the worst clause's weight, over clauses that carry content.

        `anchor_absence` is the highest absence among clauses holding an anchor the other
        side lacks (anchors.py): a missing name in a clause that also matches poorly is a
        dropped clause, while one in a well-matched clause is a name merely left unsaid
        (能登半島地震 rendered "the disaster"). Without such a clause it is NO_ANCHOR.
        A side of one clause has no leave-one-out gain; it gets NO_GAIN.
        """
        live = [c for c in side if not c.credited]
        content = [c for c in live if c.weight >= 0.5] or live
        worst = self.worst(side)
        anchored = [c.absence for c in side if c.missing_anchors]
        gain = max((c.gain for c in content), default=NO_GAIN.get(prefix, 0.0))
        if len(side) == 1:
            gain = NO_GAIN.get(prefix, 0.0)
        return {
            f"{prefix}_min_z": min((c.z for c in content), default=5.0),
            f"{prefix}_max_gain": gain,
            f"{prefix}_absence": worst.absence if worst else (NO_ANCHOR if side else 0.0),
            f"{prefix}_anchor_absence": max(anchored, default=NO_ANCHOR),
            f"{prefix}_clauses": float(len(side)),
        }


def _weight(text: str, language: str) -> float:
    body = _DISCOURSE.sub("", text)
    if language in FULL_WEIGHT:
        size = len(re.sub(r"[\s\W\d_]+", "", body))
        return min(size / FULL_WEIGHT[language], 1.0)
    return min(len(re.findall(r"[A-Za-z]+", body)) / 5.0, 1.0)


def _content_chars(text: str) -> int:
    return len(re.sub(r"[\s\W\d_]+", "", text))


def _joiner(language: str) -> str:
    return "" if language in ("ja", "zh") else " "


def pieces(text: str, language: str, full: bool = True) -> SidePieces:
    """Clauses, windows and leave-one-out texts of one side (`full=False`: the clauses' texts
    and the windows only, unweighted, for a side that only lends its windows to the pools)."""
    spans = clauses(text, language)
    runs = windows(spans, WINDOW)
    wins = [text[a:b] for a, b in runs]
    if not full:
        return SidePieces(
            language, text, [Clause(text[a:b], (a, b), 0.0) for a, b in spans], wins, []
        )
    items = [Clause(text[a:b], (a, b), _weight(text[a:b], language)) for a, b in spans]
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    members = [tuple(range(starts.index(a), ends.index(b) + 1)) for a, b in runs]
    glue = _joiner(language)
    loo = (
        [glue.join(c.text for j, c in enumerate(items) if j != i) for i in range(len(items))]
        if len(items) > 1
        else []
    )
    return SidePieces(language, text, items, wins, loo, members)


def request(bank: VectorBank, side: SidePieces, full: bool = True) -> None:
    """Ask the bank for what one side's coverage needs (`full=False`: its windows only).

    A side of one clause is its own clause and window (its text, embedded already); the pieces
    of a longer side are pooled from one pass over it where the embedder can (vectors.py).
    """
    bank.want([side.text])
    if len(side.clauses) <= 1:
        bank.want([c.text for c in side.clauses] + side.windows)
    elif full or bank.pooled:
        bank.want_pieces(side.key, side.as_pieces())
    else:
        bank.want(side.windows)


def compute(
    segments: list[Segment], bank: VectorBank, prior: dict, deep: list[bool] | None = None
) -> list[Coverage | None]:
    """Coverage of every two-sided segment in `deep` (None for the others); embeds the bank.

    A bead the screen cleared (screen.py) gets no coverage but still lends its windows to the
    other beads' random pools, so their calibration is the same as without the screen (a side
    of one clause is its only window, embedded already).
    """
    deep = deep if deep is not None else [True] * len(segments)
    parts = [
        (pieces(s.src, s.src_lang, full), pieces(s.tgt, s.tgt_lang, full)) if s.both else None
        for s, full in zip(segments, [keep or bank.pooled for keep in deep], strict=True)
    ]
    for pair, keep in zip(parts, deep, strict=True):
        for side in pair or ():  # a cleared bead: only its windows, for the random pools
            request(bank, side, full=keep)
    bank.embed()
    groups: dict[str, list[int]] = defaultdict(list)
    for index, segment in enumerate(segments):
        if parts[index]:
            groups[segment.group].append(index)
    out: list[Coverage | None] = [None] * len(segments)
    for members in groups.values():
        origins = [segments[j].origin or str(j) for j in members]
        pools = [_Pool(bank, [parts[j][side] for j in members], origins) for side in (1, 0)]  # type: ignore[index]
        for index, origin in zip(members, origins, strict=True):
            if not deep[index]:
                continue
            src, tgt = parts[index]  # type: ignore[misc]
            out[index] = Coverage(
                _match(src, tgt, bank, pools[0].sample(origin, index), prior),
                _match(tgt, src, bank, pools[1].sample(origin, index), prior),
            )
    return out


class _Pool:
    """The windows of one side of a group's beads, for calibrating clause matches."""

    def __init__(self, bank: VectorBank, sides: list[SidePieces], origins: list[str]) -> None:
        self.texts = [w for side in sides for w in side.windows]
        # origins by number: the same mask as comparing the strings, without object compares
        self._codes = {o: i for i, o in enumerate(dict.fromkeys(origins))}
        self.origins = np.array(
            [self._codes[o] for side, o in zip(sides, origins, strict=True) for _ in side.windows],
            dtype=np.int64,
        )
        if not bank.pooled:  # every window is a row of its own: one gather gives the same rows
            self.vectors = bank.get(self.texts)
            return
        rows = [side.vectors(bank, side.windows) for side in sides if side.windows]
        self.vectors = np.vstack(rows) if rows else bank.get([])

    def sample(self, origin: str, seed: int) -> np.ndarray:
        """Up to MAX_RANDOM windows of beads of other origins (seeded by the bead's index)."""
        code = self._codes.get(origin, -1)
        chosen = np.flatnonzero(self.origins != code) if len(self.texts) else np.zeros(0, int)
        if len(chosen) > MAX_RANDOM:
            rng = np.random.default_rng(seed)
            chosen = chosen[np.sort(rng.choice(len(chosen), MAX_RANDOM, replace=False))]
        return self.vectors[chosen]


def _match(
    side: SidePieces, other: SidePieces, bank: VectorBank, random: np.ndarray, prior: dict
) -> list[Clause]:
    """Fill best, z and gain for every clause of `side` against `other`."""
    if not side.clauses:
        return []
    vectors = side.vectors(bank, [c.text for c in side.clauses])
    best = (vectors @ other.vectors(bank, other.windows).T).max(axis=1)
    if len(random) >= MIN_RANDOM:
        scores = vectors @ random.T
        mean, sd = scores.mean(axis=1), np.maximum(scores.std(axis=1), 1e-3)
    else:
        mean = np.full(len(vectors), prior["random_mean"])
        sd = np.full(len(vectors), prior["random_sd"])
    whole = float(bank.one(side.text) @ bank.one(other.text))
    gains = (
        side.vectors(bank, side.leave_one_out) @ bank.one(other.text) - whole
        if side.leave_one_out
        else np.zeros(len(vectors))
    )
    for k, clause in enumerate(side.clauses):
        clause.best = float(best[k])
        clause.z = float((best[k] - mean[k]) / sd[k])
        clause.gain = float(gains[k])
    return side.clauses
