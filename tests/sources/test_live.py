"""Live sources (Overpass via OSMnx, Nominatim) against real loopback HTTP servers.

Only the network edge is faked: a local HTTP server answers like Overpass or
Nominatim, or the sockets are blocked. The elapsed-time bounds below are the
"fail within 10 s" correctness requirement, not speed benchmarks.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from buurtkaart import settings
from buurtkaart._errors import GeocodeError, SourceUnavailable
from buurtkaart.core.area import Area
from buurtkaart.places import find_places

CENTER = (50.8552, 4.3387)

OVERPASS_ANSWER = {"version": 0.6, "elements": [
    {"type": "node", "id": 11, "lat": 50.8553, "lon": 4.3390,
     "tags": {"amenity": "place_of_worship", "religion": "muslim",
              "name": "Moskee - Mosquée", "name:nl": "Moskee", "name:fr": "Mosquée"}},
    {"type": "node", "id": 12, "lat": 50.8560, "lon": 4.3380, "tags": {"amenity": "bench"}},
    {"type": "node", "id": 21, "lat": 50.8550, "lon": 4.3370},
    {"type": "node", "id": 22, "lat": 50.8550, "lon": 4.3375},
    {"type": "node", "id": 23, "lat": 50.8554, "lon": 4.3375},
    {"type": "node", "id": 24, "lat": 50.8554, "lon": 4.3370},
    {"type": "way", "id": 31, "nodes": [21, 22, 23, 24, 21],
     "tags": {"amenity": "school", "name": "School 31"}},
]}


class FakeServer:
    """A loopback HTTP server recording requests and answering with ``reply``."""

    def __init__(self, reply: Callable[[str], tuple[int, Any]]) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                outer.requests.append({"path": self.path, "body": body, "at": time.monotonic(),
                                       "agent": self.headers.get("User-Agent")})
                status, payload = reply(self.path)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from buurtkaart.sources._http import forget_back_off

    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "3")
    yield tmp_path / "cache"
    forget_back_off()  # a later test's server may get the same loopback port


@pytest.fixture
def overpass(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    server = FakeServer(lambda path: (200, OVERPASS_ANSWER))
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", server.url + "/api")
    yield server
    server.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_overpass_places_categorised_like_files(overpass: FakeServer) -> None:
    places = find_places(*CENTER, radius_m=500)
    assert {(p.osm_id, p.category) for p in places} == {
        ("node/11", "worship_muslim"), ("way/31", "school")}
    mosque = next(p for p in places if p.osm_id == "node/11")
    assert (mosque.name_nl, mosque.name_fr, mosque.source) == ("Moskee", "Mosquée", "overpass")
    school = next(p for p in places if p.osm_id == "way/31")
    assert school.geometry is not None and school.geometry["type"] == "Polygon"
    assert 50.8550 < school.lat < 50.8554 and 4.3370 < school.lon < 4.3375
    assert len(overpass.requests) == 1
    req = overpass.requests[0]
    assert req["path"] == "/api/interpreter"
    assert req["agent"] == settings.get("BUURTKAART_USER_AGENT")
    assert "religion" not in req["body"] or "amenity" in req["body"]


def test_cached_area_is_served_without_network(overpass: FakeServer) -> None:
    first = find_places(*CENTER, radius_m=500)
    overpass.close()
    start = time.monotonic()
    again = find_places(*CENTER, radius_m=500)
    assert time.monotonic() - start < 10
    assert [p.osm_id for p in again] == [p.osm_id for p in first]
    with pytest.raises(SourceUnavailable, match="not in the cache"):
        find_places(*CENTER, radius_m=499)  # another area: not cached, server gone


def test_blocked_sockets_fail_fast(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: object) -> None:
        raise OSError(101, "Network is unreachable (blocked by test)")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    start = time.monotonic()
    with pytest.raises(SourceUnavailable) as info:
        find_places(*CENTER, radius_m=300)
    assert time.monotonic() - start < 10
    assert "Overpass" in str(info.value) and "\n" not in str(info.value)


def test_closed_port_fails_fast(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", f"http://127.0.0.1:{closed_port()}/api")
    start = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"127\.0\.0\.1"):
        find_places(*CENTER, radius_m=300)
    assert time.monotonic() - start < 10


def test_silent_server_times_out(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts connections, never answers
    try:
        monkeypatch.setenv("BUURTKAART_OVERPASS_URL",
                           f"http://127.0.0.1:{listener.getsockname()[1]}/api")
        monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "1")
        start = time.monotonic()
        with pytest.raises(SourceUnavailable):
            find_places(*CENTER, radius_m=300)
        assert time.monotonic() - start < 10
    finally:
        listener.close()


def test_empty_overpass_answer_is_no_places(isolated_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeServer(lambda path: (200, {"version": 0.6, "elements": []}))
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", server.url + "/api")
    try:
        assert find_places(area=Area.circle(*CENTER, 200)) == []
    finally:
        server.close()


NOMINATIM_HIT = [{"lat": "50.8549", "lon": "4.3386", "addresstype": "road",
                  "display_name": "Place Communale - Gemeenteplaats, Molenbeek"}]


@pytest.fixture
def nominatim(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    def reply(path: str) -> tuple[int, Any]:
        return (200, [] if "nowhere" in path.lower() else NOMINATIM_HIT)

    server = FakeServer(reply)
    monkeypatch.setenv("BUURTKAART_NOMINATIM_URL", server.url + "/")
    monkeypatch.setenv("BUURTKAART_NOMINATIM_MIN_INTERVAL", "0.3")
    yield server
    server.close()


def test_nominatim_user_agent_cache_and_rate_limit(nominatim: FakeServer) -> None:
    from buurtkaart.geocode import geocode

    hit = geocode("Place Communale, Molenbeek")
    assert (hit.lat, hit.lon, hit.precision, hit.source) == (50.8549, 4.3386, "street",
                                                             "nominatim")
    geocode("place communale,  molenbeek")  # same query: cached, no request
    assert len(nominatim.requests) == 1
    assert nominatim.requests[0]["agent"] == settings.get("BUURTKAART_USER_AGENT")
    geocode("Rue Haute 1, Bruxelles")
    geocode("Rue Haute 2, Bruxelles")
    times = [r["at"] for r in nominatim.requests]
    assert len(times) == 3
    # rate limit lower bound: consecutive requests at least the interval apart
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(times))


def test_nominatim_not_found(nominatim: FakeServer) -> None:
    from buurtkaart.geocode import geocode

    with pytest.raises(GeocodeError, match="'Nowhere street 1'"):
        geocode("Nowhere street 1")


def test_nominatim_unreachable(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.geocode import geocode

    monkeypatch.setenv("BUURTKAART_NOMINATIM_URL", f"http://127.0.0.1:{closed_port()}/")
    start = time.monotonic()
    with pytest.raises(SourceUnavailable, match="Nominatim"):
        geocode("Rue Haute 1")
    assert time.monotonic() - start < 10
