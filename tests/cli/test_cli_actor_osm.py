"""``meeting since`` raises the changed places of actors; "keep" is remembered in the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.core.area import Area
from buurtkaart.meeting.actor_osm import actor_changes, keep_signal, kept_keys, move_fields
from buurtkaart.meeting.collect import gather
from buurtkaart.places import Place
from buurtkaart.store import open_store

LAT, LON = 50.8552, 4.3387


def _mosque(dn_m: float) -> Place:
    return Place("node/7", "Al Amal", None, None, "worship_muslim", LAT + dn_m / 111_195.0,
                 LON, {"name": "Al Amal", "amenity": "place_of_worship"}, "test")


def test_meeting_since_says_the_mosque_moved_then_move_and_keep(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    area = Area.circle(LAT, LON, 500)
    with open_store(db) as store:
        m = store.create_map("an", name="Molenbeek", org_name="B", lat=LAT, lon=LON, area=area)
        accounts.add_user(store, "an", None, map_id=m["id"], role="editor")
        store.import_places("an", m["id"], [_mosque(0)], source="old", area=area)
        store.import_places("an", m["id"], [_mosque(120)], source="new", area=area)
        actor = store.add_actor("an", m["id"], name="An", osm_id="node/7",
                                roles=["sleutelfiguur"], lat=LAT, lon=LON)
    today = dt.date.today().isoformat()
    assert main(["meeting", "since", "--db", db, "--map", "Molenbeek", "--date", today]) == 0
    out = capsys.readouterr().out
    assert "OSM-wijzigingen bij onze actoren (1)" in out
    assert "Gebedshuis Al Amal, waar onze sleutelfiguur An actief is, is verhuisd (120 m)" in out

    with open_store(db) as store:  # "move": a normal actor update through the write path
        view = gather(store, m["id"], dt.date.today())
        (change,) = actor_changes(view.actors, view.diff)
        store.update_actor("an", actor["id"], move_fields(change))
        moved = store.get_actor(actor["id"])
        assert moved["lat"] == pytest.approx(LAT + 120 / 111_195.0)
        view = gather(store, m["id"], dt.date.today())
        assert actor_changes(view.actors, view.diff) == []
        store.update_actor("an", actor["id"], {"lat": LAT, "lon": LON})  # back: raised again
        view = gather(store, m["id"], dt.date.today())
        (change,) = actor_changes(view.actors, view.diff)
        store.add_signal("an", m["id"], **keep_signal(change, dt.date.today()))  # "keep"
        assert kept_keys(store.list_signals(m["id"])) == {(actor["id"], change.key)}
    assert main(["meeting", "since", "--db", db, "--map", "Molenbeek", "--date", today,
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["actor_changes"] == []
