"""Import: the shared uMap fixtures, duplicates, dry run, atomicity, the large places file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point, shape
from support.exchange_data import USER, build_map, metres

from buurtkaart._errors import DataFileError
from buurtkaart.exchange import service
from buurtkaart.exchange.mapping import FieldMapping
from buurtkaart.exchange.readers import ReadResult, max_upload_bytes, read_bytes
from buurtkaart.sources.files import read_capped
from buurtkaart.store import Store, open_store


@pytest.fixture
def store(sqlite_url: str) -> Store:
    s = open_store(sqlite_url)
    s.create_map(USER, name="m", org_name="Org", lat=50.8552, lon=4.3387)
    return s


def snapshot(store: Store) -> tuple[Any, ...]:
    m = store.get_map("m")
    return (store.list_actors(m["id"]), store.list_links(m["id"]),
            store.list_imports(m["id"]), len(store.events_since(m["id"], "1970-01-01")))


def actors_by_name(store: Store) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in store.list_actors(store.get_map("m")["id"])}


def test_umap_map_export_layers_become_tags(store: Store, umap_dir: Path) -> None:
    report = service.import_file(store, "m", umap_dir / "test_upload_data.umap", USER)
    assert (report.imported, report.merged, report.skipped) == (3, 0, [])
    got = actors_by_name(store)
    assert got["Lille"]["tags"] == ["Cities"] and got["Lille"]["notes"] == "une ville"
    assert got["tunnel sous la Manche"]["tags"] == ["Tunnels"]
    assert (got["Lille"]["lat"], got["Lille"]["lon"]) == (50.6269, 3.0528)
    doc = json.loads((umap_dir / "test_upload_data.umap").read_text())
    polygon = shape(doc["layers"][0]["features"][0]["geometry"])
    brussels = got["Bruxelles"]
    assert polygon.contains(Point(brussels["lon"], brussels["lat"]))
    assert brussels["notes"] == "polygon" and brussels["tags"] == ["Cities"]


def test_umap_layer_as_category(store: Store, umap_dir: Path) -> None:
    mapping = FieldMapping(columns={"name": "name", "notes": "description"},
                           layer_as="category", roles=["stakeholder"])
    service.import_file(store, "m", umap_dir / "test_upload_data.umap", USER, mapping=mapping)
    got = actors_by_name(store)
    assert got["Lille"]["category"] == "Cities" and got["Lille"]["roles"] == ["stakeholder"]


def test_geojson_with_mixed_geometries(store: Store, umap_dir: Path) -> None:
    path = umap_dir / "test_upload_data.json"
    report = service.import_file(store, "m", path, USER)
    assert report.imported == 5 and not report.skipped
    doc = json.loads(path.read_text())
    got = actors_by_name(store)
    for feat in doc["features"]:
        geom = shape(feat["geometry"])
        actor = got[feat["properties"]["name"]]
        pt = Point(actor["lon"], actor["lat"])
        assert geom.distance(pt) < 1e-6  # on the line / inside the polygon / the point
    assert got["London"]["tags"] == ["color=Pink"]
    assert got["London"]["notes"] == "London description"


def test_csv_with_latitude_and_geo_longitude(store: Store, umap_dir: Path) -> None:
    report = service.import_file(store, "m", umap_dir / "test_upload_data.csv", USER)
    assert report.imported == 2 and report.fmt == "csv"
    got = actors_by_name(store)
    assert (got["a point somewhere"]["lat"], got["a point somewhere"]["lon"]) == (48.5, 14.5)
    assert got["a point somewhere else"]["notes"] == "the description of this other point"
    assert got["a point somewhere"]["tags"] == ["Foo=bar"]


def test_overpass_json_keeps_osm_ids(store: Store, umap_dir: Path) -> None:
    report = service.import_file(store, "m", umap_dir / "test_upload_data_osm.json", USER)
    assert report.imported == 2 and report.fmt == "overpass"
    by_osm = {a["osm_id"]: a for a in store.list_actors(store.get_map("m")["id"])}
    node = by_osm["node/3619112991"]
    assert (node["lat"], node["lon"]) == (48.9352995, 2.3570684)
    assert "tourism=information" in node["tags"] and node["name"]
    again = service.import_file(store, "m", umap_dir / "test_upload_data_osm.json", USER)
    assert (again.imported, again.merged) == (0, 2)
    assert any("same osm_id node/3619112991" in n for n in again.notes)


def test_features_without_names_are_listed_not_dropped(store: Store, umap_dir: Path) -> None:
    report = service.import_file(store, "m", umap_dir / "test_upload_missing_name.json", USER)
    assert report.imported == 3
    assert [(r.index, r.reason) for r in report.skipped] == [
        (2, "no name (column 'name' is empty)")]
    assert report.total == 4
    assert any("skipped #2: no name" in line for line in report.lines())


def test_duplicates_by_name_within_30_m_merge_or_skip(store: Store, tmp_path: Path) -> None:
    mid = store.get_map("m")["id"]
    ours = store.add_actor(USER, mid, name="Café Sint-Jan", roles=["partner"], lat=50.8552,
                           lon=4.3387, notes="ours", tags=["horeca"])
    near = (50.8552 + 0.00018, 4.3387)  # ~20 m north
    far = (50.8552 + 0.00036, 4.3387)  # ~40 m north
    assert metres(near, (50.8552, 4.3387)) < 30 < metres(far, (50.8552, 4.3387))
    path = tmp_path / "dups.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _pt("cafe sint jan", near, description="theirs", terrace="yes"),
        _pt("Café Sint-Jan", far),
    ]}), encoding="utf-8")
    dry = service.import_file(store, "m", path, USER, dry_run=True, on_duplicate="skip")
    assert (dry.imported, dry.merged, len(dry.skipped)) == (1, 0, 1)
    assert "duplicate of actor" in dry.skipped[0].reason
    report = service.import_file(store, "m", path, USER)
    assert (report.imported, report.merged) == (1, 1)
    merged = store.get_actor(ours["id"])
    assert merged["notes"] == "ours"  # never overwritten
    assert merged["tags"] == ["horeca", "terrace=yes"]
    assert merged["version"] == 2


def _pt(name: str, pos: tuple[float, float], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [pos[1], pos[0]]},
            "properties": {"name": name, **props}}


def test_dry_run_writes_nothing_and_reports_the_same(store: Store, umap_dir: Path) -> None:
    before = snapshot(store)
    dry = service.import_file(store, "m", umap_dir / "test_upload_data.json", USER,
                              dry_run=True)
    assert snapshot(store) == before
    assert "dry run: nothing was written" in dry.lines()[-1]
    real = service.import_file(store, "m", umap_dir / "test_upload_data.json", USER)
    assert (dry.imported, dry.merged, len(dry.skipped)) == (
        real.imported, real.merged, len(real.skipped))


def test_failure_while_writing_rolls_everything_back(store: Store, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    mid = build_map(store, "full")["id"]
    full = service.export_map(store, "full", "full", "geojson")
    path = tmp_path / "full.geojson"
    path.write_bytes(full)
    before = snapshot(store)

    def broken(*args: Any, **kwargs: Any) -> str:
        raise DataFileError("disk full (simulated)")

    monkeypatch.setattr(store, "import_places", broken)
    with pytest.raises(DataFileError, match="simulated"):
        service.import_file(store, "m", path, USER)
    assert snapshot(store) == before
    assert store.list_actors(mid)


def test_progress_is_reported(store: Store, umap_dir: Path) -> None:
    seen: list[tuple[int, int]] = []
    service.import_file(store, "m", umap_dir / "test_upload_data.json", USER,
                        progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)


@pytest.mark.shared
def test_places_2026_large_import(store: Store, places_2026: Path) -> None:
    doc = json.loads(places_2026.read_text(encoding="utf-8"))
    total = len(doc["features"])
    assert total == 17365
    calls: list[int] = []
    report = service.import_file(store, "m", places_2026, USER,
                                 progress=lambda done, _t: calls.append(done))
    assert report.total == total
    assert report.imported + report.merged + len(report.skipped) == total
    assert len(store.list_actors(store.get_map("m")["id"])) == report.imported
    assert calls[-1] == report.imported  # one insert op per new actor, none to update
    for rej in report.skipped:
        props = doc["features"][rej.index - 1]["properties"]
        assert not props.get("name"), rej
    named = sum(1 for f in doc["features"] if f["properties"].get("name"))
    assert report.imported + report.merged >= named


def read_path(path: Path) -> ReadResult:
    return read_bytes(read_capped(path, max_upload_bytes()), path.name)


def test_read_path_reports_every_rejection(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"name": "nowhere"}},
        "not a feature",
    ]}))
    result = read_path(path)
    assert [r.index for r in result.rejected] == [2]
    assert result.features[0].geometry is None


def test_dedupe_rules_are_pure() -> None:
    from buurtkaart.core.geo import distance_m
    from buurtkaart.core.text import name_key
    from buurtkaart.exchange.dedupe import ActorIndex, merge_fields

    a, b = (50.8552, 4.3387), (50.8552, 4.3391)
    assert distance_m(*a, *b) == pytest.approx(metres(a, b), rel=1e-3)
    assert name_key("  Café  Sint-Jan! ") == name_key("cafe sint jan") == "cafe sint jan"
    index = ActorIndex([{"id": "x", "name": "Moskee Al Amal", "lat": a[0], "lon": a[1]},
                        {"id": "y", "name": "Other", "osm_id": "way/7"}])
    assert index.match({"name": "moskee al-amal", "lat": b[0], "lon": b[1]})[0]["id"] == "x"
    assert index.match({"name": "Moskee", "lat": b[0], "lon": b[1]}) is None
    assert index.match({"name": "new", "osm_id": "way/7"})[1] == "same osm_id way/7"
    far = (a[0] + 0.0004, a[1])  # ~44 m
    assert index.match({"name": "Moskee Al Amal", "lat": far[0], "lon": far[1]}) is None
    existing = {"notes": "ours", "roles": ["partner"], "category": None, "tags": []}
    assert merge_fields(existing, {"notes": "theirs", "roles": ["partner", "financier"],
                                   "category": "school", "tags": []}) == {
        "roles": ["partner", "financier"], "category": "school"}


def test_overpass_ways_need_a_centre_and_untagged_nodes_are_counted(tmp_path: Path) -> None:
    doc = {"elements": [
        {"type": "way", "id": 5, "center": {"lat": 50.85, "lon": 4.34},
         "tags": {"amenity": "school", "name": "School 5"}},
        {"type": "way", "id": 6, "tags": {"amenity": "school", "name": "School 6"}},
        {"type": "relation", "id": 7, "tags": {"name": "Park 7", "leisure": "park"},
         "geometry": [{"lat": 50.85, "lon": 4.34}, {"lat": 50.85, "lon": 4.35},
                      {"lat": 50.86, "lon": 4.35}, {"lat": 50.85, "lon": 4.34}]},
        {"type": "node", "id": 8, "lat": 50.85, "lon": 4.34},
    ]}
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps(doc))
    result = read_path(path)
    assert result.fmt == "overpass"
    assert [(f.index, f.osm_id) for f in result.features] == [(1, "way/5"), (3, "relation/7")]
    assert result.features[1].geometry["type"] == "Polygon"
    assert [(r.index, r.reason) for r in result.rejected] == [
        (2, "way/6 has no position (ask Overpass for 'out center;')")]
    assert result.notes == ["1 untagged elements (members of ways or relations) are not "
                            "places and were not imported"]


def test_single_feature_and_bare_geometry(tmp_path: Path) -> None:
    one = tmp_path / "one.geojson"
    one.write_text(json.dumps(_pt("Solo", (50.85, 4.34))))
    assert [f.properties["name"] for f in read_path(one).features] == ["Solo"]
    bare = tmp_path / "bare.geojson"
    bare.write_text(json.dumps({"type": "Point", "coordinates": [4.34, 50.85]}))
    (feat,) = read_path(bare).features
    assert feat.geometry == {"type": "Point", "coordinates": [4.34, 50.85]}


def test_a_read_file_can_be_planned_twice(store: Store, umap_dir: Path) -> None:
    result = read_path(umap_dir / "test_upload_missing_name.json")
    m = store.get_map("m")
    first = service.plan_for(store, m, result, "x", dry_run=True).report
    second = service.plan_for(store, m, result, "x", dry_run=True).report
    assert first.skipped == second.skipped and len(second.skipped) == 1
    assert result.rejected == []


def test_reimport_with_skip_is_not_an_error(store: Store, umap_dir: Path) -> None:
    path = umap_dir / "test_upload_data.csv"
    service.import_file(store, "m", path, USER)
    again = service.import_file(store, "m", path, USER, on_duplicate="skip")
    assert (again.imported, again.merged, again.duplicates, len(again.skipped)) == (0, 0, 2, 2)
