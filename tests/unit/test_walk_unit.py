"""Walking areas on small hand-made OSM files, the graph cache, the online path and the demo."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import numpy as np
import pytest

from buurtkaart._errors import DataFileError, InputError, SourceUnavailable
from buurtkaart.core.geo import distances_m
from buurtkaart.sources.streets import read_walk_graph
from buurtkaart.walk import (
    clear_memory_caches,
    is_walkable,
    parse_minutes,
    walk_speed_kmh,
    walking_areas,
)

LAT0, LON0 = 50.0, 4.0
M_PER_DEG_LAT = math.pi / 180 * 6_371_008.8
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(LAT0))


def ll(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of a point x metres east, y metres north of the origin."""
    return LAT0 + y / M_PER_DEG_LAT, LON0 + x / M_PER_DEG_LON


# name -> (tags, list of (x, y) metres)
WAYS: dict[str, tuple[dict[str, str], list[tuple[float, float]]]] = {
    "main": ({"highway": "residential"}, [(x, 0.0) for x in range(-1000, 1001, 100)]),
    "north": ({"highway": "residential"}, [(0.0, 0.0), (0.0, 100.0), (0.0, 200.0)]),
    "building_site": ({"highway": "construction"}, [(0.0, 200.0), (0.0, 400.0), (0.0, 600.0)]),
    "motorway": ({"highway": "motorway"}, [(0.0, 0.0), (0.0, -300.0), (0.0, -600.0)]),
    "trunk_with_sidewalk": ({"highway": "trunk", "sidewalk": "both"},
                            [(-200.0, 0.0), (-200.0, -300.0), (-200.0, -600.0)]),
    "no_foot": ({"highway": "footway", "foot": "no"}, [(300.0, 0.0), (300.0, -300.0)]),
    "private": ({"highway": "service", "access": "private"}, [(-300.0, 0.0), (-300.0, 300.0)]),
}


Ways = dict[str, tuple[dict[str, str], list[tuple[float, float]]]]


