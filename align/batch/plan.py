"""From a config file to a checked plan: events found, files present, step modules importable.

Everything here runs before any event is touched, so a typo or a missing file costs seconds.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from align.batch.config import EventSources, FetchSettings, InlineEvent, read_config
from align.batch.manifest import read_manifest
from align.batch.spec import DocSpec, EventSpec, check_event_id
from align.batch.steps import Settings, StepPlan
from align.errors import InputError
from align.textfile import read_bytes

EVENT_STEP_NAMES = ("align", "terms")  # score runs inside align, as in `interp-align run`
STEP_MODULES = {"score": "align.scoring", "terms": "align.terms", "export": "align.export"}


@dataclass
class Plan:
    """A validated batch, ready to run."""

    config: Path
    out: Path
    events: list[EventSpec]
    steps: dict[str, dict[str, Any]]
    settings: Settings
    fetch: FetchSettings
    workers: int
    engine: str
    scheduler: str | None


def build_plan(
    config_path: Path,
    *,
    workers: int | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
    overwrite: bool = False,
    out: Path | None = None,
) -> Plan:
    """Read and check the config; command-line values override the file's."""
    config_path = Path(config_path)
    config = read_config(config_path)
    base = config_path.resolve().parent
    target = Path(out).resolve() if out else (base / config.out).resolve()
    events = resolve_events(config.events, base, config_path)
    steps = config.steps.enabled()
    plans = (_prepare_align(steps, base, config_path, config.embedder),) + tuple(
        prepare_step(name, steps[name], base, config_path)
        for name in EVENT_STEP_NAMES[1:]
        if name in steps
    )
    for name in ("export",):
        if name in steps:
            steps[name] = prepare_step(name, steps[name], base, config_path).options
    _check_embedder(config.embedder, config_path)
    cache = str((base / config.cache_dir).expanduser().resolve()) if config.cache_dir else None
    workers, engine = workers or config.workers, engine or config.engine
    scheduler = scheduler or config.scheduler
    settings = Settings(
        str(target), plans, config.embedder, cache, overwrite, event_timeout=config.event_timeout
    )
    if config.fetch.cache_dir:
        config.fetch.cache_dir = str((base / config.fetch.cache_dir).expanduser().resolve())
    return Plan(
        config_path, target, events, steps, settings, config.fetch, workers, engine, scheduler
    )


def _check_embedder(spec: str, config_path: Path) -> None:
    """The embedder spec's form (and a local model's folder) checked without loading it."""
    from align.embed import SPEC_FORMS

    kind, _, argument = spec.strip().partition(":")
    if kind == "use" and argument in ("", "sentencepiece", "pure"):
        return
    if kind == "hf" and argument.strip():
        if not Path(argument.strip()).expanduser().exists():
            raise InputError(f"embedder model folder not found: {argument.strip()}", config_path)
        return
    raise InputError(f"unknown embedder {spec!r}; valid forms: {SPEC_FORMS}", config_path)


def file_digest(path: Path) -> str:
    """A short hash of a file that a step reads, so editing it reruns the step."""
    return hashlib.sha256(read_bytes(path)).hexdigest()[:16]


def prepare_step(name: str, options: dict[str, Any], base: Path, config: Path) -> StepPlan:
    """A step's options resolved and checked; a missing module or file is a config error."""
    module = STEP_MODULES.get(name)
    if module and importlib.util.find_spec(module) is None:
        raise InputError(f"step {name!r} needs {module}, which is not installed", config)
    if name == "terms":
        return _prepare_terms(options, base, config)
    if name == "export":
        return _prepare_export(options, config)
    return StepPlan(name, dict(options))


