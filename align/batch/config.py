"""The batch configuration file: YAML checked against a strict schema before any work starts.

Unknown keys are errors (as in OpusFilter), so a typo never silently turns a step off. See
scripts/batch/README.md for every key; `scripts/batch/*.yaml` are working examples.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from align.errors import LOW_CONFIDENCE, InputError
from align.limits import DEADLINE_S, MAX_BEAD, MAX_BYTES
from align.yamlfile import load_mapping

STEP_ORDER = ("align", "score", "terms", "export", "report")
DEFAULT_STEPS = {"align": {}, "score": {}, "report": {}}  # what `interp-align run` does, + index


class _Strict(BaseModel):
    """A mapping whose unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


def _as_list(value: Any) -> Any:
    """Let a single string stand for a one-item list."""
    return [value] if isinstance(value, str) else value


def _as_text(value: Any) -> Any:
    """YAML reads 2024-07-23 as a date: keep dates as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


class DocumentEntry(_Strict):
    """One document of an inline event: `file` (relative to the config) or `url`."""

    file: str | None = None
    url: str | None = None
    language: str | None = None
    kind: Literal["original", "interpretation", "translation"] | None = None
    source: str | None = None
    id: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_location(self) -> DocumentEntry:
        if (self.file is None) == (self.url is None):
            raise ValueError("give exactly one of 'file' or 'url'")
        return self


class InlineEvent(_Strict):
    """An event written out in the config itself."""

    id: str
    date: str | None = None
    title: str | None = None
    licence: str | None = None
    documents: list[DocumentEntry] = Field(min_length=1)

    _date = field_validator("date", mode="before")(_as_text)


class EventSources(_Strict):
    """Where the events come from; all three may be combined (ids must stay unique)."""

    glob: list[str] = []
    manifest: list[str] = []
    inline: list[InlineEvent] = []

    _lists = field_validator("glob", "manifest", mode="before")(_as_list)

    @model_validator(mode="after")
    def _some(self) -> EventSources:
        if not (self.glob or self.manifest or self.inline):
            raise ValueError("give at least one of glob, manifest or inline")
        return self


class AlignStep(_Strict):
    """Options of `interp-align run` for each event."""

    max_bead: int = Field(3, ge=1, le=MAX_BEAD)
    pictures: bool = True
    aligner: Literal["band", "twostep"] = "band"


class TermsStep(_Strict):
    """Term checks per event, and drift across the corpus."""

    termbase: str | None = None
    drift: bool = True
    plots: bool = True
    include_gaps: bool = False  # drift: count 1-0 / 0-1 beads too
    min_pair_confidence: float = Field(LOW_CONFIDENCE, ge=0, le=1)  # drift: 0 keeps every pair


class ExportStep(_Strict):
    """One parallel corpus file per format, built from every event that aligned."""

    formats: list[str] = ["tmx"]
    name: str = "corpus"
    direction: str | None = None  # tmx/xliff: the original first; other formats: en-ja
    min_confidence: float | None = None
    max_divergence: float | None = None
    bead_types: list[str] | None = None
    reviewed_only: bool = False
    dedupe: bool = False
    include_gaps: bool = False

    _formats = field_validator("formats", mode="before")(_as_list)


class ReportStep(_Strict):
    """The index page linking every event's report."""

    title: str = "Batch report"


class Steps(_Strict):
    """The steps to run; present means on (an empty value takes the defaults)."""

    align: AlignStep | None = None
    score: dict[str, Any] | None = None
    terms: TermsStep | None = None
    export: ExportStep | None = None
    report: ReportStep | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_means_defaults(cls, data: Any) -> Any:
        if isinstance(data, list):  # `steps: [align, report]`
            data = {name: {} for name in data}
        if isinstance(data, dict):
            data = {k: ({} if v is None else v) for k, v in data.items()}
            data.setdefault("align", {})  # every other step reads the run directory
        return data

    def enabled(self) -> dict[str, Any]:
        """name -> options, in the order the steps run."""
        chosen = {}
        for name in STEP_ORDER:
            value = getattr(self, name)
            if value is not None:
                chosen[name] = value if isinstance(value, dict) else value.model_dump()
        return chosen


class FetchSettings(_Strict):
    """How addresses in the events are downloaded (see `interp-align fetch`)."""

    rate_limit: float = Field(1.0, ge=0, le=60)
    retries: int = Field(3, ge=0, le=10)
    timeout: float = Field(30.0, gt=0, le=600)
    max_bytes: int = Field(MAX_BYTES, gt=0, le=2**31)
    deadline: float = Field(DEADLINE_S, gt=0, le=24 * 3600)
    cache_dir: str | None = None
    user_agent: str | None = None


class BatchConfig(_Strict):
    """The whole file."""

    out: str
    events: EventSources
    steps: Steps = Field(default_factory=lambda: Steps.model_validate(DEFAULT_STEPS))
    embedder: str = "use"
    cache_dir: str | None = None
    workers: int = Field(1, ge=1, le=256)
    event_timeout: float | None = Field(None, gt=0, le=7 * 24 * 3600)
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    fetch: FetchSettings = FetchSettings()


def read_config(path: Path) -> BatchConfig:
    """Parse and validate; every problem is one InputError naming the file and the key."""
    data = load_mapping(path, "config file")
    try:
        return BatchConfig.model_validate(data)
    except ValidationError as error:
        raise InputError(describe(error), path) from None


def describe(error: ValidationError) -> str:
    """The first validation problem in one line, naming the key as a dotted path."""
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    parent, key = ".".join(loc[:-1]), loc[-1] if loc else ""
    if first["type"] == "extra_forbidden":
        if parent == "steps":
            return f"unknown step {key!r} (known: {', '.join(STEP_ORDER)})"
        return f"unknown key {key!r}" + (f" in {parent}" if parent else "")
    if first["type"] == "missing":
        return f"missing key {key!r}" + (f" in {parent}" if parent else "")
    message = first["msg"].removeprefix("Value error, ")
    return f"{'.'.join(loc)}: {message}" if loc else message
