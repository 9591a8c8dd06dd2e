"""The shape of an action request, checked before any of it reaches the store.

Parsed by pydantic straight from the body bytes: nesting depth, Infinity/NaN, numbers beyond
SQLite's 64 bits and lists where a mapping belongs are all answered 400, never 500.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

MAX_ID = 2**53  # JavaScript's largest exact integer; far beyond any run's bead count
Id = Annotated[int, Field(ge=0, le=MAX_ID)]
Word = Annotated[str, StringConstraints(max_length=32)]


class ActionRequest(BaseModel):
    """One action as the page sends it; other keys pass through to the action handlers."""

    model_config = ConfigDict(strict=True, extra="allow")

    action: Word
    bead: Id | None = None
    versions: (
        Annotated[
            dict[Annotated[str, StringConstraints(max_length=20)], Id], Field(max_length=1000)
        ]
        | None
    ) = None
    reviewer: Annotated[str, StringConstraints(max_length=256)] | None = None
    text: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    side: Word | None = None
    direction: Word | None = None
    end: Word | None = None
    pos: Id | None = None
    src_at: Id | None = None
    tgt_at: Id | None = None


def parse_action(body: bytes) -> dict[str, Any]:
    """The request as a payload dict; ValueError with a one-line reason when malformed."""
    try:
        request = ActionRequest.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"{where + ': ' if where else ''}{first['msg']}") from None
    return request.model_dump(exclude_none=True)
