"""ASGI entry of the app: Streamlit's ``st.App`` with the routes a server must not expose closed.

``buurtkaart app`` runs ``streamlit run`` on this file. Streamlit finds the
``st.App`` instance (``app``) and serves ``main.py`` with uvicorn, with the
same routes and settings as a plain ``streamlit run main.py`` plus the
middleware below, through ``st.App``'s public ``middleware`` argument (no
patching of Streamlit). :class:`ClosedRoutes` answers 404 to
``/_stcore/metrics`` (session counts and memory use, anonymous in Streamlit
1.67, which has no setting to switch it off) before Streamlit sees the request;
:class:`~buurtkaart.app.live_http.LiveEndpoint` answers the live watchers'
``/_bk/live`` (see :mod:`buurtkaart.app.live_http`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from buurtkaart.app.live_http import LiveEndpoint

#: Path endings answered 404 (any ``server.baseUrlPath`` prefix).
CLOSED = ("/_stcore/metrics",)


class ClosedRoutes:
    """ASGI middleware: answer 404 to :data:`CLOSED` paths, pass everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        path = str(scope.get("path", "")).rstrip("/")
        if scope["type"] == "http" and path.endswith(CLOSED):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


app = st.App(Path(__file__).with_name("main.py"), middleware=[Middleware(ClosedRoutes),
                                                             Middleware(LiveEndpoint)])
