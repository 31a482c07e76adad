"""Tests of the offline basemap (pyosmium pass over a real extract)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import osmium
import pytest

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.sources.basemap import HIGHWAY_CLASSES, offline_basemap_geojson

HELSINKI_BBOX = (24.935, 60.164, 24.954, 60.179)
MOLENBEEK_BBOX = (4.3245, 50.8462, 4.3529, 50.8642)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def count_highways_in_bbox(path: Path, bbox: tuple[float, float, float, float]) -> int:
    """Independent count: drawable highway ways with at least one node inside ``bbox``."""
    west, south, east, north = bbox
    n = 0
    fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in fp:
        if not isinstance(obj, osmium.osm.Way) or obj.tags.get("highway") not in HIGHWAY_CLASSES:
            continue
        if obj.tags.get("area") == "yes":
            continue
        pts = [(nd.lon, nd.lat) for nd in obj.nodes if nd.location.valid()]
        if len(pts) >= 2 and any(west <= x <= east and south <= y <= north for x, y in pts):
            n += 1
    return n


def check_collection(gj: dict, bbox: tuple[float, float, float, float]) -> Counter:
    assert gj["type"] == "FeatureCollection"
    west, south, east, north = bbox
    classes: Counter = Counter()
    for feat in gj["features"]:
        geom = feat["geometry"]
        coords = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"]
        assert len(coords) >= 2
        for x, y in coords:
            assert round(x, 5) == x and round(y, 5) == y
        if geom["type"] == "Polygon":
            assert coords[0] == coords[-1]
        xs = [c[0] for c in coords]
        ys = [c[1] for c in coords]
        assert min(xs) <= east + 1e-5 and max(xs) >= west - 1e-5
        assert min(ys) <= north + 1e-5 and max(ys) >= south - 1e-5
        classes[feat["properties"]["cls"]] += 1
    return classes


def test_demo_extract(demo_pbf: Path, cache_dir: Path) -> None:
    gj = offline_basemap_geojson(demo_pbf, HELSINKI_BBOX)
    classes = check_collection(gj, HELSINKI_BBOX)
    lines = classes["major"] + classes["minor"] + classes["path"]
    # every drawable highway touching the bbox is kept (envelope test >= node test)
    assert lines >= count_highways_in_bbox(demo_pbf, HELSINKI_BBOX) > 100
    assert classes["green"] + classes["water"] + classes["landuse"] > 0
    cached = list((cache_dir / "basemap").glob("*.json"))
    assert len(cached) == 1
    assert json.loads(cached[0].read_text()) == gj
    # a second call reads the cache: same result, and a changed cache is what comes back
    cached[0].write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    assert offline_basemap_geojson(demo_pbf, HELSINKI_BBOX)["features"] == []
    assert offline_basemap_geojson(demo_pbf, HELSINKI_BBOX, use_cache=False) == gj


def test_brussels_2013_molenbeek(brussels_2013: Path) -> None:
    gj = offline_basemap_geojson(brussels_2013, MOLENBEEK_BBOX, use_cache=False)
    classes = check_collection(gj, MOLENBEEK_BBOX)
    lines = classes["major"] + classes["minor"] + classes["path"]
    assert lines >= count_highways_in_bbox(brussels_2013, MOLENBEEK_BBOX) > 300
    assert classes["water"] > 0  # the canal
    size = len(json.dumps(gj, separators=(",", ":")))
    assert size < 600_000, f"basemap of 2 km x 2 km is {size} bytes"


def test_bad_bbox_and_missing_file(demo_pbf: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="west < east"):
        offline_basemap_geojson(demo_pbf, (25.0, 60.1, 24.9, 60.2))
    with pytest.raises(InputError, match="four numbers"):
        offline_basemap_geojson(demo_pbf, ("a", 1, 2, 3))  # type: ignore[arg-type]
    with pytest.raises(DataFileError, match="does not exist"):
        offline_basemap_geojson(tmp_path / "nope.osm.pbf", HELSINKI_BBOX)
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"not a pbf at all")
    with pytest.raises(DataFileError, match="cannot read OSM extract"):
        offline_basemap_geojson(bad, HELSINKI_BBOX, use_cache=False)
