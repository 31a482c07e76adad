"""The live endpoint: ``GET <base>/_bk/live?t=TOKEN`` answers ``{"seq": N, "here": "..."}``.

An open page's watcher (:mod:`buurtkaart.app.live_watch`) asks this about once a
second instead of running a Streamlit fragment: a request here costs a token check
and, for the first asker of a map in :data:`~buurtkaart.app.live_head.HEAD_TTL_S`,
one index-only query; the page's fragment runs only when the answer differs from
what the page shows. The token (:mod:`buurtkaart.auth.livetoken`) names the map;
the answer tells nothing of the map's content.

:class:`LiveEndpoint` is ASGI middleware of the ``st.App`` (``app/asgi.py``): it
answers the path under any ``server.baseUrlPath`` and passes every other request on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from buurtkaart._errors import BuurtkaartError, PermissionDenied
from buurtkaart.app import data, live_head
from buurtkaart.auth import livetoken
from buurtkaart.core.ports import LiveReader

#: The endpoint's path ending (after any ``server.baseUrlPath``).
PATH = "/_bk/live"

#: Headers of every answer: never cached, never sniffed, never framed.
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}

log = logging.getLogger(__name__)


def answer(token: str, store: LiveReader | None, now: float | None = None) -> dict[str, Any] | None:
    """Return the endpoint's answer for ``token``: the map's newest event and who is there.

    With ``store`` None only the process's shared numbers are used (no I/O), and None
    is returned when one of them must be read again.

    Raises
    ------
    PermissionDenied
        A bad, foreign or expired token (:func:`buurtkaart.auth.livetoken.verify`).
    """
    map_id, _user = livetoken.verify(livetoken.process_key(), token, time.time())
    if store is None:
        cached = live_head.peek(map_id, now)
        return None if cached is None else {"seq": cached[0], "here": cached[1]}
    return {"seq": live_head.newest(store, map_id, now), "here": live_head.here(store, map_id, now)}


def _respond(token: str, open_store: Callable[[], LiveReader] | None) -> tuple[int, dict[str, Any]]:
    """Return ``(status, body)`` for one request; status 0: a read is due (no ``open_store``)."""
    try:
        body = answer(token, None if open_store is None else open_store())
    except PermissionDenied as exc:
        return 403, {"error": str(exc)}
    except BuurtkaartError as exc:  # the store is away for a moment: the watcher asks again
        log.warning("live endpoint: %s", exc)
        return 503, {"error": "store unavailable"}
    return (0, {}) if body is None else (200, body)


def _store() -> LiveReader:
    """Return the app's one opened store (the page runs' own, from Streamlit's resource cache)."""
    return data.raw_store()


class LiveEndpoint:
    """ASGI middleware: answer ``GET …/_bk/live``; pass every other request on."""

    def __init__(self, app: ASGIApp, open_store: Callable[[], LiveReader] = _store) -> None:
        self.app = app
        self.open_store = open_store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http" or not str(scope.get("path", "")).endswith(PATH):
            await self.app(scope, receive, send)
            return
        if scope.get("method") != "GET":
            response = JSONResponse({"error": "GET only"}, status_code=405,
                                    headers={**HEADERS, "Allow": "GET"})
            await response(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("t") or [""])[0]
        status, body = _respond(token, None)  # in the loop: the token and the shared numbers
        if status == 0:  # a database read is due: in a worker thread
            status, body = await run_in_threadpool(_respond, token, self.open_store)
        await JSONResponse(body, status_code=status, headers=HEADERS)(scope, receive, send)
