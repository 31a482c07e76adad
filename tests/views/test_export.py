"""Export: profiles, GeoJSON contract (JSON Schema + GDAL), GeoPackage, CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pyogrio
import pytest
from support.exchange_data import PERSONS, build_map, load, metres, positions, strings

from buurtkaart._errors import InputError
from buurtkaart.exchange import profiles, service
from buurtkaart.store import Store, open_store
from buurtkaart.views import export_csv as csv_out
from buurtkaart.views import export_geojson as geojson_out

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, Any]]:
    path = tmp_path_factory.mktemp("export") / "buurt.db"
    store = open_store(f"sqlite:///{path}")
    return store, build_map(store)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = geojson_out.load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def export(filled: tuple[Store, dict[str, Any]], profile: str, fmt: str = "geojson",
           **kw: Any) -> bytes:
    store, m = filled
    return service.export_map(store, m["name"], profile, fmt, now=NOW, **kw)


@pytest.mark.parametrize("profile", profiles.PROFILES)
@pytest.mark.parametrize("relations", [False, True])
def test_every_geojson_export_passes_the_schema(filled: Any, validator: Any, profile: str,
                                                relations: bool) -> None:
    doc = load(export(filled, profile, relations=relations))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert "crs" not in doc
    meta = doc["buurtkaart"]
    assert (meta["profile"], meta["map"]["name"]) == (profile, "buurt")
    assert meta["attribution"] == "© OpenStreetMap contributors"
    assert meta["licence"] == "ODbL-1.0"
    assert meta["exported_at"] == NOW.isoformat()
    layers = {f["properties"]["layer"] for f in doc["features"]}
    assert ("relations" in layers) == relations


def test_schema_rejects_what_the_contract_forbids(filled: Any, validator: Any) -> None:
    doc = load(export(filled, "public"))
    actor = next(f for f in doc["features"] if f["properties"]["layer"] == "actors")
    bad_cases = []
    leaked = json.loads(json.dumps(doc))
    next(f for f in leaked["features"] if f["properties"]["layer"] == "actors")[
        "properties"]["notes"] = "secret"
    bad_cases.append(leaked)
    with_crs = dict(doc, crs={"type": "name"})
    bad_cases.append(with_crs)
    swapped = json.loads(json.dumps(doc))
    feat = next(f for f in swapped["features"] if f["properties"]["layer"] == "actors")
    feat["geometry"]["coordinates"] = [4.33, 95.0]
    bad_cases.append(swapped)
    no_attr = json.loads(json.dumps(doc))
    no_attr["buurtkaart"]["attribution"] = ""
    bad_cases.append(no_attr)
    for case in bad_cases:
        assert list(validator.iter_errors(case)), case.get("crs")
    assert actor["properties"]["kind"] != "person"


def test_coordinates_are_lon_lat_with_at_most_7_decimals(filled: Any) -> None:
    store, m = filled
    doc = load(export(filled, "full"))
    org = next(f for f in doc["features"] if f["properties"]["layer"] == "organisation")
    assert org["geometry"]["coordinates"] == [m["lon"], m["lat"]]
    for feat in doc["features"]:
        for lat, lon in positions(feat["geometry"]):
            for value in (lat, lon):
                assert len(repr(value).split(".")[-1]) <= 7
    school = next(a for a in store.list_actors(m["id"]) if a["osm_id"] == "node/101")
    feat = next(f for f in doc["features"] if f["properties"].get("id") == school["id"])
    assert feat["geometry"]["coordinates"] == [school["lon"], school["lat"]]
    assert feat["properties"]["relation_strength"] == 3
    assert feat["properties"]["roles"] == ["partner"]


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_public_export_contains_no_person(filled: Any, tmp_path: Path, fmt: str) -> None:
    """Scan every field of every feature for persons' names, notes and exact positions."""
    store, m = filled
    data = export(filled, "public", fmt, relations=True) if fmt == "geojson" else \
        export(filled, "public", fmt)
    persons = [a for a in store.list_actors(m["id"]) if a["kind"] == "person"]
    assert len(persons) == len(PERSONS)
    secrets = [p["name"] for p in PERSONS] + [p["notes"] for p in PERSONS]
    secrets += ["Josianne", "Karim", "Marcel", "private money", "team only", "team note"]
    docs = _as_documents(data, fmt, tmp_path)
    texts = [s for doc in docs for s in strings(doc)]
    for secret in secrets:
        assert not any(secret in t for t in texts), secret
    for person in persons:
        assert not any(person["id"] in t for t in texts)
        exact = (person["lat"], person["lon"])
        for doc in docs:
            for pos in _doc_positions(doc):
                assert metres(pos, exact) > 150, (person["name"], pos)
    names = {str(f.get("name")) for doc in docs for f in _rows(doc)}
    assert "Basisschool De Knipoog" in names and "Moskee Al Amal" not in names
    assert "Buurtcomité Zwarte Vijvers" not in names  # informal


