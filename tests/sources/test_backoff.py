"""Back-off after busy answers (429/503/504), shared by Overpass, Nominatim and walking.

The ``Retry-After`` parser is checked against dates formatted independently
with :mod:`email.utils`; the rest runs against real loopback HTTP servers
(:mod:`loopback_http`). The 10 s bounds are the issue's "clear answer within
10 seconds" requirement, not speed benchmarks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.loopback_http import CENTER, OVERPASS_OK, Service

from buurtkaart._errors import SourceUnavailable
from buurtkaart.sources._http import (
    DEFAULT_BACKOFF_S,
    MAX_BACKOFF_S,
    back_off,
    busy_until,
    forget_back_off,
    refuse_while_backing_off,
    retry_after_s,
)

NOW = dt.datetime(2026, 11, 28, 16, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("header", "expected"), [
    ("120", 120.0),
    (" 0 ", 0.0),
    (email.utils.format_datetime(NOW + dt.timedelta(seconds=90), usegmt=True), 90.0),
    ("Sat, 28 Nov 2026 15:59:00 GMT", 0.0),  # already past: ask again now
    (str(10 * 86_400), MAX_BACKOFF_S),  # absurd waits are capped at a day
    (None, None), ("", None), ("soon", None), ("-5", None), ("1.5", None), ("²", None),
])
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    assert retry_after_s(header, NOW) == expected


def test_back_off_is_per_service_and_only_grows() -> None:
    a, b = "http://127.0.0.1:1/api", "http://127.0.0.1:2/api"
    try:
        back_off(a + "/", 429, 30)
        back_off(a, 429, 5)  # a shorter later answer does not shorten the wait
        with pytest.raises(SourceUnavailable, match=r"^Overpass x asked us to wait \(HTTP 429\)"):
            refuse_while_backing_off(a, "Overpass x")
        refuse_while_backing_off(b, "Overpass y")  # another service: not refused
        until = busy_until(a)
        assert until is not None
        assert 25 < (until - dt.datetime.now(dt.UTC)).total_seconds() <= 30
        assert busy_until(b) is None
    finally:
        forget_back_off(a)
    assert busy_until(a) is None


@pytest.fixture
def overpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "2")
    service = Service(OVERPASS_OK, retry_after=1)
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", service.url + "/api")
    yield service
    service.close()
    forget_back_off()  # a later test's server may get the same loopback port


def test_overpass_is_not_asked_again_before_retry_after(overpass: Service) -> None:
    from buurtkaart.places import find_places

    cached = [p.osm_id for p in find_places(*CENTER, radius_m=500)]
    overpass.mode = "429"  # Retry-After: 1
    with pytest.raises(SourceUnavailable, match=r"HTTP 429 Too Many Requests.*before"):
        find_places(*CENTER, radius_m=400)
    busy_at = overpass.hits[-1]
    overpass.mode = "ok"
    with pytest.raises(SourceUnavailable, match=r"asked us to wait \(HTTP 429\).*not in the cache"):
        find_places(*CENTER, radius_m=400)  # refused locally: the server sees nothing
    assert overpass.hits[-1] == busy_at
    assert [p.osm_id for p in find_places(*CENTER, radius_m=500)] == cached  # cache answers
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(overpass.hits) == 2:
        with contextlib.suppress(SourceUnavailable):
            find_places(*CENTER, radius_m=400)
        time.sleep(0.1)
    assert len(overpass.hits) == 3 and overpass.hits[2] - busy_at >= 0.95


def test_overpass_504_without_retry_after_backs_off_by_default(overpass: Service) -> None:
    from buurtkaart.places import find_places

    overpass.mode = "504"  # no Retry-After header
    before = time.time()
    with pytest.raises(SourceUnavailable, match="HTTP 504"):
        find_places(*CENTER, radius_m=400)
    until = busy_until(overpass.url + "/api/")
    assert until is not None
    assert DEFAULT_BACKOFF_S - 5 < until.timestamp() - before < DEFAULT_BACKOFF_S + 5
    with pytest.raises(SourceUnavailable, match="asked us to wait"):
        find_places(*CENTER, radius_m=300)
    assert len(overpass.hits) == 1


def test_overpass_bad_request_is_reported_without_back_off(overpass: Service) -> None:
    from buurtkaart.places import find_places

    overpass.mode = "400"
    for radius in (300, 301):
        with pytest.raises(SourceUnavailable, match="HTTP 400 Bad Request"):
            find_places(*CENTER, radius_m=radius)
    assert len(overpass.hits) == 2 and busy_until(overpass.url + "/api") is None


def test_unfinished_overpass_query_is_an_error_not_partial_places(
        overpass: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.places import find_places

    remark = "runtime error: Query timed out in \"query\" at line 1 after 25 seconds."
    service = Service({**OVERPASS_OK, "remark": remark})
    try:
        monkeypatch.setenv("BUURTKAART_OVERPASS_URL", service.url + "/api")
        for _ in range(2):  # not cached either: the second call asks again
            with pytest.raises(SourceUnavailable, match="could not finish the query"):
                find_places(*CENTER, radius_m=300)
        assert len(service.hits) == 2
    finally:
        service.close()


def test_cached_area_answers_while_another_request_stalls(overpass: Service,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.places import find_places

    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "4")
    cached = [p.osm_id for p in find_places(*CENTER, radius_m=500)]
    overpass.mode = "stall"
    outcome: list[BaseException] = []

    def stalled() -> None:
        try:
            find_places(*CENTER, radius_m=450)
        except SourceUnavailable as e:
            outcome.append(e)

    thread = threading.Thread(target=stalled)
    thread.start()
    deadline = time.monotonic() + 10
    while len(overpass.hits) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)  # until the stalled request has reached the server
    again = [p.osm_id for p in find_places(*CENTER, radius_m=500)]
    still_waiting = not outcome and thread.is_alive()
    thread.join(15)
    assert again == cached
    assert still_waiting  # answered from the cache while the other request was stalled
    assert len(outcome) == 1 and "not in the cache" in str(outcome[0])


def _footway_east_of_center() -> dict[str, object]:
    """Overpass JSON of one 200 m footway starting at CENTER, going east."""
    lat, lon = CENTER
    step = 100 / (111_320 * math.cos(math.radians(lat)))  # 100 m in degrees of longitude
    nodes = [{"type": "node", "id": i + 1, "lat": lat, "lon": lon + i * step} for i in range(3)]
    way = {"type": "way", "id": 7, "nodes": [1, 2, 3], "tags": {"highway": "footway"}}
    return {"version": 0.6, "elements": [*nodes, way]}


def test_walk_network_429_fails_fast_and_cached_graphs_still_answer(
        overpass: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.walk import clear_memory_caches, walking_areas

    service = Service(_footway_east_of_center(), retry_after=30)
    try:
        monkeypatch.setenv("BUURTKAART_OVERPASS_URL", service.url + "/api")
        clear_memory_caches()
        first = walking_areas(*CENTER, (1,), online=True)[0]
        assert first.source == "osmnx" and first.contains(CENTER[0], CENTER[1] + 0.0005)
        service.mode = "429"
        start = time.monotonic()
        with pytest.raises(SourceUnavailable, match=r"HTTP 429.*walking network") as info:
            walking_areas(50.8400, 4.3100, (5,), online=True)
        assert time.monotonic() - start < 10 and "\n" not in str(info.value)
        with pytest.raises(SourceUnavailable, match=r"asked us to wait \(HTTP 429\)"):
            walking_areas(50.8300, 4.3000, (5,), online=True)
        assert len(service.hits) == 2  # the first graph and one busy answer: no retry loop
        clear_memory_caches()  # the disk cache of walking graphs still answers
        again = walking_areas(*CENTER, (1,), online=True)[0]
        assert again.geometry.equals(first.geometry)
        assert len(service.hits) == 2
    finally:
        service.close()
        clear_memory_caches()
