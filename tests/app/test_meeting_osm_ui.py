"""The meeting page's follow-ups for changed places of actors (AppTest, real store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.meeting.actor_osm import KEPT_SOURCE
from buurtkaart.store import open_store

LAT, LON = 50.8552, 4.3387
SCRIPT = """
import os
from buurtkaart.store import open_store
from buurtkaart.app.context import PageContext
from buurtkaart.app.screens import teamvergadering
store = open_store(os.environ["BK_MEETING_DB"])
ctx = PageContext(store=store, map=store.get_map("Molenbeek"), lang="nl", user="an")
teamvergadering.render_meeting_page(ctx)
"""


def _place(osm_id: str, name: str, category: str, dn_m: float, **tags: str) -> Place:
    return Place(osm_id, name, None, None, category, LAT + dn_m / 111_195.0, LON,
                 {"name": name, **tags}, "test")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    area = Area.circle(LAT, LON, 500)
    with open_store(url) as s:
        m = s.create_map("an", name="Molenbeek", org_name="B", lat=LAT, lon=LON, area=area)
        mosque = {"amenity": "place_of_worship"}
        s.import_places("an", m["id"], [
            _place("node/7", "Al Amal", "worship_muslim", 0, **mosque),
            _place("node/8", "Bakkerij Jan", "shop_food", 200, shop="bakery")],
            source="old", area=area)
        s.import_places("an", m["id"], [_place("node/7", "Al Amal", "worship_muslim", 120,
                                               **mosque)], source="new", area=area)
        s.add_actor("an", m["id"], name="An", osm_id="node/7", roles=["sleutelfiguur"],
                    lat=LAT, lon=LON)
        s.add_actor("an", m["id"], name="Bram", osm_id="node/8", lat=LAT, lon=LON)
    monkeypatch.setenv("BK_MEETING_DB", url)
    return url


def _md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")  # md_escape


def test_follow_ups_move_the_point_or_keep_it(db: str) -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    text = _md(at)
    assert "OSM-wijzigingen bij onze actoren" in text
    assert "Gebedshuis Al Amal, waar onze sleutelfiguur An actief is, is verhuisd (120 m)" in text
    assert "Bakkerij Jan, waar Bram actief is, staat niet meer op de kaart" in text
    moves = [b for b in at.button if b.label == "Punt verplaatsen"]
    assert len(moves) == 1  # a gone place has no new point
    moves[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    with open_store(db) as s:
        an = next(a for a in s.list_actors(s.get_map("Molenbeek")["id"]) if a["name"] == "An")
    assert an["lat"] == pytest.approx(LAT + 120 / 111_195.0)
    assert "is verhuisd" not in _md(at)

    keeps = [b for b in at.button if b.label == "Zo laten"]
    assert len(keeps) == 1
    keeps[0].click().run()
    assert "staat niet meer op de kaart" not in _md(at)
    with open_store(db) as s:
        kept = [x for x in s.list_signals(s.get_map("Molenbeek")["id"])
                if x["source"] == KEPT_SOURCE]
    assert len(kept) == 1 and kept[0]["status"] == "ignored"
