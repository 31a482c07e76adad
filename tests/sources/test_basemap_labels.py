"""Names on the offline basemap: streets merged into runs, squares, parks and the canal."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import osmium
import pytest

from buurtkaart.sources.basemap import HIGHWAY_CLASSES, offline_basemap_geojson

MOLENBEEK_BBOX = (4.3245, 50.8462, 4.3529, 50.8642)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def molenbeek_labels(brussels_2013: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUURTKAART_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return list(offline_basemap_geojson(brussels_2013, MOLENBEEK_BBOX)["labels"])


def named_highway_ways(path: Path, name: str) -> int:
    """Independent count: drawable highway ways called ``name`` touching the bbox."""
    west, south, east, north = MOLENBEEK_BBOX
    n = 0
    fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in fp.with_filter(osmium.filter.KeyFilter("highway")):
        if not isinstance(obj, osmium.osm.Way) or obj.tags.get("name") != name:
            continue
        if obj.tags.get("highway") not in HIGHWAY_CLASSES or obj.tags.get("area") == "yes":
            continue
        pts = [(nd.lon, nd.lat) for nd in obj.nodes if nd.location.valid()]
        if any(west <= x <= east and south <= y <= north for x, y in pts):
            n += 1
    return n


def test_streets_are_merged_into_runs(molenbeek_labels: list[dict], brussels_2013: Path) -> None:
    name = "Chaussée de Gand - Steenweg op Gent"
    runs = [lb for lb in molenbeek_labels if lb["name"] == name]
    assert runs and all(lb["kind"] == "major" for lb in runs)
    assert runs[0]["name_nl"] == "Steenweg op Gent" and runs[0]["name_fr"] == "Chaussée de Gand"
    ways = named_highway_ways(brussels_2013, name)
    assert ways >= 5 and len(runs) <= ways // 2, (len(runs), ways)
    # each run is one connected line: consecutive points, no duplicates
    for run in runs:
        line = run["line"]
        assert len(line) >= 2 and all(a != b for a, b in itertools.pairwise(line))
    # no two runs of one street share an end point (they would have been merged)
    piers = [lb["line"] for lb in molenbeek_labels if lb["name"] == "Rue Piers - Piersstraat"]
    ends = Counter(tuple(p) for line in piers for p in (line[0], line[-1]))
    assert ends and max(ends.values()) <= 2


def test_place_communale_squares_parks_and_canal(molenbeek_labels: list[dict]) -> None:
    kinds = Counter(lb["kind"] for lb in molenbeek_labels)
    assert kinds["minor"] > 150 and kinds["major"] > 10
    names = {(lb["kind"], lb["name"]) for lb in molenbeek_labels}
    assert ("minor", "Place Communale - Gemeenteplaats") in names
    assert ("water", "Canal Charleroi-Bruxelles") in names
    assert any(kind == "green" and "Fonderie" in name for kind, name in names)
    assert any(kind == "square" and "Voltaire" in name for kind, name in names)
    west, south, east, north = MOLENBEEK_BBOX
    for lb in molenbeek_labels:
        assert lb["name"] or lb["name_nl"] or lb["name_fr"]
        assert ("line" in lb) != ("point" in lb)
        if "point" in lb:  # inside its area, which touches the bbox
            x, y = lb["point"]
            assert west - 0.01 < x < east + 0.01 and south - 0.01 < y < north + 0.01


def test_labels_are_cached_with_the_basemap(demo_pbf: Path, cache_dir: Path) -> None:
    bbox = (24.935, 60.164, 24.954, 60.179)
    first = offline_basemap_geojson(demo_pbf, bbox)
    assert first["labels"], "Helsinki's demo extract has named streets"
    assert offline_basemap_geojson(demo_pbf, bbox) == first
    assert len(list((cache_dir / "basemap").glob("*.json"))) == 1
