"""Bad input: each case gets a clear reason and leaves the store unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.exchange_data import USER

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.exchange import service
from buurtkaart.exchange.readers import read_bytes
from buurtkaart.store import Store, open_store

MAP_CENTER = (50.8552, 4.3387)


@pytest.fixture
def store(sqlite_url: str) -> Store:
    s = open_store(sqlite_url)
    m = s.create_map(USER, name="m", org_name="Org", lat=MAP_CENTER[0], lon=MAP_CENTER[1])
    s.add_actor(USER, m["id"], name="Existing", roles=["partner"], lat=50.85, lon=4.34)
    return s


def state(store: Store) -> tuple[Any, ...]:
    mid = store.get_map("m")["id"]
    return store.list_actors(mid), len(store.events_since(mid, "1970-01-01"))


def fc(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def feat(geometry: Any, name: str = "A place") -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name}}


def pt(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def ring(*pts: tuple[float, float]) -> list[list[float]]:
    return [[lon, lat] for lon, lat in pts]


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"{ not json at all", "a.geojson", "is not valid JSON: .* at line 1, column 3"),
    (b'{"hello": "world"}', "a.geojson", "is JSON but not GeoJSON"),
    (b"[1, 2, 3]", "a.json", "is JSON but not GeoJSON"),
    (json.dumps(fc()).encode(), "a.geojson", "contains no features"),
    (b'{"type": "FeatureCollection", "features": 5}', "a.geojson", "without a 'features' list"),
    (b"", "a.csv", "is empty"),
    (b"name,city\nx,y\n", "a.csv", "no latitude/longitude columns"),
    (b'{"type": "umap"}', "a.umap", "not a umap file"),
])
def test_unusable_files_fail_with_a_reason(store: Store, tmp_path: Path, content: bytes,
                                           name: str, message: str) -> None:
    before = state(store)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message) as err:
        service.import_file(store, "m", path, USER)
    assert name in str(err.value)
    assert err.value.exit_code == 4
    assert state(store) == before


def test_size_cap(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_MAX_UPLOAD_MB", "0.001")  # 1,048 bytes
    path = tmp_path / "big.geojson"
    path.write_text(json.dumps(fc(*[feat(pt(4.34, 50.85), f"p{i}") for i in range(30)])))
    assert path.stat().st_size > 1048
    before = state(store)
    with pytest.raises(DataFileError, match=r"over the upload limit of 0 MB .*MAX_UPLOAD_MB"):
        service.import_file(store, "m", path, USER)
    assert state(store) == before
    monkeypatch.setenv("BUURTKAART_MAX_UPLOAD_MB", "50")
    assert service.import_file(store, "m", path, USER, dry_run=True).imported == 30


def test_default_size_cap_is_50_mb() -> None:
    from buurtkaart.exchange.readers import max_upload_bytes

    assert max_upload_bytes() == 50 * 1024 * 1024


def test_feature_cap(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_MAX_FEATURES", "5")
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps(fc(*[feat(pt(4.34, 50.85), f"p{i}") for i in range(6)])))
    with pytest.raises(DataFileError, match=r"more than 5 features.*BUURTKAART_MAX_FEATURES"):
        service.import_file(store, "m", path, USER)


BAD_FEATURES = [
    (feat(None), "null geometry"),
    (feat(pt(50.85, 4.34)), None),  # in range but swapped: only the map check sees it
    (feat(pt(4.34, 150.0)), "latitude 150.0 is out of range"),
    (feat(pt(195.0, 50.85)), "longitude 195.0 out of range"),
    (feat(pt(200.0, 100.0)), "out of range"),
    (feat(pt(149000.0, 170000.0)), "projected coordinates (e.g. Belgian Lambert 72)"),
    (feat({"type": "Polygon", "coordinates": [ring((4.3, 50.8), (4.4, 50.8), (4.4, 50.9),
                                                   (4.3, 50.9))]}), "is not closed"),
    (feat({"type": "Polygon", "coordinates": [ring((4.3, 50.8), (4.4, 50.8),
                                                   (4.3, 50.8))]}), "at least 4"),
    (feat({"type": "Polygon", "coordinates": [ring((4.3, 50.8), (4.4, 50.9), (4.4, 50.8),
                                                   (4.3, 50.9), (4.3, 50.8))]}),
     "invalid Polygon: Self-intersection"),
    (feat({"type": "LineString", "coordinates": [[4.3, 50.8]]}), "at least 2 positions"),
    (feat({"type": "Point", "coordinates": ["4.3", None]}), "non-numeric"),
    (feat({"type": "Circle", "coordinates": [4.3, 50.8]}), "unknown geometry type"),
    (feat(pt(4.34, 50.85), ""), "no name"),
    ({"type": "Feature", "geometry": pt(4.34, 50.85),
      "properties": {"name": "x", "kind": "robot"}}, "unknown kind 'robot'"),
    ({"type": "Feature", "geometry": pt(4.34, 50.85),
      "properties": {"name": "x", "roles": "boss"}}, "unknown role(s) 'boss'"),
    ({"type": "Polygon"}, "not a GeoJSON Feature"),
]


def test_each_bad_feature_is_listed_with_index_and_reason(store: Store,
                                                          tmp_path: Path) -> None:
    good = feat(pt(4.3390, 50.8560), "Good place")
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(fc(good, *[f for f, _ in BAD_FEATURES])))
    report = service.import_file(store, "m", path, USER)
    assert report.imported == 1
    reasons = {r.index: r.reason for r in report.skipped}
    assert set(reasons) == set(range(2, len(BAD_FEATURES) + 2))
    for i, (_, expected) in enumerate(BAD_FEATURES, start=2):
        if expected is None:
            assert "look swapped" in reasons[i] and "km from the map" in reasons[i]
        else:
            assert expected in reasons[i], (i, reasons[i])
    assert "latitude and longitude look swapped" in reasons[4]


def test_all_invalid_means_exit_4_and_no_change(store: Store, tmp_path: Path) -> None:
    before = state(store)
    path = tmp_path / "allbad.geojson"
    path.write_text(json.dumps(fc(feat(None), feat(pt(4.34, 150.0)))))
    with pytest.raises(DataFileError, match=r"no valid feature to import: #1: null geometry"):
        service.import_file(store, "m", path, USER)
    assert state(store) == before


def test_mixed_utf8_and_windows_1252_csv(store: Store, tmp_path: Path) -> None:
    data = (b"naam;latitude;longitude;beschrijving\n"
            + "Brasserie Hélène;50,8561;4,3391;één\n".encode()
            + "Café Façade;50.8571;4.3371;crème brûlée\n".encode("cp1252")
            + "Ümit Bakkerij;50.8581;4.3361;ok\n".encode())
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    report = service.import_file(store, "m", path, USER)
    assert report.imported == 3
    assert any("lines 3 are not UTF-8 and were read as Windows-1252" in n for n in report.notes)
    names = {a["name"]: a for a in store.list_actors(store.get_map("m")["id"])}
    assert {"Brasserie Hélène", "Café Façade", "Ümit Bakkerij"} <= set(names)
    assert names["Café Façade"]["notes"] == "crème brûlée"
    assert (names["Brasserie Hélène"]["lat"], names["Brasserie Hélène"]["lon"]) == (
        50.8561, 4.3391)


def test_csv_rows_with_bad_cells(tmp_path: Path) -> None:
    data = b"name,lat,lng\nok,50.85,4.34\nshort,50.85\nbad,abc,4.3\nfar,95,4.3\n,\n"
    result = read_bytes(data, "rows.csv")
    reasons = {r.index: r.reason for r in result.rejected}
    assert "has 2 cells, the header has 3" in reasons[2]
    assert "'abc' is not a number" in reasons[3]
    assert len(result.features) == 2  # "far" is rejected later, by the geometry check
    assert any("row 5: empty line ignored" in n for n in result.notes)


def test_bad_options(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(fc(feat(pt(4.34, 50.85)))))
    with pytest.raises(InputError, match="unknown import format 'kml'"):
        service.import_file(store, "m", path, USER, fmt="kml")
    with pytest.raises(InputError, match="--on-duplicate 'replace'"):
        service.import_file(store, "m", path, USER, on_duplicate="replace")
    with pytest.raises(DataFileError, match="looks like geojson, not overpass"):
        service.import_file(store, "m", path, USER, fmt="overpass")
    with pytest.raises(DataFileError, match="cannot read"):
        service.import_file(store, "m", tmp_path / "missing.geojson", USER)


def test_deeply_nested_geometry_collection_is_a_reason_not_a_crash() -> None:
    geom: dict[str, Any] = {"type": "Point", "coordinates": [4.3, 50.8]}
    for _ in range(200):
        geom = {"type": "GeometryCollection", "geometries": [geom]}
    data = json.dumps(fc(feat(geom))).encode()
    from buurtkaart.exchange.mapping import to_candidates

    result = read_bytes(data, "deep.geojson")
    assert to_candidates(result) == []
    assert "nested more than 5 levels" in result.rejected[0].reason
