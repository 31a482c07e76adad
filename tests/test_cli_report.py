"""``buurtkaart report`` on a real store holding the hand-derived map of test_insights."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_insights import constructed_map

from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.core.place import Place
from buurtkaart.store import open_store


def fill_store(url: str, name: str = "molenbeek") -> dict[str, str]:
    """Write the constructed map into the store; return test key -> stored actor id."""
    data = constructed_map()
    store = open_store(url)
    try:
        the_map = store.create_map("tester", name=name, org_name="Ons Huis",
                                   lat=data.map["lat"], lon=data.map["lon"])
        places = [Place(p["osm_id"], p["name"], None, None, p["category"], p["lat"], p["lon"],
                        {}, "test") for p in data.places]
        store.import_places("tester", the_map["id"], places, source="test")
        ids: dict[str, str] = {}
        for a in data.actors:
            fields = {k: a[k] for k in ("name", "strength", "status", "lat", "lon", "roles",
                                        "kind", "leaning", "osm_id", "category", "last_contact")}
            fields["location_precision"] = "exact"
            ids[a["id"]] = store.add_actor("tester", the_map["id"], **fields)["id"]
        for link in data.links:
            store.add_link("tester", the_map["id"], ids[link["from_id"]], ids[link["to_id"]],
                           link["type"], link["strength"])
        for c in data.contacts:
            store.add_contact("tester", ids[c["actor_id"]], c["date"], "visit", "reached")
        empty = store.create_map("tester", name="leeg", org_name="Niemand",
                                 lat=data.map["lat"], lon=data.map["lon"])
        # The CLI acts as BUURTKAART_USER=tester, a viewer of both maps.
        accounts.add_user(store, "tester", None, map_id=the_map["id"], role="viewer")
        accounts.add_user(store, "tester", None, map_id=empty["id"], role="viewer")
    finally:
        store.close()
    return ids


@pytest.fixture(autouse=True)
def _acting_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_USER", "tester")
    monkeypatch.delenv("BUURTKAART_SINGLE_USER", raising=False)


def test_report_refused_for_a_non_member(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    fill_store(db)
    code, out, err = run(capsys, "--db", db, "--map", "molenbeek", "--user", "mallory",
                         "--walk-minutes", "none")
    assert code == 5 and out == "" and "mallory" in err


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_answers(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = fill_store(store_url)
    code, out, _ = run(capsys, "--db", store_url, "--map", "molenbeek", "--today", "2026-11-28",
                       "--walk-minutes", "none")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    assert report["island_score"]["score"] == 42
    assert report["coverage"]["untied"] == ["worship_muslim", "public_space"]
    assert [b["id"] for b in report["bridges"]["items"]] == [ids["K"]]
    assert report["bridges"]["items"][0]["only_path_to"] == ["Ouder 1", "Ouder 2", "Ouder 3"]
    assert [i["id"] for i in report["neglected"]["items"]] == [ids["C"], ids["B"]]
    assert report["distance"]["strong_within_m"] == 300
    assert report["counts"]["total"] == 9
    assert report["walking_areas"]["features"] == []


def test_markdown_memo(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    fill_store(sqlite_url)
    target = tmp_path / "memo.md"
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--format", "md",
                       "--today", "2026-11-28", "--walk-minutes", "none", "-o", str(target))
    assert code == 0 and out == ""
    memo = target.read_text(encoding="utf-8")
    assert "Eilandscore 42/100" in memo
    assert "Fatima is onze enige brug naar Ouder 1, Ouder 2 en Ouder 3." in memo
    assert "Al onze 2 sterke banden liggen binnen 300 m." in memo
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--format", "md",
                       "--lang", "en", "--walk-minutes", "none", "--today", "2026-11-28")
    assert "Fatima is our only bridge to Ouder 1, Ouder 2 and Ouder 3." in out


def test_empty_map_message(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    fill_store(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "leeg", "--format", "md",
                       "--walk-minutes", "none")
    assert code == 0
    assert "Deze kaart heeft nog geen actoren" in out


def test_errors(sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fill_store(sqlite_url)
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "nergens")
    assert code == 2 and "nergens" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--walk-minutes", "5,x")
    assert code == 2 and "'x'" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--today", "gisteren")
    assert code == 2 and "gisteren" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--speed", "-3")
    assert code == 2 and "--speed -3" in err
    missing = tmp_path / "missing.osm.pbf"
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--osm-file",
                       str(missing))
    assert code == 4 and "missing.osm.pbf" in err


@pytest.mark.shared
def test_walking_areas_on_brussels(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                                   brussels_2013: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    ids = fill_store(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--osm-file",
                       str(brussels_2013), "--today", "2026-11-28")
    assert code == 0
    fc = json.loads(out)["walking_areas"]
    assert fc["error"] is None
    assert [f["properties"]["minutes"] for f in fc["features"]] == [5, 10, 15]
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in fc["features"])
    inside = [set(f["properties"]["actor_ids_within"]) for f in fc["features"]]
    assert inside[0] <= inside[1] <= inside[2]
    # Buurthuis lies 900 m north as the crow flies: beyond 10 min at 4.5 km/h + 30 m buffer
    assert ids["D"] not in inside[1]