def write_osm(path: Path, ways: Ways) -> Path:
    nodes: dict[tuple[float, float], int] = {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    way_lines = []
    for wid, (_name, (tags, pts)) in enumerate(ways.items(), start=1):
        refs = []
        for pt in pts:
            if pt not in nodes:
                nodes[pt] = len(nodes) + 1
                lat, lon = ll(*pt)
                lines.append(f'<node id="{nodes[pt]}" version="1" '
                             f'lat="{lat:.8f}" lon="{lon:.8f}"/>')
            refs.append(nodes[pt])
        way_lines.append(f'<way id="{wid}" version="1">')
        way_lines += [f'<nd ref="{r}"/>' for r in refs]
        way_lines += [f'<tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        way_lines.append("</way>")
    path.write_text("\n".join([*lines, *way_lines, "</osm>"]), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    clear_memory_caches()
    yield
    clear_memory_caches()


@pytest.fixture()
def toy_osm(tmp_path: Path) -> Path:
    return write_osm(tmp_path / "toy.osm", WAYS)


def test_is_walkable_rules() -> None:
    assert is_walkable({"highway": "residential"})
    assert is_walkable({"highway": "footway"})
    assert is_walkable({"highway": "trunk", "sidewalk": "both"})
    assert is_walkable({"highway": "service", "access": "private", "foot": "yes"})
    assert not is_walkable({"highway": "motorway"})
    assert not is_walkable({"highway": "trunk_link"})
    assert not is_walkable({"highway": "construction"})
    assert not is_walkable({"highway": "footway", "foot": "no"})
    assert not is_walkable({"highway": "service", "access": "private"})
    assert not is_walkable({"waterway": "canal"})


def test_straight_street_extent_is_reach_plus_buffer(toy_osm: Path) -> None:
    area = walking_areas(LAT0, LON0, (5,), osm_file=toy_osm, speed_kmh=4.5, buffer_m=30)[0]
    assert area.reach_m == pytest.approx(375.0)
    east = area.geometry.bounds[2]
    east_m = distances_m(np.array(LAT0), np.array(LON0), np.array(LAT0), np.array(east))
    assert float(east_m) == pytest.approx(375 + 30, abs=1.0)  # the street is cut mid-edge
    assert area.contains(*ll(370, 0))
    assert not area.contains(*ll(420, 0))


def test_excluded_ways_are_not_walked(toy_osm: Path) -> None:
    area = walking_areas(LAT0, LON0, (10,), osm_file=toy_osm, speed_kmh=4.5, buffer_m=30)[0]
    assert area.contains(*ll(0, 150))        # residential street north
    assert not area.contains(*ll(0, 400))    # construction beyond it
    assert not area.contains(*ll(20, -300))  # motorway without sidewalk
    assert area.contains(*ll(-200, -300))    # trunk with sidewalk: 200 + 300 m < 750 m
    assert not area.contains(*ll(300, -250))  # footway with foot=no
    assert not area.contains(*ll(-300, 250))  # private service road


def test_graph_clip_keeps_segments_leaving_the_box(toy_osm: Path) -> None:
    bbox = (LON0 - 150 / M_PER_DEG_LON, LAT0 - 1e-4, LON0 + 150 / M_PER_DEG_LON, LAT0 + 1e-4)
    graph = read_walk_graph(toy_osm, bbox)
    # kept: main street segments with an end inside (-200..-100, -100..0, 0..100, 100..200)
    # and the north street's first one (0..100 m north); the rest is outside or not walkable

    assert graph.n_edges == 5
    assert graph.length.sum() == pytest.approx(500, rel=1e-3)


def test_disk_cache_is_used_after_memory_is_cleared(toy_osm: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.sources import streets

    first = walking_areas(LAT0, LON0, (5,), osm_file=toy_osm)[0]
    files = list((tmp_path / "cache" / "walk").glob("*.pickle"))
    assert len(files) == 1
    clear_memory_caches()

    def no_read(*args: object) -> None:
        raise AssertionError("the extract was read again instead of the cached graph")

    monkeypatch.setattr(streets, "read_walk_graph", no_read)
    again = walking_areas(LAT0, LON0, (5,), osm_file=toy_osm)[0]
    assert again.geometry.equals_exact(first.geometry, 1e-9)


def test_changed_file_is_not_served_from_cache(toy_osm: Path) -> None:
    before = walking_areas(LAT0, LON0, (10,), osm_file=toy_osm, speed_kmh=4.5)[0]
    changed = dict(WAYS)
    changed["building_site"] = ({"highway": "residential"}, WAYS["building_site"][1])
    write_osm(toy_osm, changed)
    after = walking_areas(LAT0, LON0, (10,), osm_file=toy_osm, speed_kmh=4.5)[0]
    assert not before.contains(*ll(0, 400))
    assert after.contains(*ll(0, 400))


def test_bad_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_minutes("15, 5,10") == (5.0, 10.0, 15.0)
    with pytest.raises(InputError, match="'abc'"):
        parse_minutes("5,abc")
    with pytest.raises(InputError, match="'90'"):
        parse_minutes("90")
    monkeypatch.setenv("BUURTKAART_WALK_SPEED_KMH", "fast")
    with pytest.raises(InputError, match="BUURTKAART_WALK_SPEED_KMH"):
        walk_speed_kmh()
    monkeypatch.setenv("BUURTKAART_WALK_SPEED_KMH", "3")
    assert walk_speed_kmh() == 3.0
    geo = tmp_path / "places.geojson"
    geo.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(DataFileError, match="GeoJSON"):
        walking_areas(LAT0, LON0, osm_file=geo)
    with pytest.raises(DataFileError, match=r"missing\.osm\.pbf"):
        walking_areas(LAT0, LON0, osm_file=tmp_path / "missing.osm.pbf")


def test_no_street_in_reach_gives_empty_areas(toy_osm: Path) -> None:
    lat, lon = ll(0, 5000)
    areas = walking_areas(lat, lon, (5, 10), osm_file=toy_osm)
    assert all(a.geometry.is_empty for a in areas)


def test_demo_extract_walking_areas(demo_pbf: Path) -> None:
    lat, lon = 60.1699, 24.9384  # Helsinki centre, inside the demo extract
    a5, a10 = walking_areas(lat, lon, (5, 10), osm_file=demo_pbf, speed_kmh=4.5)
    assert 0 < a5.geometry.area < a10.geometry.area
    assert a10.geometry.buffer(1e-7).covers(a5.geometry)
    assert a5.contains(lat, lon)


class _Overpass(BaseHTTPRequestHandler):
    """Answers any POST with a tiny Overpass JSON: one 200 m footway east of the origin."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        nodes = [{"type": "node", "id": i + 1, "lat": ll(x, 0)[0], "lon": ll(x, 0)[1]}
                 for i, x in enumerate((0.0, 100.0, 200.0))]
        way = {"type": "way", "id": 7, "nodes": [1, 2, 3], "tags": {"highway": "footway"}}
        body = json.dumps({"elements": [*nodes, way]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_online_uses_osmnx_against_overpass(monkeypatch: pytest.MonkeyPatch) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Overpass)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("BUURTKAART_OVERPASS_URL", f"http://127.0.0.1:{server.server_port}/api")
        area = walking_areas(LAT0, LON0, (1,), online=True, speed_kmh=4.5)[0]  # 75 m
    finally:
        server.shutdown()
    assert area.source == "osmnx"
    assert area.contains(*ll(60, 0))
    assert not area.contains(*ll(150, 0))


def test_online_fails_fast_when_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connection refused
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", f"http://127.0.0.1:{port}/api")
    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "2")
    with pytest.raises(SourceUnavailable, match=f"127.0.0.1:{port}"):
        walking_areas(LAT0, LON0, (5,), online=True)


def test_to_area_for_place_imports(toy_osm: Path) -> None:
    from buurtkaart.core.area import Area

    area = walking_areas(LAT0, LON0, (5,), osm_file=toy_osm)[0].to_area("fr")
    assert area.kind == "walk"
    assert area.label == "5 min à pied"
    assert area.contains(*ll(300, 0)) and not area.contains(*ll(0, 300))
    again = Area.from_dict(area.to_dict())
    assert again.kind == "walk" and again.center == (LAT0, LON0)


def test_block_interiors_are_filled_large_holes_kept(tmp_path: Path) -> None:
    small = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]
    large = [(0.0, 0.0), (-300.0, 0.0), (-300.0, -300.0), (0.0, -300.0), (0.0, 0.0)]
    path = write_osm(tmp_path / "blocks.osm", {
        "small": ({"highway": "residential"}, small),
        "large": ({"highway": "residential"}, large)})
    area = walking_areas(LAT0, LON0, (15,), osm_file=path, speed_kmh=4.5, buffer_m=30)[0]
    assert area.contains(*ll(50, 50))         # 40 m x 40 m garden inside a 100 m block
    assert not area.contains(*ll(-150, -150))  # 240 m x 240 m interior: not walkable
    assert area.contains(*ll(-150, -20))