def _as_documents(data: bytes, fmt: str, tmp_path: Path) -> list[Any]:
    if fmt == "geojson":
        return [load(data)]
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        return [list(csv.DictReader(io.StringIO(text)))]
    path = tmp_path / "x.gpkg"
    path.write_bytes(data)
    out = []
    for name, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        out.append(json.loads(frame.to_json()))
    return out


def _rows(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, list):
        return doc
    return [f["properties"] for f in doc["features"]]


def _doc_positions(doc: Any) -> list[tuple[float, float]]:
    if isinstance(doc, list):
        return [(float(r["lat"]), float(r["lon"])) for r in doc if r["lat"]]
    return [p for f in doc["features"] for p in positions(f["geometry"])]


def test_team_export_coarsens_persons_and_drops_private(filled: Any) -> None:
    store, m = filled
    doc = load(export(filled, "team", relations=True))
    names = {f["properties"].get("name") for f in doc["features"]}
    assert "Josianne Vermeulen" in names and "Imam Karim Benali" in names
    assert "Neighbour Marcel" not in names and "Secret Funder" not in names
    karim = next(a for a in store.list_actors(m["id"]) if a["name"].startswith("Imam"))
    assert karim["location_precision"] == "exact"
    feat = next(f for f in doc["features"] if f["properties"].get("id") == karim["id"])
    lat, lon = feat["geometry"]["coordinates"][1], feat["geometry"]["coordinates"][0]
    assert (lat, lon) != (karim["lat"], karim["lon"])
    assert 0 < metres((lat, lon), (karim["lat"], karim["lon"])) <= 75  # 100 m grid
    assert feat["properties"]["location_precision"] == "coarse"
    contacts = doc["buurtkaart"]["contacts"]
    assert {c["note"] for c in contacts} == {"coffee", "try again"}  # not Marcel's
    assert "history" not in doc["buurtkaart"]


def test_full_export_keeps_everything_with_history(filled: Any) -> None:
    store, m = filled
    doc = load(export(filled, "full"))
    actors = [f for f in doc["features"] if f["properties"]["layer"] == "actors"]
    assert len(actors) == len(store.list_actors(m["id"]))
    marcel = next(f for f in actors if f["properties"]["name"] == "Neighbour Marcel")
    assert marcel["properties"]["notes"] == PERSONS[2]["notes"]
    meta = doc["buurtkaart"]
    assert len(meta["links"]) == 3 and len(meta["contacts"]) == 3
    inserts = [e for e in meta["history"] if e["op"] == "insert" and e["entity"] == "actor"]
    assert len(inserts) == len(actors)
    assert meta["map"]["address"] == "Gemeenteplein 1, 1080 Molenbeek"


def test_relation_lines_join_the_organisation_and_linked_actors(filled: Any) -> None:
    _store, m = filled
    doc = load(export(filled, "team", relations=True))
    lines = [f for f in doc["features"] if f["properties"]["layer"] == "relations"]
    by_id = {f["properties"]["id"]: f for f in doc["features"]
             if f["properties"]["layer"] == "actors"}
    org_lines = [f for f in lines if f["properties"]["type"] == "organisation"]
    located = [f for f in by_id.values() if f["geometry"] is not None]
    assert len(org_lines) == len(located)
    for line in org_lines:
        start, end = line["geometry"]["coordinates"]
        assert start == [m["lon"], m["lat"]]
        assert end == by_id[line["properties"]["to_id"]]["geometry"]["coordinates"]
    links = [f for f in lines if f["properties"]["type"] != "organisation"]
    assert {f["properties"]["type"] for f in links} == {"knows", "opens_doors", "cooperates"}