def _prepare_align(
    steps: dict[str, dict[str, Any]], base: Path, config: Path, embedder: str
) -> StepPlan:
    """The align step, with scoring folded in as `interp-align run` does when `score` is on.

    Scoring inside the run keeps each event's report.html showing its divergence; the
    termbase (score's, else terms', else the shipped one) is hashed into the signature.
    """
    score = steps.get("score")
    if score is not None:
        if importlib.util.find_spec("align.scoring") is None:
            raise InputError("step 'score' needs align.scoring, which is not installed", config)
        unknown = sorted(set(score) - {"termbase"})
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r} in steps.score (known: termbase)", config)
    named = (score or {}).get("termbase") or steps.get("terms", {}).get("termbase")
    termbase = _termbase(named, base, config, "steps.score.termbase")
    options = {**steps["align"], "score": score is not None, "termbase": str(termbase)}
    if options.get("aligner") == "band":  # the default leaves the signature as it was
        del options["aligner"]
    return StepPlan("align", options, {"embedder": embedder, "termbase_sha": file_digest(termbase)})


def _termbase(named: str | None, base: Path, config: Path, key: str) -> Path:
    """A termbase path resolved against the config's folder, or the shipped one."""
    from align.terms import DEFAULT_TERMBASE

    termbase = (base / named).resolve() if named else DEFAULT_TERMBASE
    if not termbase.is_file():
        raise InputError(f"{key}: file not found: {termbase}", config)
    return termbase


def _prepare_terms(options: dict[str, Any], base: Path, config: Path) -> StepPlan:
    """The termbase found (the shipped one by default) and hashed into the signature."""
    termbase = _termbase(options["termbase"], base, config, "steps.terms.termbase")
    resolved = {**options, "termbase": str(termbase)}
    return StepPlan("terms", resolved, {"termbase_sha": file_digest(termbase)})


def _prepare_export(options: dict[str, Any], config: Path) -> StepPlan:
    """Formats and direction checked by the export module itself."""
    from align.export import get_format, parse_direction

    try:
        for name in options["formats"]:
            get_format(name)
        if options["direction"] is not None:
            parse_direction(options["direction"])
    except InputError as error:
        raise InputError(f"steps.export: {error}", config) from None
    return StepPlan("export", dict(options))


def resolve_events(sources: EventSources, base: Path, config: Path) -> list[EventSpec]:
    """Every event the config names, ids unique, local files present."""
    events: list[EventSpec] = []
    for pattern in sources.glob:
        events.extend(_glob_events(pattern, base, config))
    for manifest in sources.manifest:
        events.extend(read_manifest((base / manifest).resolve()))
    events.extend(_inline_event(entry, base, config) for entry in sources.inline)
    seen: dict[str, str] = {}
    for event in events:
        if event.id in seen:
            raise InputError(
                f"event id {event.id!r} given twice ({seen[event.id]}; {event.origin})", config
            )
        seen[event.id] = event.origin
    return events


def _glob_events(pattern: str, base: Path, config: Path) -> list[EventSpec]:
    """Folders matching the pattern (relative to the config); files it matches are ignored."""
    expanded = str(Path(pattern).expanduser())
    matches = sorted(glob.glob(expanded if Path(expanded).is_absolute() else str(base / expanded)))
    folders = [Path(m).resolve() for m in matches if Path(m).is_dir()]
    if not folders:
        raise InputError(f"events.glob {pattern!r} matches no folder", config)
    return [
        EventSpec(check_event_id(f.name, str(f)), f"glob {pattern}", folder=str(f)) for f in folders
    ]


def _inline_event(entry: InlineEvent, base: Path, config: Path) -> EventSpec:
    """An event written in the config, its files resolved against the config's folder."""
    check_event_id(entry.id, str(config))
    documents = []
    for doc in entry.documents:
        path = None
        if doc.file:
            path = (base / doc.file).resolve()
            if not path.is_file():
                message = f"events.inline {entry.id}: document file not found: {path}"
                raise InputError(message, config)
        documents.append(DocSpec.located(doc, str(path) if path else None))
    return EventSpec(
        entry.id, f"{config} (inline)", date=entry.date, title=entry.title,
        licence=entry.licence, documents=tuple(documents),
    )  # fmt: skip
