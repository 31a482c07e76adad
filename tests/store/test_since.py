""""Since the last meeting" and follow-ups on a real store.

The ``store`` fixture (tests/support/fixtures_store.py) runs each test on SQLite and on
a throwaway PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from buurtkaart._errors import InputError
from buurtkaart.core.area import Area
from buurtkaart.meeting.collect import gather
from buurtkaart.meeting.since import actor_changes, follow_ups
from buurtkaart.places import Place, read_places

CENTER = (50.8552, 4.3387)
TODAY = dt.datetime.now(dt.UTC).date()  # the store stamps events with the real clock
TOMORROW = TODAY + dt.timedelta(days=1)


def _place(osm_id: str, name: str, category: str, dlat: float = 0.0) -> Place:
    return Place(osm_id, name, None, None, category, CENTER[0] + dlat, CENTER[1],
                 {"name": name}, "test")


@pytest.fixture
def the_map(store: Any) -> dict[str, Any]:
    return store.create_map("an", name="Molenbeek", org_name="Buurtwerk",
                            lat=CENTER[0], lon=CENTER[1], area=Area.circle(*CENTER, 1000))


def test_changes_since_previous_meeting(store: Any, the_map: dict[str, Any]) -> None:
    mid = the_map["id"]
    area = Area.circle(*CENTER, 1000)
    store.import_places("an", mid, [_place("node/1", "Bakkerij Jan", "shop_food"),
                                    _place("node/2", "Café Oud", "horeca", 0.001)],
                        source="test-2012", area=area)
    vzw = store.add_actor("an", mid, name="VZW Brug", roles=["neutrale_speler"],
                          leaning="neutral", lat=CENTER[0], lon=CENTER[1])
    old = store.add_actor("an", mid, name="Oude club", lat=CENTER[0], lon=CENTER[1])
    store.add_meeting("an", mid, date=TODAY.isoformat(), title="Teamoverleg")
    # After the meeting:
    store.update_actor("bo", vzw["id"], {"roles": ["partner"], "leaning": "ally"})
    mosque = store.add_actor("bo", mid, name="Moskee Al Amal", roles=["sleutelfiguur"],
                             lat=CENTER[0] + 0.002, lon=CENTER[1])
    store.add_contact("an", mosque["id"], TODAY.isoformat(), "visit", "reached")
    store.add_signal("bo", mid, date=TODAY.isoformat(), type="infrastructure",
                     title="Zone 30 in de Ribaucourtstraat")
    store.delete_actor("an", old["id"])
    store.import_places("an", mid, [_place("node/1", "Bakkerij Jan", "shop_food"),
                                    _place("node/3", "Bakkerij X", "shop_food", 0.002)],
                        source="test-2013", area=area)

    view = gather(store, mid, TOMORROW)
    assert view.previous is not None and not view.since.first_meeting
    sections = {s: [(i.title, i.detail) for i in items]
                for s, items in view.since.by_section().items()}
    assert sections["new_actor"] == [("Moskee Al Amal", "Sleutelfiguur")]
    assert sections["actor_change"] == [
        ("VZW Brug", "Rol: Neutrale speler → Partner; Houding: Neutraal → Bondgenoot")]
    assert sections["gone_actor"] == [("Oude club", "")]
    assert [t for t, _ in sections["contact"]] == ["Moskee Al Amal"]
    assert [t for t, _ in sections["signal"]] == ["Zone 30 in de Ribaucourtstraat"]
    assert [t for t, _ in sections["osm_new"]] == ["Bakkerij X"]
    assert [t for t, _ in sections["osm_gone"]] == ["Café Oud"]
    assert "VZW Brug" not in [t for t, _ in sections.get("new_actor", [])]

    bo = {i.title for i in view.since.for_user("bo").items if i.section != "osm_new"}
    assert bo == {"VZW Brug", "Moskee Al Amal", "Zone 30 in de Ribaucourtstraat"}
    assert set(view.since.users()) == {"an", "bo"}


def test_no_previous_meeting_shows_everything(store: Any, the_map: dict[str, Any]) -> None:
    mid = the_map["id"]
    store.add_actor("an", mid, name="A", lat=CENTER[0], lon=CENTER[1])
    store.add_actor("bo", mid, name="B")
    store.add_meeting("an", mid, date=TOMORROW.isoformat(), title="Planned")  # not previous
    view = gather(store, mid, TOMORROW, lang="fr")
    assert view.previous is None and view.since.first_meeting
    assert "Pas encore de réunion précédente" in view.since.message()
    assert sorted(i.title for i in view.since.items if i.section == "new_actor") == ["A", "B"]


def test_imports_of_different_areas_are_refused(store: Any, the_map: dict[str, Any]) -> None:
    mid = the_map["id"]
    store.import_places("an", mid, [_place("node/1", "A", "shop")], source="a",
                        area=Area.circle(*CENTER, 1000))
    store.import_places("an", mid, [_place("node/1", "A", "shop")], source="b",
                        area=Area.circle(*CENTER, 400))
    store.add_actor("an", mid, name="Nieuw")
    view = gather(store, mid, TOMORROW)
    assert view.osm_error is not None
    assert "cannot compare imports of different areas" in view.osm_error
    assert "radius_m" in view.osm_error
    assert view.diff is None and [p.osm_id for p in view.places] == ["node/1"]
    assert [i.title for i in view.since.items] == ["Nieuw"]  # the rest still works


def test_follow_ups_no_contact_and_review(store: Any, the_map: dict[str, Any]) -> None:
    mid = the_map["id"]
    today = dt.date(2026, 11, 28)
    store.add_actor("an", mid, name="Stil", last_contact="2026-06-01", contact_person="an")
    store.add_actor("an", mid, name="Recent", last_contact="2026-10-30", contact_person="bo")
    store.add_actor("an", mid, name="Nooit", contact_person="bo")
    store.add_actor("an", mid, name="Pauze", status="paused", review_date="2026-11-01")
    actors, contacts = store.list_actors(mid), store.list_contacts(mid)
    got = {(f.name, f.reason, f.last) for f in follow_ups(actors, contacts, today, 3)}
    assert got == {("Stil", "no_contact", "2026-06-01"), ("Nooit", "no_contact", None),
                   ("Pauze", "review", "2026-11-01")}
    assert {f.name for f in follow_ups(actors, contacts, today, 3, worker="bo")} == {"Nooit"}
    # A logged contact counts even when last_contact was not set on the actor.
    stil = next(a for a in actors if a["name"] == "Stil")
    recent = [{"actor_id": stil["id"], "date": "2026-11-20"}]
    assert "Stil" not in {f.name for f in follow_ups(actors, recent, today, 3)}
    with pytest.raises(InputError, match="months must be >= 0"):
        follow_ups(actors, contacts, today, -1)


def test_actor_changes_labels_in_english() -> None:
    got = actor_changes({"strength": 1, "roles": ["partner"]},
                        {"strength": 3, "roles": ["partner"]}, "en")
    assert got == ["Strength: Superficial → Strong"]


@pytest.mark.shared
def test_osm_places_between_brussels_imports(store: Any, the_map: dict[str, Any],
                                             brussels_2012: Path, brussels_2013: Path) -> None:
    mid = the_map["id"]
    area = Area.circle(*CENTER, 1000)
    old, new = read_places(brussels_2012, area), read_places(brussels_2013, area)
    store.import_places("an", mid, old, source="brussels-2012", area=area)
    store.add_meeting("an", mid, date=TODAY.isoformat())
    store.import_places("an", mid, new, source="brussels-2013", area=area)
    view = gather(store, mid, TOMORROW)
    by = view.since.by_section()
    old_ids = {p.osm_id for p in old}
    new_ids = {p.osm_id for p in new}
    # Places redrawn under a new id are neither new nor gone (issue 14).
    assert view.diff is not None
    pairs = view.diff.redrawn + [c for c in view.diff.changed if c.match == "redrawn"]
    assert pairs, "the stored places keep what the redrawn match needs"
    re_new = {c.new.osm_id for c in pairs}
    re_old = {c.old.osm_id for c in pairs + view.diff.merged}
    assert {i.entity_id for i in by["osm_new"]} | re_new == new_ids - old_ids
    assert {i.entity_id for i in by["osm_gone"]} | re_old == old_ids - new_ids
    assert not {i.entity_id for i in by["osm_new"]} & re_new
