"""The live watcher: a small v2 component that wakes the live fragment only on news.

An open page does not run a Streamlit fragment every second to learn that nothing
happened. A watcher (``static/js/buurtkaart-watch.js``, mounted by
:mod:`buurtkaart.app.live`) asks the app's live endpoint
(:mod:`buurtkaart.app.live_http`) every :data:`WATCH_MS` for the map's newest
event number and who-is-here fingerprint, compares them with what the page
shows, and wakes the page (a trigger value) only when they differ: the whole
page when it is mounted outside the live fragment, the fragment alone when inside.
An idle page costs the server one small HTTP answer per second and one fragment
run per heartbeat (``store.presence.BEAT_S``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart.app import live_http
from buurtkaart.auth import livetoken

#: Milliseconds between two questions of the watcher to the live endpoint (the live
#: latency is about this plus one page run).
WATCH_MS = 1000

#: Milliseconds the watcher waits for its woken fragment to run before it asks again.
WAIT_MS = 4000

#: When the endpoint cannot answer, every this many failed questions wake the fragment,
#: which then polls the store itself (another replica's token after a restart, a hiccup).
FALLBACK_EVERY = 2

_JS = (Path(__file__).parent / "static" / "js" / "buurtkaart-watch.js").read_text("utf-8")

_component = st.components.v2.component("buurtkaart_live_watch", js=_JS,
                                        html="<span hidden></span>")


def endpoint_url() -> str:
    """Return the live endpoint's path under this server's ``server.baseUrlPath``."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return ("/" + base if base else "") + live_http.PATH


def payload(map_id: str, user: str, seq: int, here: str, soon: bool, run: int,
            after_s: float = 0.0, what: str = "both",
            now: float | None = None) -> dict[str, Any]:
    """Return the data the watcher compares with: what the page shows, and how to ask.

    ``soon``: wake the fragment without asking (news wait for a redraw, or holes to ask
    for again); ``after_s``: not before this many seconds after this render; ``what``:
    wake on a newer event (``"seq"``), on a presence change (``"here"``) or on both.
    """
    token = livetoken.issue(livetoken.process_key(), map_id, user,
                            time.time() if now is None else now)
    return {"url": endpoint_url(), "token": token, "seq": int(seq), "here": here,
            "soon": bool(soon), "run": int(run), "after_ms": round(max(0.0, after_s) * 1000),
            "what": what,
            "every_ms": WATCH_MS, "wait_ms": WAIT_MS,
            "fallback_every": FALLBACK_EVERY}


def watch(map_id: str, user: str, seq: int, here: str, soon: bool, run: int,
          after_s: float = 0.0, what: str = "both") -> None:
    """Mount a watcher (one per ``what`` and run); its wake reruns what it is mounted in."""
    _component(key=f"bk_live_watch_{what}",
               data=payload(map_id, user, seq, here, soon, run, after_s, what),
               on_news_change=lambda: None)
