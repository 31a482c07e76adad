"""A truncated or unparsable Overpass answer is an error, never "no places found".

A real loopback HTTP server sends the first bytes of a valid answer (the
connection cut mid-way, as a proxy or a timeout does).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.loopback_http import CENTER, OVERPASS_OK

from buurtkaart._errors import SourceUnavailable
from buurtkaart.sources._http import forget_back_off

FULL = json.dumps(OVERPASS_OK).encode()
BODIES = {"truncated": FULL[: len(FULL) // 2], "html": b"<html>Bad Gateway</html>",
          "other-json": b'{"version": 0.6}'}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"body": FULL, "hits": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state["hits"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        do_GET = do_POST

        def log_message(self, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", f"http://127.0.0.1:{httpd.server_port}/api")
    yield state
    httpd.shutdown()
    httpd.server_close()
    forget_back_off()


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_broken_answer_is_an_error_and_is_not_cached(server: dict[str, Any],
                                                       kind: str) -> None:
    from buurtkaart.places import find_places

    server["body"] = BODIES[kind]
    with pytest.raises(SourceUnavailable, match=r"truncated or unparsable|not an Overpass"):
        find_places(*CENTER, radius_m=300)
    server["body"] = FULL  # the next call asks again (nothing cached) and reads the places
    names = {p.name for p in find_places(*CENTER, radius_m=300)}
    assert names == {"Moskee", "School De Boom"} and server["hits"] == 2
