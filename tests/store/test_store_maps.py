"""Managing maps in the store: change, archive, delete (with its tombstone), preferences."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from buurtkaart._errors import InputError, NotFoundError, PermissionDenied
from buurtkaart.auth import accounts
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.store import Store


def _filled(store: Store) -> tuple[str, str]:
    """A map with an actor, a link, a contact, a signal, a meeting and an import."""
    m = store.create_map("ann", name="Molenbeek", org_name="Buurthuis", lat=50.855, lon=4.338,
                         address="Graaf van Vlaanderenstraat 20")
    a = store.add_actor("ann", m["id"], name="Moskee", roles=["sleutelfiguur"])
    b = store.add_actor("ann", m["id"], name="Bakker Aziz", kind="person")
    store.add_link("ann", m["id"], a["id"], b["id"], "kent")
    store.add_contact("ann", a["id"], "2026-11-20", "visit", "reached", note="koffie")
    store.add_signal("ann", m["id"], date="2026-11-21", title="Nieuwe bakker")
    store.add_meeting("ann", m["id"], date="2026-11-27")
    cafe = Place(osm_id="node/1", name="Café", name_nl=None, name_fr=None, source="osm",
                 category="cafe", lat=50.855, lon=4.339, tags={})
    store.import_places("ann", m["id"], [cafe], source="file:x.pbf")
    other = store.create_map("ann", name="Anderlecht", org_name="Ander", lat=50.83, lon=4.31)
    store.add_actor("ann", other["id"], name="Blijft")
    return str(m["id"]), str(other["id"])


def test_update_map_moves_the_point_and_changes_the_area_with_one_event(store: Store) -> None:
    map_id, _ = _filled(store)
    area = Area.circle(50.856, 4.340, 600).to_dict()
    moved = store.update_map("ann", map_id, {"lat": 50.856, "lon": 4.340, "area": area,
                                             "address": "Place Communale 1"})
    assert (moved["lat"], moved["lon"], moved["address"]) == (50.856, 4.340, "Place Communale 1")
    assert moved["area"]["radius_m"] == 600 and moved["version"] == 2
    ops = [(e["op"], e["after"]["lat"]) for e in store.history(map_id)]
    assert ops == [("insert", 50.855), ("update", 50.856)]
    with pytest.raises(InputError, match="archive_map"):
        store.update_map("ann", map_id, {"archived_at": "2026-12-01"})


def test_archive_hides_a_map_from_the_list_and_undo_brings_it_back(store: Store) -> None:
    map_id, other = _filled(store)
    archived = store.archive_map("ann", map_id)
    assert archived["archived_at"]
    assert [m["id"] for m in store.list_maps()] == [other]
    assert {m["id"] for m in store.list_maps(include_archived=True)} == {map_id, other}
    assert store.list_actors(map_id)  # kept whole
    assert store.archive_map("ann", map_id, archived=False)["archived_at"] is None
    assert len(store.list_maps()) == 2
    assert [e["op"] for e in store.history(map_id)] == ["insert", "update", "update"]


def test_delete_removes_the_map_its_content_and_history_and_leaves_one_event(
        store: Store) -> None:
    map_id, other = _filled(store)
    accounts.add_user(store, "bob", None, map_id=map_id, role="editor")
    store.set_preference("bob", "map_id", map_id)
    counts = store.map_contents(map_id)
    assert counts["actor"] == 2 and counts["contact"] == 1 and counts["places"] == 1
    assert counts["members"] == 1 and counts["events"] > 5
    with pytest.raises(InputError, match="confirm"):
        store.delete_map("ann", map_id, confirm="molenbeek")
    summary = store.delete_map("ann", map_id, confirm="Molenbeek")
    assert summary["removed"] == counts
    assert summary["members"] == [{"user_name": "bob", "role": "editor"}]
    with pytest.raises(NotFoundError):
        store.get_map(map_id)
    assert [m["id"] for m in store.list_maps(include_archived=True)] == [other]
    assert len(store.list_actors(other)) == 1
    (event,) = store.events_since(map_id, "2000-01-01")
    assert (event["entity"], event["op"], event["user"]) == ("map", "delete", "ann")
    assert "Moskee" not in str(event) and "koffie" not in str(event)
    assert store.get_preferences("bob") == {}
    with store.engine.connect() as conn:
        places = conn.exec_driver_sql("SELECT count(*) FROM import_places").scalar()
    assert places == 0


def test_preferences_are_per_user_and_only_known_names(store: Store) -> None:
    store.set_preference("ann", "lang", "fr")
    store.set_preference("ann", "map_id", "m-1")
    store.set_preference("bob", "lang", "en")
    assert store.get_preferences("ann") == {"lang": "fr", "map_id": "m-1"}
    store.set_preference("ann", "lang", None)
    assert store.get_preferences("ann") == {"map_id": "m-1"}
    with pytest.raises(InputError, match="unknown preference"):
        store.set_preference("ann", "theme", "dark")
    with store.engine.connect() as conn:  # no events: UI state, not team data
        kinds = {r[0] for r in conn.execute(sa.text("SELECT DISTINCT entity FROM events"))}
    assert "preference" not in kinds


def test_editors_change_a_map_only_admins_archive_or_delete_it(store: Store) -> None:
    map_id, _ = _filled(store)
    accounts.add_user(store, "ann", None, map_id=map_id, role="admin")
    accounts.add_user(store, "eddy", None, map_id=map_id, role="editor")
    editor = GuardedStore(store, "eddy")
    assert editor.update_map("eddy", map_id, {"org_name": "Nieuw"})["org_name"] == "Nieuw"
    with pytest.raises(PermissionDenied):
        editor.archive_map("eddy", map_id)
    with pytest.raises(PermissionDenied):
        editor.delete_map("eddy", map_id, confirm="Molenbeek")
    with pytest.raises(PermissionDenied):
        editor.set_preference("ann", "lang", "fr")
    editor.set_preference("eddy", "lang", "fr")
    assert editor.get_preferences("eddy") == {"lang": "fr"}
    admin = GuardedStore(store, "ann")
    admin.delete_map("ann", map_id, confirm="Molenbeek")
    assert [m["name"] for m in store.list_maps()] == ["Anderlecht"]
