"""Walking areas on the shared Brussels 2013 extract around Molenbeek's Place Communale.

The barrier case was checked in the data: in January 2013 the footbridge of the
Boulevard de Nieuport over the Brussels–Charleroi canal (way 112786032) was
still ``highway=construction``, so from Place Communale the east quay just
across it (node 332389320, ~281 m as the crow flies) is only reached over the
Witte de Haelen or Chaussée de Gand bridges: farther than 5 minutes' walk.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import osmium
import pytest
import shapely

from buurtkaart.core.geo import distances_m
from buurtkaart.walk import WalkingArea, walking_areas, within

pytestmark = pytest.mark.shared

SPEED = 4.5
BUFFER = 30.0
CANAL_WAY = 123494619           # "Zeekanaal Brussel-Schelde", waterway=canal
UNBUILT_BRIDGE = 112786032      # bridge=yes, highway=construction in 2013
FAR_QUAY = (50.8541086, 4.3423132)   # node 332389320, Boulevard de Nieuport, east of the canal
NEAR_STREET = (50.853108, 4.3365549)  # node 206258326, Rue de la Colonne, same side as origin


@pytest.fixture(scope="session")
def brussels_areas(brussels_2013: Path, molenbeek: tuple[float, float],
                   tmp_path_factory: pytest.TempPathFactory) -> list[WalkingArea]:
    mp = pytest.MonkeyPatch()
    mp.setenv("BUURTKAART_CACHE_DIR", str(tmp_path_factory.mktemp("walkcache")))
    try:
        return walking_areas(*molenbeek, (5, 10, 15), osm_file=brussels_2013, speed_kmh=SPEED,
                             buffer_m=BUFFER)
    finally:
        mp.undo()


Way = tuple[dict[str, str], list[tuple[float, float]]]


def _ways(path: Path, ids: list[int]) -> dict[int, Way]:
    out = {}
    fp = (osmium.FileProcessor(str(path)).with_locations()
          .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
          .with_filter(osmium.filter.IdFilter(ids)))
    for way in fp:
        out[way.id] = (dict(way.tags), [(n.lon, n.lat) for n in way.nodes])
    return out


def _crow(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(distances_m(np.array(a[0]), np.array(a[1]), np.array(b[0]), np.array(b[1])))


def test_areas_are_nested(brussels_areas: list[WalkingArea]) -> None:
    a5, a10, a15 = (a.geometry for a in brussels_areas)
    assert 0 < a5.area < a10.area < a15.area
    tol = 1e-7  # ~1 cm in degrees
    assert a10.buffer(tol).covers(a5)
    assert a15.buffer(tol).covers(a10)


def test_origin_is_inside(brussels_areas: list[WalkingArea],
                          molenbeek: tuple[float, float]) -> None:
    assert all(a.contains(*molenbeek) for a in brussels_areas)


def test_no_point_beyond_crow_flies_bound(brussels_areas: list[WalkingArea],
                                          molenbeek: tuple[float, float]) -> None:
    area = brussels_areas[1]
    bound = 10 * SPEED * 1000 / 60 + BUFFER  # 750 m + buffer
    coords = np.array([c for poly in shapely.get_parts(area.geometry)
                       for c in poly.exterior.coords])
    d = distances_m(np.full(len(coords), molenbeek[0]), np.full(len(coords), molenbeek[1]),
                    coords[:, 1], coords[:, 0])
    assert d.max() <= bound + 1.0
    assert d.max() > 0.6 * bound  # and it is not a tiny blob


def test_reaches_400_m_along_main_streets(brussels_areas: list[WalkingArea], brussels_2013: Path,
                                          molenbeek: tuple[float, float]) -> None:
    area = brussels_areas[1]
    best = 0.0
    fp = (osmium.FileProcessor(str(brussels_2013)).with_locations()
          .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
          .with_filter(osmium.filter.TagFilter(("highway", "primary"), ("highway", "secondary"))))
    for way in fp:
        for n in way.nodes:
            if abs(n.lat - molenbeek[0]) < 0.01 and abs(n.lon - molenbeek[1]) < 0.015 \
                    and area.contains(n.lat, n.lon):
                best = max(best, _crow(molenbeek, (n.lat, n.lon)))
    assert best >= 400


def test_canal_is_a_barrier(brussels_areas: list[WalkingArea], brussels_2013: Path,
                            molenbeek: tuple[float, float]) -> None:
    ways = _ways(brussels_2013, [CANAL_WAY, UNBUILT_BRIDGE])
    canal_tags, canal_coords = ways[CANAL_WAY]
    assert canal_tags["waterway"] == "canal"
    assert ways[UNBUILT_BRIDGE][0]["highway"] == "construction"
    canal = shapely.LineString(canal_coords)
    origin = (molenbeek[1], molenbeek[0])
    far = (FAR_QUAY[1], FAR_QUAY[0])
    near = (NEAR_STREET[1], NEAR_STREET[0])
    # the canal lies between the origin and the far point, not the near one
    assert shapely.LineString([origin, far]).intersects(canal)
    assert not shapely.LineString([origin, near]).intersects(canal)
    d_far, d_near = _crow(molenbeek, FAR_QUAY), _crow(molenbeek, NEAR_STREET)
    assert abs(d_far - d_near) < 10
    assert d_far < 5 * SPEED * 1000 / 60 - 80  # well within a circle of 5 minutes
    a5, a10 = brussels_areas[0], brussels_areas[1]
    assert a5.contains(*NEAR_STREET)
    assert not a5.contains(*FAR_QUAY)
    assert a10.contains(*FAR_QUAY)  # over a built bridge, within 10 minutes


def test_slower_speed_gives_smaller_area(brussels_2013: Path, molenbeek: tuple[float, float],
                                         brussels_areas: list[WalkingArea]) -> None:
    slow = walking_areas(*molenbeek, (10,), osm_file=brussels_2013, speed_kmh=3.0)[0]
    assert slow.reach_m == pytest.approx(500.0)
    assert brussels_areas[1].geometry.buffer(1e-7).covers(slow.geometry)
    assert slow.geometry.area < 0.8 * brussels_areas[1].geometry.area


def test_within_filters_actors(brussels_areas: list[WalkingArea]) -> None:
    actors = [{"id": "near", "lat": NEAR_STREET[0], "lon": NEAR_STREET[1]},
              {"id": "far", "lat": FAR_QUAY[0], "lon": FAR_QUAY[1]},
              {"id": "nowhere", "lat": None, "lon": None}]
    assert [a["id"] for a in within(brussels_areas[0], actors)] == ["near"]
    assert [a["id"] for a in within(brussels_areas[1], actors)] == ["near", "far"]


def test_geojson_shape(brussels_areas: list[WalkingArea]) -> None:
    feature = brussels_areas[2].to_feature()
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert feature["properties"]["minutes"] == 15
    assert math.isclose(feature["properties"]["reach_m"], 1125.0)
    back = shapely.geometry.shape(feature["geometry"])
    assert back.equals_exact(brussels_areas[2].geometry, 1e-9)
