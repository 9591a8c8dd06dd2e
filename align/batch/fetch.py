"""Release pages from the web into an event folder (documents + event.yaml) that `run` reads.

Pages are saved as UTF-8 with a byte-order mark after decoding with the charset the server
declared (so a Shift_JIS page stays readable even when its <meta> says otherwise: a BOM wins
over <meta>, as in browsers); pages with no declared charset are decoded by align.ingest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from align.batch.http import Page, PoliteClient
from align.batch.spec import KINDS, DocSpec, EventSpec
from align.errors import InputError
from align.limits import DEADLINE_S, MAX_BYTES
from align.rundir import atomic_write

EVENT_FILE = "event.yaml"


@dataclass
class Fetched:
    """One saved page with what was read from it."""

    file: Path
    url: str
    language: str
    kind: str | None
    title: str | None
    date: str | None


def make_client(settings: object | None = None) -> PoliteClient:
    """A client configured from FetchSettings (or defaults); the cache defaults to the user's."""
    from align.embed.cache import default_cache_dir

    get = (
        (lambda name, default: getattr(settings, name, default))
        if settings
        else (lambda name, default: default)
    )
    cache = get("cache_dir", None)
    return PoliteClient(
        cache_dir=Path(cache) if cache else default_cache_dir() / "http",
        rate_limit=get("rate_limit", 1.0),
        retries=get("retries", 3),
        timeout=get("timeout", 30.0),
        user_agent=get("user_agent", None),
        max_bytes=get("max_bytes", MAX_BYTES),
        deadline=get("deadline", DEADLINE_S),
    )


def page_text(page: Page) -> str:
    """The page decoded with its declared charset, else by align.ingest's detector."""
    if page.charset:
        try:
            return page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header: fall back to detection
    from align.ingest.decode import decode

    return decode(page.body, page.url)[0]


def _slug(url: str) -> str:
    """A file-name-safe stem from the address's last path segment."""
    parts = urlsplit(url)
    last = Path(parts.path.rstrip("/")).stem or parts.netloc
    return re.sub(r"[^A-Za-z0-9._-]+", "_", last).strip("._") or "page"


def _is_html(page: Page, text: str) -> bool:
    return "html" in page.content_type.lower() or text.lstrip()[:200].lower().startswith(
        ("<!doctype html", "<html")
    )


def save_page(
    page: Page, folder: Path, taken: set[str], language: str | None, kind: str | None
) -> Fetched:
    """Write one page as <lang>_<slug>.html|.txt and read its language, title and date back."""
    from align.ingest import read_document

    text = page_text(page)
    suffix = ".html" if _is_html(page, text) else ".txt"
    draft = folder / f".draft_{_slug(page.final_url)}{suffix}"
    atomic_write(draft, "\ufeff" + text.lstrip("\ufeff"))
    try:
        document = read_document(draft, language=language, kind=kind)
    except InputError as error:
        draft.unlink(missing_ok=True)
        raise InputError(f"{error} (fetched page)", page.url) from None
    stem = f"{document.language}_{_slug(page.final_url)}"
    while stem in taken:
        stem += "_"
    taken.add(stem)
    target = folder / f"{stem}{suffix}"
    draft.replace(target)
    return Fetched(target, page.url, document.language, kind, document.title, document.date)


def _save_accepted(
    client: PoliteClient,
    url: str,
    folder: Path,
    taken: set[str],
    language: str | None,
    kind: str | None,
) -> Fetched:
    """Download and save one page; only a page the reader accepted enters the HTTP cache."""
    page = client.get(url, store=False)
    saved = save_page(page, folder, taken, language, kind)
    if not page.from_cache:
        client.store(page)
    return saved


def _kinds(fetched: list[Fetched]) -> list[str]:
    """Given kinds, else: Japanese pages are originals and the rest translations."""
    has_ja = any(f.language == "ja" for f in fetched)
    kinds = []
    for index, item in enumerate(fetched):
        if item.kind:
            kinds.append(item.kind)
        elif has_ja:
            kinds.append("original" if item.language == "ja" else "translation")
        else:
            kinds.append("original" if index == 0 else "translation")
    return kinds


def fetch_event(
    urls: Sequence[str],
    out: Path,
    client: PoliteClient,
    *,
    kinds: Sequence[str] = (),
    languages: Sequence[str] = (),
    title: str | None = None,
    date: str | None = None,
    licence: str | None = None,
    force: bool = False,
) -> Path:
    """Download every address into `out` and write its event.yaml; returns the event.yaml path."""
    for name, values in (("--kind", kinds), ("--lang", languages)):
        if values and len(values) != len(urls):
            raise InputError(f"give {name} once per URL ({len(values)} for {len(urls)} URLs)")
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InputError(f"unknown kind {bad[0]!r} (use one of {', '.join(KINDS)})")
    if out.exists() and not out.is_dir():
        raise InputError("--out exists and is not a directory", out)
    meta_path = out / EVENT_FILE
    if meta_path.exists() and not force:
        raise InputError("event.yaml exists (pass --force to replace it)", meta_path)
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    fetched = [
        _save_accepted(
            client,
            url,
            out,
            taken,
            languages[i] if languages else None,
            kinds[i] if kinds else None,
        )
        for i, url in enumerate(urls)
    ]
    _write_event_yaml(meta_path, fetched, title, date, licence)
    return meta_path


def _write_event_yaml(
    path: Path, fetched: list[Fetched], title: str | None, date: str | None, licence: str | None
) -> None:
    """event.yaml in the layout align.ingest.event reads; originals lend the title and date."""
    kinds = _kinds(fetched)
    ordered = sorted(zip(fetched, kinds, strict=True), key=lambda fk: fk[1] != "original")
    data: dict = {
        "date": date or next((f.date for f, _ in ordered if f.date), None),
        "title": title or next((f.title for f, _ in ordered if f.title), None),
        "licence": licence,
        "documents": [
            {"file": f.file.name, "language": f.language, "kind": kind, "source": f.url}
            for f, kind in zip(fetched, kinds, strict=True)
        ],
    }
    data = {k: v for k, v in data.items() if v is not None}
    atomic_write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def fetch_event_documents(event: EventSpec, root: Path, client: PoliteClient) -> EventSpec:
    """A batch event whose addresses are downloaded to root/<event>/ and replaced by files."""
    if not event.urls:
        return event
    folder = root / event.id
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    documents = []
    for doc in event.documents:
        if doc.path:
            documents.append(doc)
            continue
        saved = _save_accepted(client, doc.url, folder, taken, doc.language, doc.kind)
        documents.append(DocSpec.located(doc, str(saved.file)))
    return event.with_documents(tuple(documents))
