"""File sources: formats, ids, missing nodes, and one-line errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import osmium
import pytest

from buurtkaart._errors import DataFileError
from buurtkaart.core.area import Area
from buurtkaart.places import Place, read_places

DEMO_CENTER = (60.1699, 24.9440)


def _one_line_error(path: Path) -> str:
    with pytest.raises(DataFileError) as info:
        read_places(path)
    text = str(info.value)
    assert path.name in text and "\n" not in text
    return text


@pytest.fixture(scope="session")
def demo_places(demo_pbf: Path) -> list[Place]:
    return read_places(demo_pbf)


@pytest.fixture(scope="session")
def demo_xml(demo_pbf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo extract written as plain .osm XML by pyosmium (ways lose no nodes here)."""
    out = tmp_path_factory.mktemp("xml") / "helsinki.osm"
    with osmium.SimpleWriter(str(out)) as writer:
        for obj in osmium.FileProcessor(str(demo_pbf)):
            writer.add(obj)
    return out


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _one_line_error(tmp_path / "absent.osm.pbf")


def test_not_osm_data(tmp_path: Path) -> None:
    path = tmp_path / "notes.osm.pbf"
    path.write_text("this is a shopping list, not OSM\n", encoding="utf-8")
    assert "not OSM data" in _one_line_error(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.osm"
    path.write_bytes(b"")
    assert "empty" in _one_line_error(path)


def test_truncated_pbf(demo_pbf: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.osm.pbf"
    path.write_bytes(demo_pbf.read_bytes()[: demo_pbf.stat().st_size // 2])
    assert "truncated or corrupt" in _one_line_error(path)


def test_truncated_xml(demo_xml: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.osm"
    path.write_bytes(demo_xml.read_bytes()[:200_000])
    assert "truncated or corrupt" in _one_line_error(path)


@pytest.mark.parametrize(("content", "expected"), [
    ({"type": "FeatureCollection", "features": []}, "no point features"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": None}]}, "no point features"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "GeometryCollection", "geometries": []}}]}, "GeometryCollection"),
    ({"hello": "world"}, "neither a GeoJSON"),
])
def test_geojson_without_points(tmp_path: Path, content: object, expected: str) -> None:
    path = tmp_path / "layer.geojson"
    path.write_text(json.dumps(content), encoding="utf-8")
    assert expected in _one_line_error(path)


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    assert "not valid JSON" in _one_line_error(path)


def test_directory(tmp_path: Path) -> None:
    assert "directory" in _one_line_error(tmp_path)


def test_demo_extract_has_ids_categories_and_bilingual_tags(demo_places: list[Place]) -> None:
    assert len(demo_places) > 500
    kinds = {p.osm_id.split("/")[0] for p in demo_places if p.osm_id}
    assert kinds == {"node", "way", "relation"}
    cats = {p.category for p in demo_places}
    assert {"horeca", "shop", "shop_food", "school", "library", "public_space"} <= cats
    assert any(p.tags.get("name:sv") and p.tags.get("name:fi") for p in demo_places)
    for p in demo_places:
        assert 60.1 < p.lat < 60.2 and 24.9 < p.lon < 25.0
        if p.osm_id and not p.osm_id.startswith("node/"):
            assert p.geometry is not None and p.geometry["type"] in {
                "Polygon", "MultiPolygon", "LineString"}


def test_multipolygon_relations_become_polygons(demo_places: list[Place]) -> None:
    rels = [p for p in demo_places if p.osm_id and p.osm_id.startswith("relation/")]
    assert rels
    from shapely.geometry import Point, shape

    for p in rels:
        geom = shape(p.geometry)
        assert geom.geom_type in {"Polygon", "MultiPolygon"} and geom.area > 0
        assert geom.buffer(1e-9).contains(Point(p.lon, p.lat))  # representative point inside


def test_xml_gives_the_same_places_as_pbf(demo_places: list[Place], demo_xml: Path) -> None:
    from_xml = read_places(demo_xml)
    assert {p.osm_id for p in from_xml} == {p.osm_id for p in demo_places}


def test_ways_with_missing_nodes_are_skipped_not_fatal(demo_pbf: Path, tmp_path: Path) -> None:
    """Drop every 7th node from the XML: ways losing a node vanish, the rest stays."""
    out = tmp_path / "holes.osm"
    dropped: set[int] = set()
    with osmium.SimpleWriter(str(out)) as writer:
        for i, obj in enumerate(osmium.FileProcessor(str(demo_pbf))):
            if obj.is_node() and not len(obj.tags) and i % 7 == 0:
                dropped.add(obj.id)
                continue
            writer.add(obj)
    full = {p.osm_id: p for p in read_places(demo_pbf)}
    holed = {p.osm_id for p in read_places(out)}
    broken_ways = {
        f"way/{w.id}" for w in osmium.FileProcessor(str(demo_pbf), osmium.osm.WAY)
        if any(n.ref in dropped for n in w.nodes)
    }
    assert broken_ways & set(full), "the test must break some categorised ways"
    expected_missing = broken_ways & {k for k in full if k and k.startswith("way/")}
    assert not (holed & expected_missing)
    nodes = {k for k in full if k and k.startswith("node/")}
    assert nodes <= holed


def test_area_filter_and_distance_sorting(demo_pbf: Path, demo_places: list[Place]) -> None:
    area = Area.circle(*DEMO_CENTER, 300)
    near = read_places(demo_pbf, area)
    assert near and len(near) < len(demo_places)
    dists = [p.distance_m for p in near]
    assert all(d is not None for d in dists)
    assert dists == sorted(dists)  # type: ignore[type-var]
    inside_nodes = {p.osm_id for p in demo_places
                    if p.osm_id and p.osm_id.startswith("node/") and area.contains(p.lat, p.lon)}
    assert inside_nodes == {p.osm_id for p in near if p.osm_id and p.osm_id.startswith("node/")}


def test_places_2026_geojson(places_2026: Path, molenbeek: tuple[float, float]) -> None:
    raw = json.loads(places_2026.read_text(encoding="utf-8"))["features"]
    religion = [f["properties"] for f in raw
                if f["properties"].get("amenity") == "place_of_worship"]
    schools = [f for f in raw if f["properties"].get("amenity") in
               {"school", "kindergarten", "college", "university"}]
    places = read_places(places_2026)
    cats = [p.category for p in places]
    assert sum(c.startswith("worship_") for c in cats) == len(religion)
    assert cats.count("worship_muslim") == sum(p.get("religion") == "muslim" for p in religion)
    assert cats.count("school") == len(schools)
    assert all(p.osm_id is None for p in places)  # the file has no OSM ids
    from buurtkaart.places import places_to_geojson

    feature = places_to_geojson(places[:1])["features"][0]
    assert "id" not in feature and feature["properties"]["osm_id"] is None
    assert not any(k.startswith("_") for p in places for k in p.tags)
    near = read_places(places_2026, Area.circle(*molenbeek, 1000))
    from pyproj import Geod

    from buurtkaart.core.categories import categorize

    lons = [f["geometry"]["coordinates"][0] for f in raw]
    lats = [f["geometry"]["coordinates"][1] for f in raw]
    n = len(raw)
    _, _, dists = Geod(ellps="WGS84").inv([molenbeek[1]] * n, [molenbeek[0]] * n, lons, lats)
    expected = sum(1 for f, d in zip(raw, dists, strict=True)
                   if d <= 1000 and categorize(f["properties"]))
    assert abs(len(near) - expected) <= 2  # haversine vs ellipsoid at the very edge
    assert 600 < len(near) < 800


def test_overpass_json_export(tmp_path: Path) -> None:
    data = {"elements": [
        {"type": "node", "id": 1, "lat": 50.85, "lon": 4.34,
         "tags": {"amenity": "library", "name": "Bib"}},
        {"type": "way", "id": 2, "center": {"lat": 50.851, "lon": 4.341},
         "tags": {"amenity": "school"}},
        {"type": "way", "id": 3, "tags": {"amenity": "school"}},  # no centre: skipped
    ]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    places = read_places(path)
    assert {(p.osm_id, p.category) for p in places} == {("node/1", "library"),
                                                         ("way/2", "school")}


def test_umap_overpass_json_is_read(umap_dir: Path) -> None:
    # a real Overpass export made with uMap: tourism=information only, so no category
    assert read_places(umap_dir / "test_upload_data_osm.json") == []
