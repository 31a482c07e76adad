"""Idle Streamlit sessions at the websocket level, for bench/live.py (issue 15).

A real Chromium session costs a few hundred MB and a good part of a core on this
2-core machine; 20 of them measure the browsers more than the app. A
:class:`WsSession` speaks Streamlit's own protocol (protobuf over
``/_stcore/stream``) the way the browser does for an idle page: it opens the app,
fills and submits the login form (widget ids from the elements the server sends),
and then, like the frontend, asks for each ``run_every`` fragment's rerun at the
interval the server announced (``ForwardMsg.auto_rerun``). The replica does exactly
the work of an open, idle page: the live poll, heartbeats, presence. It draws
nothing and runs no JavaScript, so the map's frame costs the replica nothing here
(it costs nothing in a browser either: it is served once as static files).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


class WsSession(threading.Thread):
    """One logged-in, idle app session over a websocket, until ``until`` (monotonic)."""

    def __init__(self, url: str, cookie: str, user: str, password: str, until: float) -> None:
        super().__init__(daemon=True)
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.cookie, self.user, self.password, self.until = cookie, user, password, until
        self.page_hash = ""
        self.fragments: dict[str, float] = {}
        self.widgets: dict[str, str] = {}
        self.runs = 0
        self.fragment_runs = 0
        self.watches: dict[str, tuple[dict[str, Any], float]] = {}  # what -> (data, when)
        self.asks = 0
        self.ask_errors = 0
        self.woken = 0
        self.why: dict[str, int] = {}
        self.error: str | None = None
        self.ready = threading.Event()

    def _send(self, ws: Any, **state: Any) -> None:
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = ""
        client.page_script_hash = self.page_hash
        for wid, kind, value in state.pop("widgets", []):
            widget = client.widget_states.widgets.add()
            widget.id = wid
            setattr(widget, kind, value)
        if state.get("fragment_id"):
            client.fragment_id = state["fragment_id"]
            client.is_auto_rerun = True
        ws.send(msg.SerializeToString())

    def _read(self, ws: Any, timeout: float) -> bool:
        """Read messages until a run finished or ``timeout``; return whether one did."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                raw = ws.recv(timeout=max(0.05, end - time.monotonic()))
            except TimeoutError:
                return False
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif kind == "page_info_changed" or kind == "navigation":
                if kind == "navigation" and msg.navigation.page_script_hash:
                    self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._widget(msg.delta.new_element)
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = float(msg.auto_rerun.interval)
            elif kind == "script_finished":
                return True
        return False

    def _widget(self, element: Any) -> None:
        kind = element.WhichOneof("type")
        if kind == "bidi_component" and element.bidi_component.component_name.endswith(
                "live_watch"):
            data = json.loads(element.bidi_component.json or "{}")
            self.watches[str(data.get("what", "both"))] = (data, time.monotonic())
        if kind == "text_input":
            self.widgets[element.text_input.label] = element.text_input.id
        elif kind == "button" and element.button.is_form_submitter:
            self.widgets["submit"] = element.button.id

    def _login(self, ws: Any, labels: tuple[str, str]) -> None:
        self._send(ws)
        for _ in range(3):
            if self._read(ws, 120) and "submit" in self.widgets:
                break
        name_id, pw_id = self.widgets[labels[0]], self.widgets[labels[1]]
        self._send(ws, widgets=[(name_id, "string_value", self.user),
                                (pw_id, "string_value", self.password),
                                (self.widgets["submit"], "trigger_value", True)])
        deadline = time.monotonic() + 120
        while not self.fragments and time.monotonic() < deadline:
            self._read(ws, 5)
        if not self.fragments:
            msg = f"{self.user}: no live fragment after the login"
            raise RuntimeError(msg)

    def run(self) -> None:
        from buurtkaart.i18n import t

        try:
            with connect(self.url, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                         additional_headers={"Cookie": f"bk_sticky={self.cookie}"}) as ws:
                self._login(ws, (t("login.name", "nl"), t("login.password", "nl")))
                self.ready.set()
                self._idle(ws)
        except Exception as err:  # reported by the bench, not fatal
            self.error = f"{type(err).__name__}: {err}"
            self.ready.set()

    def _question(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """Ask the live endpoint once; None when it could not answer."""
        base = self.url.replace("ws://", "http://").removesuffix("/_stcore/stream")
        query = urllib.parse.urlencode({"t": data["token"]})
        request = urllib.request.Request(f"{base}{data['url']}?{query}",
                                         headers={"Cookie": f"bk_sticky={self.cookie}"})
        self.asks += 1
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return dict(json.loads(answer.read()))
        except (OSError, ValueError):
            self.ask_errors += 1
            return None

    def _ask(self) -> str:
        """Do what the page's watchers do at one tick; return what to run ("", "page", "fragment").

        A ``seq`` watcher (outside the fragment, Kaart page) wakes the whole page; a
        ``here`` or ``both`` watcher wakes the fragment. One question serves them all.
        """
        got: dict[str, Any] | None = None
        asked = False
        for what, (data, at) in list(self.watches.items()):
            if time.monotonic() - at < float(data.get("after_ms", 0)) / 1000:
                continue  # the watcher asks nothing so soon after a render
            why = "soon" if data.get("soon") else ""
            if not why:
                if not asked:
                    got, asked = self._question(data), True
                if got is None:
                    why = "fallback" if self.ask_errors % int(data.get("fallback_every", 2)) == 0 \
                        else ""
                elif what != "here" and got["seq"] > data["seq"]:
                    why = "seq"
                elif what != "seq" and got["here"] != data["here"]:
                    why = "here"
            if why:
                self.why[why] = self.why.get(why, 0) + 1
                return "page" if what == "seq" else "fragment"
        return ""

    def _idle(self, ws: Any) -> None:
        """Idle as an open page does: the heartbeat runs, and the watcher's questions."""
        now = time.monotonic()
        due = {f: now + s for f, s in self.fragments.items()}
        every = 1.0
        if self.watches:
            every = float(next(iter(self.watches.values()))[0].get("every_ms", 1000)) / 1000
            due["watch"] = now + every
        while time.monotonic() < self.until:
            what, at = min(due.items(), key=lambda kv: kv[1])
            wait = at - time.monotonic()
            if wait > 0:
                self._read(ws, wait)  # also drains the answers of the last runs
                continue
            if what == "watch":
                due["watch"] = time.monotonic() + every
                run = self._ask()
                if not run:
                    continue
                self.woken += 1
                if run == "page":  # the page's news watcher: the whole page runs
                    self._send(ws)
                    self.runs += 1
                    continue
                what = next(iter(self.fragments))  # the live fragment, woken by its watcher
            self._send(ws, fragment_id=what)
            self.fragment_runs += 1
            if what in due:
                due[what] = time.monotonic() + self.fragments.get(what, 10.0)
