"""The person rules run in the one write path: the same person by every path, the same record."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from buurtkaart import privacy
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.cli import main
from buurtkaart.exchange import service
from buurtkaart.store import Store, open_store
from buurtkaart.store.policy import REASON_TAG

USER = "amina"
NAME = "Josiane Vandenbroucke"
LAT, LON = 50.855917, 4.337412
#: The fields the policy decides; equal for every path.
POLICY = ("kind", "privacy", "location_precision", "lat", "lon", "review_date")


def _feature() -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [LON, LAT]},
            "properties": {"name": NAME, "kind": "person", "roles": "sleutelfiguur"}}


def _files(folder: Path, umap_dir: Path) -> dict[str, Path]:
    """A CSV, a GeoJSON and a uMap file (the shared uMap file with our one feature)."""
    paths = {"csv": folder / "person.csv", "geojson": folder / "person.geojson",
             "umap": folder / "person.umap"}
    with paths["csv"].open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "kind", "roles", "lat", "lon"])
        writer.writerow([NAME, "person", "sleutelfiguur", LAT, LON])
    paths["geojson"].write_text(json.dumps({"type": "FeatureCollection",
                                            "features": [_feature()]}), encoding="utf-8")
    doc = json.loads((umap_dir / "test_upload_data.umap").read_text(encoding="utf-8"))
    layer = copy.deepcopy(doc["layers"][0])
    layer["features"] = [_feature()]
    doc["layers"] = [layer]
    paths["umap"].write_text(json.dumps(doc), encoding="utf-8")
    return paths


def _new_map(store: Store, name: str) -> str:
    return str(GuardedStore(store, USER).create_map(USER, name=name, org_name="Vzw",
                                                    lat=50.8552, lon=4.3387)["id"])


def _the_person(store: Store, map_id: str) -> dict[str, Any]:
    persons = [a for a in store.list_actors(map_id) if a["name"] == NAME]
    assert len(persons) == 1, persons
    return dict(persons[0])


def test_the_same_person_by_every_path_gets_the_same_record(
        store_url: str, tmp_path: Path, umap_dir: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    files = _files(tmp_path, umap_dir)
    store = open_store(store_url)
    try:
        maps = {path: _new_map(store, path) for path in
                ("store", "guarded", "cli", "csv", "geojson", "umap")}
        store.add_actor(USER, maps["store"], name=NAME, kind="person", lat=LAT, lon=LON,
                        roles=["sleutelfiguur"])
        GuardedStore(store, USER).add_actor(USER, maps["guarded"], name=NAME, kind="person",
                                            lat=LAT, lon=LON, roles=["sleutelfiguur"])
        guarded = GuardedStore(store, USER)
        for fmt in ("geojson", "umap"):
            report = service.import_file(guarded, fmt, files[fmt], USER, fmt=fmt)
            assert report.imported == 1, report.lines()
    finally:
        store.close()
    assert main(["actor", "add", "--db", store_url, "--map", "cli", "--name", NAME,
                 "--role", "sleutelfiguur", "--kind", "person", "--lat", str(LAT),
                 "--lon", str(LON), "--user", USER]) == 0
    assert main(["import", str(files["csv"]), "--db", store_url, "--map", "csv",
                 "--user", USER]) == 0
    capsys.readouterr()
    with open_store(store_url) as store:
        records = {path: _the_person(store, map_id) for path, map_id in maps.items()}
    expected = {"kind": "person", "privacy": "team", "location_precision": "coarse",
                "review_date": privacy.default_review_date().isoformat()}
    coarse = privacy.coarsen(LAT, LON)
    for path, record in records.items():
        assert {k: record[k] for k in expected} == expected, path
        assert (record["lat"], record["lon"]) == coarse, path
    assert len({tuple(r[k] for k in POLICY) for r in records.values()}) == 1


def test_a_buurtkaart_export_reimported_keeps_its_persons_protected(
        sqlite_url: str, tmp_path: Path) -> None:
    """An exported person made exact without a reason (by hand, in the file) comes back coarse."""
    with open_store(sqlite_url) as store:
        source = _new_map(store, "bron")
        store.add_actor(USER, source, name=NAME, kind="person", lat=LAT, lon=LON)
        data = json.loads(service.export_map(store, "bron", "team", "geojson"))
        for feature in data["features"]:
            if feature["properties"].get("name") == NAME:
                feature["geometry"]["coordinates"] = [LON, LAT]
                feature["properties"].update(location_precision="exact", privacy="public",
                                             review_date=None)
        path = tmp_path / "export.geojson"
        path.write_text(json.dumps(data), encoding="utf-8")
        target = _new_map(store, "doel")
        service.import_file(GuardedStore(store, USER), "doel", path, USER)
        person = _the_person(store, target)
    assert person["location_precision"] == "coarse"
    assert (person["lat"], person["lon"]) == privacy.coarsen(LAT, LON)
    assert person["review_date"]


def test_an_organisation_becoming_a_person_gets_the_person_rules(
        store_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    with open_store(store_url) as store:
        map_id = _new_map(store, "m")
        org = store.add_actor(USER, map_id, name=NAME, lat=LAT, lon=LON, privacy="public")
    assert (org["privacy"], org["location_precision"], org["review_date"]) == (
        "public", "exact", None)
    assert main(["actor", "update", "--db", store_url, "--map", "m", "--id", org["id"],
                 "--set", "kind=person", "--user", USER]) == 0
    capsys.readouterr()
    with open_store(store_url) as store:
        person = store.get_actor(org["id"])
        assert (person["privacy"], person["location_precision"]) == ("team", "coarse")
        assert (person["lat"], person["lon"]) == privacy.coarsen(LAT, LON)
        assert person["review_date"] == privacy.default_review_date().isoformat()
        again = store.update_actor(USER, org["id"], {"privacy": "public"})
        assert again["privacy"] == "public"  # an explicit choice afterwards is kept


def test_exact_location_needs_a_reason_on_every_path(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        map_id = _new_map(store, "m")
        plain = store.add_actor(USER, map_id, name=NAME, kind="person", lat=LAT, lon=LON,
                                location_precision="exact")
        assert plain["location_precision"] == "coarse"
        kept = store.add_actor(USER, map_id, name="Imam", kind="person", lat=LAT, lon=LON,
                               location_precision="exact", location_reason="moskee")
        assert (kept["lat"], kept["lon"], kept["location_precision"]) == (LAT, LON, "exact")
        assert f"{REASON_TAG}moskee" in kept["tags"]
        moved = store.update_actor(USER, kept["id"], {"lat": LAT + 0.001})
        assert moved["location_precision"] == "exact"  # the reason stays with the record


def test_a_person_without_a_review_date_gets_one_on_its_next_write(sqlite_url: str) -> None:
    import sqlalchemy as sa

    with open_store(sqlite_url) as store:
        map_id = _new_map(store, "m")
        person = store.add_actor(USER, map_id, name=NAME, kind="person")
        with store.engine.begin() as conn:  # a person stored before the rule existed
            conn.execute(sa.text("UPDATE actors SET review_date = NULL WHERE id = :i"),
                         {"i": person["id"]})
        undated = privacy.overdue_reviews(store.list_actors(map_id), today=dt.date(2026, 1, 1))
        assert [(r["name"], r["review_date"]) for r in undated] == [(NAME, None)]
        again = store.update_actor(USER, person["id"], {"notes": "bijgewerkt"})
        assert again["review_date"] == privacy.default_review_date().isoformat()
        assert [r["name"] for r in privacy.overdue_reviews(
            store.list_actors(map_id), today=dt.date(2100, 1, 1))] == [NAME]