def test_geojson_reads_back_with_gdal(filled: Any, tmp_path: Path) -> None:
    path = tmp_path / "public.geojson"
    path.write_bytes(export(filled, "public", relations=True))
    frame = pyogrio.read_dataframe(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(frame) == len(doc["features"])
    assert {"id", "name", "layer", "roles", "relation_strength"} <= set(frame.columns)
    school = frame[frame["name"] == "Basisschool De Knipoog"].iloc[0]
    assert school.geometry.x == pytest.approx(4.3401) and school.geometry.y == pytest.approx(
        50.8562)
    info = pyogrio.read_info(path)
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")


def test_geopackage_has_the_five_layers_and_provenance(filled: Any, tmp_path: Path) -> None:
    store, m = filled
    path = tmp_path / "team.gpkg"
    path.write_bytes(export(filled, "team", "gpkg"))
    layers = dict(pyogrio.list_layers(path))
    assert list(layers) == ["organisation", "actors", "relations", "signals", "places",
                            "contacts"]  # + "history" in full; no tables in public
    assert len(pyogrio.read_dataframe(path, layer="contacts")) == 2
    actors = pyogrio.read_dataframe(path, layer="actors")
    team = [a for a in store.list_actors(m["id"]) if a["privacy"] != "private"]
    assert sorted(actors["name"]) == sorted(a["name"] for a in team)
    assert len(pyogrio.read_dataframe(path, layer="places")) == 3
    assert len(pyogrio.read_dataframe(path, layer="signals")) == 2
    relations = pyogrio.read_dataframe(path, layer="relations")
    assert set(relations.geometry.geom_type) == {"LineString"}
    meta = pyogrio.read_info(path, layer="actors")["layer_metadata"]
    assert meta["profile"] == "team" and meta["attribution"] == "© OpenStreetMap contributors"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_is_utf8_with_chosen_delimiter_and_no_formulas(filled: Any,
                                                           delimiter: str) -> None:
    data = export(filled, "team", "csv", delimiter=delimiter)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    assert {r["layer"] for r in rows} == {"organisation", "actors", "signals", "places"}
    for row in rows:
        for value in row.values():
            if value and value[0] in "=+-@":
                float(value)  # only plain numbers may start with a sign
    evil = next(r for r in rows if "HYPERLINK" in r["name"])
    assert evil["name"] == "'=HYPERLINK(\"http://evil\")"
    assert evil["notes"] == "'@SUM(1+1)" and evil["tags"] == "'-cmd|+x"
    assert all(r["export_profile"] == "team" and r["attribution"] for r in rows)
    assert any(r["name"] == "Buurtcomité Zwarte Vijvers" for r in rows)


def test_neutralise_cases() -> None:
    assert csv_out.neutralise("=1+1") == "'=1+1"
    assert csv_out.neutralise("+32 2 123") == "'+32 2 123"
    assert csv_out.neutralise("\t=cmd") == "'\t=cmd"
    assert csv_out.neutralise("-0.131") == "-0.131"
    assert csv_out.neutralise("a=b") == "a=b"
    with pytest.raises(InputError, match="delimiter"):
        csv_out.to_csv_text({"buurtkaart": {}, "features": []}, "\t")


def test_profile_rules_are_pure_and_strict() -> None:
    person = {"kind": "person", "formal": False, "privacy": "public"}
    informal = {"kind": "organisation", "formal": False, "privacy": "public"}
    org = {"kind": "organisation", "formal": True}
    assert not profiles.keeps_actor(person, "public")
    assert not profiles.keeps_actor(informal, "public")
    assert profiles.keeps_actor(org, "public")
    assert not profiles.keeps_actor({**org, "privacy": "team"}, "public")
    assert not profiles.keeps_actor({**org, "privacy": "private"}, "team")
    assert profiles.keeps_actor({**org, "privacy": "private"}, "full")
    with pytest.raises(InputError, match="unknown export profile"):
        service.render_export(profiles.ExportBundle(map={}), "secret", "geojson")
    with pytest.raises(InputError, match="unknown export format"):
        service.render_export(profiles.ExportBundle(map={}), "team", "kml")
