"""Attack: get a person past the privacy rules by another path (issue 16, finding 5)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from buurtkaart import privacy
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.cli import main
from buurtkaart.exchange import service
from buurtkaart.meeting.since import follow_ups
from buurtkaart.store import Store, open_store

USER = "amina"
NAME = "Josiane Vandenbroucke"
LAT, LON = 50.855917, 4.337412


def _map(store: Store, name: str) -> str:
    return str(GuardedStore(store, USER).create_map(USER, name=name, org_name="Vzw",
                                                    lat=50.8552, lon=4.3387)["id"])


def test_import_of_an_export_makes_a_team_only_coarse_person_with_a_review_date(
        store_url: str, tmp_path: Path) -> None:
    with open_store(store_url) as store:
        _map(store, "bron")
        source = store.get_map("bron")["id"]
        store.add_actor(USER, source, name=NAME, kind="person", lat=LAT, lon=LON)
        data = json.loads(service.export_map(store, "bron", "team", "geojson"))
        for feature in data["features"]:  # what the attacker writes into the file
            feature["geometry"]["coordinates"] = [LON, LAT]
            feature["properties"].update(location_precision="exact", privacy="public",
                                         review_date=None)
        path = tmp_path / "export.geojson"
        path.write_text(json.dumps(data), encoding="utf-8")
        target = _map(store, "doel")
        service.import_file(GuardedStore(store, USER), "doel", path, USER)
        (person,) = [a for a in store.list_actors(target) if a["name"] == NAME]
    assert person["privacy"] == "team"
    assert person["location_precision"] == "coarse"
    assert (person["lat"], person["lon"]) == privacy.coarsen(LAT, LON)
    assert person["review_date"] == privacy.default_review_date().isoformat()


def test_kind_changed_to_person_on_the_cli(store_url: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    with open_store(store_url) as store:
        map_id = _map(store, "m")
        org = store.add_actor(USER, map_id, name=NAME, lat=LAT, lon=LON, privacy="public")
    assert main(["actor", "update", "--db", store_url, "--map", "m", "--id", org["id"],
                 "--set", "kind=person", "--user", USER]) == 0
    capsys.readouterr()
    with open_store(store_url) as store:
        person = store.get_actor(org["id"])
    assert (person["privacy"], person["location_precision"]) == ("team", "coarse")
    assert (person["lat"], person["lon"]) == privacy.coarsen(LAT, LON)
    assert person["review_date"]


def test_persons_without_a_review_date_show_in_the_review_list_and_get_one(
        store_url: str) -> None:
    with open_store(store_url) as store:
        map_id = _map(store, "m")
        person = store.add_actor(USER, map_id, name=NAME, kind="person")
        with store.engine.begin() as conn:  # stored by an older version, without a date
            conn.execute(sa.text("UPDATE actors SET review_date = NULL WHERE id = :i"),
                         {"i": person["id"]})
        actors = store.list_actors(map_id)
        listed = follow_ups(actors, [], dt.date(2026, 12, 1), months=3)
        assert ("review", None) in {(f.reason, f.last) for f in listed if f.name == NAME}
        assert [r["name"] for r in privacy.overdue_reviews(actors)] == [NAME]
        again = store.update_actor(USER, person["id"], {"notes": "gesproken"})
    assert again["review_date"] == privacy.default_review_date().isoformat()
