"""The review web app: one page of beads, a JSON action endpoint, fresh HTML per turn pair.

Every text reaches the browser through Jinja2 with autoescaping on, and the page runs no inline
script (CSP `script-src 'self'`), so a transcript holding `<script>` is shown, never run.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from align.model import Scores
from align.review.actions import ActionError
from align.review.history import Conflict, History, NotFound
from align.review.records import store_pairs
from align.review.requests import parse_action
from align.review.rescore import Rescorer, resolve
from align.review.security import (
    MAX_BODY,
    BodyLimit,
    HostCheck,
    SecurityHeaders,
    TokenGate,
    csrf_problem,
)
from align.review.store import open_store
from align.review.view import Viewer

HERE = Path(__file__).parent
DEFAULT_THRESHOLD = 0.5
KEYS = (
    ("j / k", "next / previous bead"),
    ("c", "confirm (and go to the next bead)"),
    ("x", "reject"),
    ("m", "merge with the next bead"),
    ("s", "split (before the clicked sentence, else after the first)"),
    ("u / r", "undo / redo"),
    ("e", "correct the clicked sentence"),
    ("o", "note"),
    ("n / f / d", "next unconfirmed / flagged / above the divergence threshold"),
)


def _environment() -> jinja2.Environment:
    """Templates with autoescaping forced on (the .j2 suffix would defeat select_autoescape)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _reviewer(payload: dict[str, Any], default: str) -> str:
    """The reviewer named in a request (printable, at most 64 characters) or the default."""
    name = payload.get("reviewer")
    if isinstance(name, str):
        name = " ".join(name.split())[:64]
        if name and name.isprintable():
            return name
    return default


class ReviewApp:
    """Endpoints over one run's review store."""

    def __init__(self, run_dir: Path, reviewer: str, rescore: bool = True) -> None:
        self.store = open_store(run_dir)
        self.rescorer = Rescorer(self.store) if rescore else None
        if self.rescorer is not None:
            self.rescorer.warm_up()
        self.history = History(self.store)
        self.viewer = Viewer(self.store)
        self.env = _environment()
        self.csrf = secrets.token_urlsafe(32)
        self.reviewer = reviewer
        self.run_name = Path(run_dir).resolve().name

    def _context(self) -> dict[str, Any]:
        first = self.store.records[0]
        return {"src_lang": first.src_lang, "tgt_lang": first.tgt_lang}

    def _render_page(self) -> str:
        scores = self._scores()
        with self.store.lock:
            units, counts = self.viewer.units(scores=scores), self.store.counts()
        return self.env.get_template("review.html.j2").render(
            units=units,
            counts=counts,
            csrf=self.csrf,
            reviewer=self.reviewer,
            title=self.run_name,
            keys=KEYS,
            threshold=DEFAULT_THRESHOLD,
            **self._context(),
        )

    def render_unit(self, unit: int) -> str:
        """The HTML of one turn pair, as the page shows it."""
        scores = self._scores()
        with self.store.lock:
            (view,) = self.viewer.units(unit, scores)
        return self.env.get_template("_unit.html.j2").render(unit=view, **self._context())

    def _scores(self) -> dict[int, Scores | None]:
        """The reviewed state's scores by bead id (fresh, or marked stale)."""
        with self.store.lock:
            pairs = store_pairs(self.store)
            return {i: b.scores for i, b in zip([i for i, _ in pairs], resolve(self.store, pairs),
                                                 strict=True)}  # fmt: skip

    async def page(self, request: Request) -> Response:
        return HTMLResponse(await run_in_threadpool(self._render_page))

    async def unit(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        if uid not in self.store.units:
            return JSONResponse({"ok": False, "message": f"no turn pair {uid}"}, 404)
        return JSONResponse({"id": uid, "html": await run_in_threadpool(self.render_unit, uid)})

    async def beads(self, request: Request) -> Response:
        """Live beads as JSON (scripts, tests, the benchmark)."""
        with self.store.lock:
            rows = self.store.beads()
        keys = ("id", "unit", "src", "tgt", "status", "note", "version", "updated_by")
        return JSONResponse([{k: row[k] for k in keys} for row in rows])

    async def counts(self, request: Request) -> Response:
        with self.store.lock:
            return JSONResponse(self.store.counts())

    async def audit(self, request: Request) -> Response:
        """The audit log: who did what to which bead, and when."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT id, at, reviewer, action, bead, state, target FROM audit ORDER BY id"
            ).fetchall()
        keys = ("id", "at", "reviewer", "action", "bead", "state", "target")
        return JSONResponse([dict(zip(keys, row, strict=True)) for row in rows])

    async def action(self, request: Request) -> Response:
        """Apply one action (JSON body); answers with the changed turn pairs' fresh HTML."""
        problem = csrf_problem(request, self.csrf)
        if problem:
            return JSONResponse({"ok": False, "message": problem[1]}, problem[0])
        try:
            payload = parse_action(await request.body())
        except ValueError as error:
            return JSONResponse({"ok": False, "message": f"malformed request: {error}"}, 400)
        return await run_in_threadpool(self._perform, payload)

    def _perform(self, payload: dict[str, Any]) -> Response:
        try:
            outcome = self.history.perform(_reviewer(payload, self.reviewer), payload)
        except ActionError as error:
            return self._reply(400, str(error), [])
        except Conflict as error:
            return self._reply(409, str(error), [error.unit] if error.unit else [])
        except NotFound as error:
            return self._reply(404, str(error), [])
        if self.rescorer is not None:
            self.rescorer.after_edit(_reviewer(payload, self.reviewer))
        return self._reply(200, outcome.message, outcome.units, outcome.focus)

    def _reply(
        self, status: int, message: str, units: list[int], focus: int | None = None
    ) -> Response:
        with self.store.lock:
            counts = self.store.counts()
        body = {
            "ok": status == 200,
            "message": message,
            "focus": focus,
            "counts": counts,
            "units": [{"id": u, "html": self.render_unit(u)} for u in units],
        }
        return JSONResponse(body, status)


def create_app(
    run_dir: Path,
    *,
    token: str | None = None,
    reviewer: str = "reviewer",
    allowed_hosts: list[str] | None = None,
    max_body: int = MAX_BODY,
    rescore: bool = True,
) -> Starlette:
    """The ASGI app for one run; opens (or creates) RUN_DIR/review.sqlite right away."""
    review = ReviewApp(run_dir, reviewer, rescore)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        review.store.close()

    routes = [
        Route("/", review.page),
        Route("/api/action", review.action, methods=["POST"]),
        Route("/api/units/{uid:int}", review.unit),
        Route("/api/beads", review.beads),
        Route("/api/counts", review.counts),
        Route("/api/audit", review.audit),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(HostCheck, allowed=allowed_hosts))
    middleware += [Middleware(TokenGate, token=token), Middleware(BodyLimit, limit=max_body)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.review = review
    return app
