"""Round trip (export full -> import into an empty map -> export again) and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from support.exchange_data import USER, build_map, load

from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.exchange import service
from buurtkaart.store import open_store

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
#: Fields documented (docs/geojson.md) to differ after a round trip.
BOOKKEEPING = {"created_by", "created_at", "updated_by", "updated_at", "version"}


def comparable(doc: dict[str, Any], id_map: dict[str, str] | None = None) -> dict[str, Any]:
    """Drop the documented round-trip differences; map new ids back to the old ones."""
    text = json.dumps(doc, sort_keys=True)
    for new, old in (id_map or {}).items():
        text = text.replace(new, old)
    doc = json.loads(text)
    meta = doc["buurtkaart"]
    for key in ("exported_at", "map", "history"):
        meta.pop(key, None)
    for rows in (meta.get("links", []), meta.get("contacts", [])):
        for row in rows:
            for key in BOOKKEEPING:
                row.pop(key, None)
    feats = []
    for feat in doc["features"]:
        props = feat["properties"]
        if props["layer"] == "organisation":
            continue  # the target map's own organisation feature
        for key in BOOKKEEPING:
            props.pop(key, None)
        feats.append(feat)
    doc["features"] = feats
    return doc


def test_round_trip_full_export_into_an_empty_map(store_url: str, tmp_path: Path) -> None:
    source = open_store(store_url)
    build_map(source, "buurt")
    first = service.export_map(source, "buurt", "full", "geojson", relations=True, now=NOW)
    path = tmp_path / "full.geojson"
    path.write_bytes(first)
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    target.create_map(USER, name="copy", org_name="Vzw De Buurt", lat=50.8552, lon=4.3387)
    report = service.import_file(target, "copy", path, "restorer")
    assert report.skipped == []
    assert report.imported == len(source.list_actors(source.get_map("buurt")["id"]))
    assert report.extra == {"links": 3, "contacts": 3, "signals": 2, "places": 3}
    second = service.export_map(target, "copy", "full", "geojson", relations=True, now=NOW)
    a, b = load(first), load(second)
    same_map = {b["buurtkaart"]["map"]["id"]: a["buurtkaart"]["map"]["id"]}
    assert comparable(a) == comparable(b, same_map)  # other ids are preserved: exact
    assert len(a["buurtkaart"]["history"]) > len(a["features"]) // 2
    source.close()
    target.close()


def test_round_trip_into_the_same_store_gives_new_ids(sqlite_url: str, tmp_path: Path) -> None:
    store = open_store(sqlite_url)
    build_map(store, "buurt")
    first = service.export_map(store, "buurt", "full", "geojson", now=NOW)
    path = tmp_path / "full.geojson"
    path.write_bytes(first)
    store.create_map(USER, name="copy", org_name="Vzw De Buurt", lat=50.8552, lon=4.3387)
    report = service.import_file(store, "copy", path, USER)
    assert report.extra["links"] == 3
    second = load(service.export_map(store, "copy", "full", "geojson", now=NOW))
    old = {f["properties"]["name"]: f["properties"]["id"] for f in load(first)["features"]
           if f["properties"]["layer"] == "actors"}
    new = {f["properties"]["name"]: f["properties"]["id"] for f in second["features"]
           if f["properties"]["layer"] == "actors"}
    assert set(old) == set(new) and not set(old.values()) & set(new.values())
    id_map = {new[n]: old[n] for n in new}
    id_map[second["buurtkaart"]["map"]["id"]] = load(first)["buurtkaart"]["map"]["id"]
    for group, unique in (("links", "type"), ("contacts", "note")):
        before = {r[unique]: r["id"] for r in load(first)["buurtkaart"][group]}
        for row in second["buurtkaart"][group]:
            id_map[row["id"]] = before[row[unique]]
    sigs = [f for f in load(first)["features"] if f["properties"]["layer"] == "signals"]
    sigs2 = [f for f in second["features"] if f["properties"]["layer"] == "signals"]
    for a, b in zip(sorted(sigs, key=lambda f: f["properties"]["title"]),
                    sorted(sigs2, key=lambda f: f["properties"]["title"]), strict=True):
        id_map[b["properties"]["id"]] = a["properties"]["id"]
    c1, c2 = comparable(load(first)), comparable(second, id_map)
    key = lambda f: (f["properties"]["layer"], str(f["properties"].get("id")),  # noqa: E731
                     str(f["properties"].get("osm_id")))
    c1["features"].sort(key=key)
    c2["features"].sort(key=key)
    for group in ("links", "contacts"):
        c1["buurtkaart"][group].sort(key=lambda r: r["id"])
        c2["buurtkaart"][group].sort(key=lambda r: r["id"])
    assert c1 == c2


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    store = open_store(sqlite_url)
    build_map(store, "buurt")
    store.create_map(USER, name="empty", org_name="Org", lat=50.85, lon=4.34)
    store.close()
    return sqlite_url


def test_cli_export_and_import(cli_db: str, tmp_path: Path, umap_dir: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public.geojson"
    code = main(["export", "--db", cli_db, "--map", "buurt", "--profile", "public",
                 "--format", "geojson", "--relations", "-o", str(out)])
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["buurtkaart"]["profile"] == "public"
    assert any(f["properties"]["layer"] == "relations" for f in doc["features"])
    csv_path = tmp_path / "team.csv"
    assert main(["export", "--db", cli_db, "--map", "buurt", "--profile", "team",
                 "--format", "csv", "--delimiter", ";", "-o", str(csv_path)]) == 0
    assert csv_path.read_text(encoding="utf-8-sig").startswith("layer;id;name")
    capsys.readouterr()
    code = main(["import", str(umap_dir / "test_upload_missing_name.json"), "--db", cli_db,
                 "--map", "empty", "--user", "amina"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "imported 3, merged 0, skipped 1" in printed
    assert "skipped #2: no name" in printed
    code = main(["import", str(umap_dir / "test_upload_data.csv"), "--db", cli_db,
                 "--map", "empty", "--dry-run", "--format", "csv"])
    assert code == 0 and "would import 2" in capsys.readouterr().out
    store = open_store(cli_db)
    assert len(store.list_actors(store.get_map("empty")["id"])) == 3


def test_cli_exit_codes(cli_db: str, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x.geojson")
    with pytest.raises(SystemExit) as usage:
        main(["export", "--db", cli_db, "--map", "buurt", "--profile", "secret",
              "--format", "geojson", "-o", out])
    assert usage.value.code == 2
    assert main(["export", "--db", cli_db, "--map", "nope", "--profile", "team",
                 "--format", "geojson", "-o", out]) == 2
    assert "nope" in capsys.readouterr().err
    not_json = tmp_path / "bad.geojson"
    not_json.write_text("{ this is not json", encoding="utf-8")
    assert main(["import", str(not_json), "--db", cli_db, "--map", "empty"]) == 4
    assert "not valid JSON" in capsys.readouterr().err
    nothing = tmp_path / "nothing.geojson"
    nothing.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"name": "x"}}]}))
    assert main(["import", str(nothing), "--db", cli_db, "--map", "empty"]) == 4
    assert "no valid feature" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_fmt:
        main(["import", str(nothing), "--db", cli_db, "--map", "empty", "--format", "kml"])
    assert bad_fmt.value.code == 2


def test_cli_obeys_roles(cli_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         umap_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    store = open_store(cli_db)
    accounts.add_user(store, "vera", None, map_id=store.get_map("buurt")["id"], role="viewer")
    store.close()
    out = str(tmp_path / "x.geojson")
    args = ["--db", cli_db, "--map", "buurt", "--format", "geojson", "-o", out]
    assert main(["export", "--profile", "team", "--user", "vera", *args]) == 0
    assert main(["export", "--profile", "full", "--user", "vera", *args]) == 5
    assert "vera" in capsys.readouterr().err
    assert main(["import", str(umap_dir / "test_upload_data.csv"), "--db", cli_db,
                 "--map", "buurt", "--user", "vera"]) == 5
    assert main(["export", "--profile", "public", *args]) == 5  # no acting user
