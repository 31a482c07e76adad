"""The live endpoint and its tokens (issue 15: an idle page costs one small HTTP answer).

The endpoint is called here the way uvicorn calls it (an ASGI scope, a receive and
a send), on a real SQLite store; the browser path through nginx is in
``tests/e2e/test_live_e2e.py``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buurtkaart._errors import PermissionDenied
from buurtkaart.app import live_head, live_http
from buurtkaart.auth import livetoken
from buurtkaart.store import Store, open_store
from buurtkaart.store.presence import fingerprint

KEY = b"k" * 32
NOW = 1_800_000_000.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    live_head.forget()
    try:
        yield s
    finally:
        live_head.forget()
        s.close()


def test_a_token_names_its_map_and_user_until_it_expires() -> None:
    token = livetoken.issue(KEY, "m1", "Amina", NOW, ttl_s=60)
    assert livetoken.verify(KEY, token, NOW + 59) == ("m1", "Amina")
    with pytest.raises(PermissionDenied, match="expired"):
        livetoken.verify(KEY, token, NOW + 61)


@pytest.mark.parametrize("bad", ["", "abc", "a.b", ".", "x" * 300])
def test_malformed_tokens_are_refused(bad: str) -> None:
    with pytest.raises(PermissionDenied, match="live token"):
        livetoken.verify(KEY, bad, NOW)


def test_a_token_of_another_process_or_map_is_refused() -> None:
    token = livetoken.issue(KEY, "m1", "Amina", NOW)
    with pytest.raises(PermissionDenied, match="not signed"):
        livetoken.verify(b"o" * 32, token, NOW)
    _body, mac = token.split(".")
    other = livetoken.issue(KEY, "m2", "Amina", NOW).split(".")[0]
    with pytest.raises(PermissionDenied, match="not signed"):
        livetoken.verify(KEY, f"{other}.{mac}", NOW)  # another map's body, this map's mac
    assert livetoken.process_key() == livetoken.process_key(), "one key per process"


async def _inner(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"streamlit"})


def _call(store: Store, path: str, token: str = "", method: str = "GET") -> tuple[int, Any]:
    """Call the middleware as uvicorn does; return (status, decoded body)."""
    scope = {"type": "http", "method": method, "path": path, "headers": [],
             "query_string": f"t={token}".encode()}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    call = live_http.LiveEndpoint(_inner, open_store=lambda: store)(scope, receive, send)
    # in a thread of its own: a browser test in this worker may hold an event loop here
    worker = threading.Thread(target=asyncio.run, args=(call,))
    worker.start()
    worker.join(30)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    status = int(sent[0]["status"])
    headers = dict(sent[0]["headers"])
    if status != 299:
        assert headers[b"cache-control"] == b"no-store"
        return status, json.loads(body)
    return status, body.decode()


def _token(map_id: str) -> str:
    import time

    return livetoken.issue(livetoken.process_key(), map_id, "Amina", time.time())


def test_the_endpoint_answers_the_newest_event_and_who_is_here(store: Store) -> None:
    m = store.create_map("admin", name="Buurthuis", org_name="Vzw De Brug", lat=50.85, lon=4.34)
    status, body = _call(store, "/_bk/live", _token(m["id"]))
    assert status == 200 and set(body) == {"seq", "here"}, "nothing of the map's content"
    assert body == {"seq": store.latest_seq(m["id"]), "here": fingerprint([])}
    store.add_actor("Amina", m["id"], name="Moskee Al-Khalil")
    store.heartbeat("Youssef", m["id"], "s-youssef", "kaart")
    live_head.forget()  # past the shared read's interval
    status, after = _call(store, "/team/_bk/live", _token(m["id"]))  # under a baseUrlPath
    assert status == 200 and after["seq"] > body["seq"]
    assert after["here"] == fingerprint(store.present(m["id"])) != body["here"]


def test_the_endpoint_refuses_bad_tokens_and_other_methods(store: Store) -> None:
    m = store.create_map("admin", name="Buurthuis", org_name="Vzw De Brug", lat=50.85, lon=4.34)
    status, body = _call(store, "/_bk/live", "forged.token")
    assert status == 403 and "live token" in body["error"]
    status, body = _call(store, "/_bk/live", _token(m["id"]), method="POST")
    assert status == 405 and body == {"error": "GET only"}
    assert _call(store, "/kaart", _token(m["id"])) == (299, "streamlit"), "others pass on"


def test_presence_fingerprints_ignore_heartbeat_times() -> None:
    row = {"session_id": "s1", "user_name": "Amina", "page": "kaart", "entity_id": None,
           "beat_at": "2026-12-01T10:00:00"}
    later = {**row, "beat_at": "2026-12-01T10:00:10"}
    assert fingerprint([row]) == fingerprint([later])
    assert fingerprint([row]) != fingerprint([{**row, "entity_id": "a1"}])
    assert fingerprint([row]) != fingerprint([])


def test_a_warm_answer_needs_no_store(store: Store) -> None:
    m = store.create_map("admin", name="Buurthuis", org_name="Vzw De Brug", lat=50.85, lon=4.34)
    token = _token(m["id"])
    assert live_http.answer(token, None, now=100.0) is None, "cold: a read is due"
    warm = live_http.answer(token, store, now=100.0)
    assert live_http.answer(token, None, now=100.0 + live_head.HEAD_TTL_S / 2) == warm
    assert live_http.answer(token, None, now=100.0 + live_head.HEAD_TTL_S) is None
