"""Loopback HTTP servers standing in for Overpass and Nominatim in the network-fault tests.

Real sockets (``http.server`` in a thread), not mocks of requests: a service
answers ``ok``, stalls, or returns an HTTP error status, and a closed port
refuses connections.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CENTER = (50.8552, 4.3387)
OVERPASS_OK: dict[str, Any] = {"version": 0.6, "elements": [
    {"type": "node", "id": 11, "lat": 50.8553, "lon": 4.3390,
     "tags": {"amenity": "place_of_worship", "religion": "muslim", "name": "Moskee"}},
    {"type": "node", "id": 12, "lat": 50.8556, "lon": 4.3381,
     "tags": {"amenity": "school", "name": "School De Boom"}},
]}
NOMINATIM_OK: list[dict[str, str]] = [{"lat": "50.8549", "lon": "4.3386", "addresstype": "road",
                 "display_name": "Place Communale - Gemeenteplaats, Molenbeek"}]
FAULTS = ("stall", "refuse", "429", "504")


class Service:
    """A loopback HTTP server whose ``mode`` decides the answer: ok, stall, 429, 504."""

    def __init__(self, ok_payload: Any, retry_after: int = 3) -> None:
        self.mode = "ok"
        self.hits: list[float] = []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.hits.append(time.monotonic())
                if outer.mode == "stall":
                    outer.release.wait(30)
                    return
                status = 200 if outer.mode == "ok" else int(outer.mode)
                body = json.dumps(ok_payload if status == 200 else {"error": "busy"}).encode()
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", str(retry_after))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self.release.is_set():
            return
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
