"""Store API on both backends: maps, actors, links, contacts, the write path, events."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import ConflictError, InputError, NotFoundError
from buurtkaart.store import Store
from buurtkaart.store.schema import events


def _map(store: Store, name: str = "Buurt") -> dict[str, Any]:
    return store.create_map("ann", name=name, org_name="Buurthuis", lat=50.8552, lon=4.3387)


def _event_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())


def test_map_create_get_list_update(store: Store) -> None:
    m = _map(store)
    assert m["version"] == 1 and m["created_by"] == "ann" and m["lang"] == "nl"
    assert store.get_map("Buurt") == store.get_map(m["id"]) == m
    _map(store, "Andere")
    assert [x["name"] for x in store.list_maps()] == ["Andere", "Buurt"]
    changed = store.update_map("bob", m["id"], {"address": "Gemeenteplein 1"})
    assert changed["version"] == 2 and changed["updated_by"] == "bob"
    with pytest.raises(NotFoundError, match="'Nergens'"):
        store.get_map("Nergens")
    with pytest.raises(InputError, match="already exists"):
        _map(store)


def test_actor_roundtrip_keeps_every_field(store: Store) -> None:
    m = _map(store)
    fields = {"name": "Moskee Al Khalil", "osm_id": "way/45", "kind": "organisation",
              "formal": True, "roles": ["sleutelfiguur", "brugfiguur"], "domain": "omgeving",
              "strength": 2, "status": "in_conversation", "leaning": "ally",
              "contact_person": "Sara", "last_contact": "2026-11-02", "notes": "imam opent deuren",
              "tags": ["religie", "jongeren"], "lat": 50.8561, "lon": 4.3371,
              "privacy": "team", "review_date": "2027-06-01", "category": "worship_muslim",
              "source": "osm"}
    a = store.add_actor("ann", m["id"], **fields)
    got = store.get_actor(a["id"])
    assert got == a
    for key, value in fields.items():
        assert got[key] == value, key
    assert got["version"] == 1 and got["map_id"] == m["id"]
    assert got["location_precision"] == "exact"
    assert store.list_actors(m["id"]) == [got]


def test_every_write_logs_exactly_one_event(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A", roles=["partner"])
    store.update_actor("bob", a["id"], {"strength": 3})
    store.delete_actor("cec", a["id"])
    hist = store.history(a["id"])
    assert [(e["op"], e["user"]) for e in hist] == [("insert", "ann"), ("update", "bob"),
                                                    ("delete", "cec")]
    assert hist[0]["before"] is None and hist[0]["after"]["name"] == "A"
    assert hist[1]["before"]["strength"] == 0 and hist[1]["after"]["strength"] == 3
    assert hist[2]["after"] is None and hist[2]["before"]["version"] == 2
    assert all(e["at"].endswith("+00:00") and len(e["id"]) == 36 for e in hist)
    assert _event_count(store) == 4  # + the map
    with pytest.raises(NotFoundError):
        store.get_actor(a["id"])


def test_bad_input_writes_nothing(store: Store) -> None:
    m = _map(store)
    before = _event_count(store)
    with pytest.raises(InputError, match=r"'roles'.*'imam'"):
        store.add_actor("ann", m["id"], name="X", roles=["imam"])
    with pytest.raises(InputError, match="unknown actor field 'colour'"):
        store.add_actor("ann", m["id"], name="X", colour="red")
    with pytest.raises(NotFoundError, match="unknown map"):
        store.add_actor("ann", "no-such-map", name="X")
    with pytest.raises(InputError, match="no acting user"):
        store.add_actor("", m["id"], name="X")
    a = store.add_actor("ann", m["id"], name="A")
    with pytest.raises(InputError, match="'strength'"):
        store.update_actor("ann", a["id"], {"strength": 9})
    assert _event_count(store) == before + 1
    assert store.get_actor(a["id"])["version"] == 1


def test_concurrent_edit_of_other_field_merges(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A", status="to_contact")
    store.update_actor("bob", a["id"], {"notes": "bezocht"}, if_version=1)
    merged = store.update_actor("cec", a["id"], {"status": "cooperating"}, if_version=1)
    assert merged["version"] == 3
    assert (merged["notes"], merged["status"]) == ("bezocht", "cooperating")
    assert store.history(a["id"])[-1]["user"] == "cec"


def test_concurrent_edit_of_same_field_conflicts(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A")
    store.update_actor("bob", a["id"], {"notes": "van Bob", "strength": 1}, if_version=1)
    with pytest.raises(ConflictError) as err:
        store.update_actor("cec", a["id"], {"notes": "van Cec", "status": "paused"},
                           if_version=1)
    assert err.value.conflicts == {"notes": ("van Bob", "van Cec")}
    assert "notes" in str(err.value) and "van Bob" in str(err.value)
    assert "van Cec" in str(err.value) and "\n" not in str(err.value)
    kept = store.get_actor(a["id"])
    assert (kept["notes"], kept["status"], kept["version"]) == ("van Bob", "to_contact", 2)


def test_same_value_on_both_sides_is_not_a_conflict(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A")
    store.update_actor("bob", a["id"], {"strength": 2}, if_version=1)
    res = store.update_actor("cec", a["id"], {"strength": 2}, if_version=1)
    assert res["version"] == 2  # nothing new to write


def test_future_version_is_refused(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A")
    with pytest.raises(InputError, match="version 5"):
        store.update_actor("bob", a["id"], {"strength": 2}, if_version=5)


def test_person_location_is_coarsened_on_update(store: Store) -> None:
    m = _map(store)
    p = store.add_actor("ann", m["id"], name="Josianne", kind="person")
    assert (p["privacy"], p["location_precision"]) == ("team", "coarse")
    moved = store.update_actor("ann", p["id"], {"lat": 50.855237, "lon": 4.338711})
    assert (moved["lat"], moved["lon"]) != (50.855237, 4.338711)
    assert abs(moved["lat"] - 50.855237) < 0.0005
    no_reason = store.update_actor("ann", p["id"], {"lat": 50.855237, "lon": 4.338711,
                                                    "location_precision": "exact"})
    assert (no_reason["lat"], no_reason["lon"]) != (50.855237, 4.338711)
    assert no_reason["location_precision"] == "coarse"
    exact = store.update_actor("ann", p["id"], {"lat": 50.855237, "lon": 4.338711,
                                                "location_precision": "exact",
                                                "location_reason": "afgesproken"})
    assert (exact["lat"], exact["lon"]) == (50.855237, 4.338711)


def test_links_and_cascading_delete(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="Imam")
    b = store.add_actor("ann", m["id"], name="Moskee")
    link = store.add_link("ann", m["id"], a["id"], b["id"], "opens_doors", strength=3,
                          note="opent deuren")
    assert store.list_links(m["id"]) == [link]
    with pytest.raises(NotFoundError, match="'nope'"):
        store.add_link("ann", m["id"], a["id"], "nope", "knows")
    store.add_contact("ann", a["id"], "2026-11-01", "visit", "reached")
    store.delete_actor("bob", a["id"])
    assert store.list_links(m["id"]) == []
    assert store.list_contacts(m["id"]) == []
    assert [e["op"] for e in store.history(link["id"])] == ["insert", "delete"]
    second = store.add_link("ann", m["id"], b["id"], b["id"], "self")
    store.delete_link("ann", second["id"])
    assert store.list_links(m["id"]) == []


def test_contacts_move_last_contact_forward_only(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A")
    store.add_contact("ann", a["id"], "2026-11-10", "phone", "no_answer")
    store.add_contact("bob", a["id"], "2026-11-20", "visit", "agreement", "afspraak")
    store.add_contact("cec", a["id"], "2026-11-15", "email", "reached")
    assert store.get_actor(a["id"])["last_contact"] == "2026-11-20"
    log = store.list_contacts(actor_id=a["id"])
    assert [(c["date"], c["user"]) for c in log] == [
        ("2026-11-10", "ann"), ("2026-11-15", "cec"), ("2026-11-20", "bob")]
    assert store.list_contacts(map_id=m["id"]) == log
    with pytest.raises(InputError, match="'outcome'"):
        store.add_contact("ann", a["id"], "2026-11-21", "visit", "maybe")


def test_meeting_tables(store: Store) -> None:
    m = _map(store)
    s = store.add_signal("ann", m["id"], date="2026-11-20", type="closure", title="Bakker dicht")
    assert s["status"] == "draft"
    store.update_signal("bob", s["id"], {"status": "accepted"})
    assert [x["status"] for x in store.list_signals(m["id"])] == ["accepted"]
    assert store.list_signals(m["id"], status="draft") == []
    item = store.add_agenda_item("ann", m["id"], title="Buurtfeest", start="2026-12-05T14:00",
                                 rrule="FREQ=YEARLY")
    assert store.list_agenda(m["id"])[0]["rrule"] == "FREQ=YEARLY"
    store.delete_agenda_item("ann", item["id"])
    assert store.list_agenda(m["id"]) == []
    meet = store.add_meeting("ann", m["id"], date="2026-11-28", attendees=["ann", "bob"],
                             actions=[{"text": "bel imam", "owner": "bob", "due": "2026-12-01"}])
    store.update_meeting("bob", meet["id"], {"decisions": ["samenwerken"]})
    got = store.list_meetings(m["id"])[0]
    assert got["actions"][0]["owner"] == "bob" and got["decisions"] == ["samenwerken"]
    store.add_reflection("ann", m["id"], meeting_id=meet["id"], date="2026-11-28",
                         domain="omgeving", factor="figuren", score=3, dimension="praktijk")
    assert store.list_reflections(m["id"], meeting_id=meet["id"])[0]["score"] == 3
    with pytest.raises(InputError, match="'score'"):
        store.add_reflection("ann", m["id"], date="2026-11-28", domain="omgeving",
                             factor="figuren", score=5)


def test_apply_many_is_all_or_nothing(store: Store) -> None:
    m = _map(store)
    ops = [("actor", "insert", None, {"name": f"A{i}"}) for i in range(5)]
    done = store.apply_many("ann", m["id"], ops)
    assert len(done) == 5 and len(store.list_actors(m["id"])) == 5
    bad = [*ops, ("actor", "insert", None, {"name": "X", "kind": "robot"})]
    before = _event_count(store)
    with pytest.raises(InputError, match="robot"):
        store.apply_many("ann", m["id"], bad)
    assert len(store.list_actors(m["id"])) == 5
    assert _event_count(store) == before


def test_transaction_rolls_back_on_error(store: Store) -> None:
    m = _map(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_actor("ann", m["id"], name="kept?")
        raise RuntimeError("boom")
    assert store.list_actors(m["id"]) == []
    assert len(store.history(m["id"])) == 1


def test_changes_since_groups_per_entity_with_field_diff(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="A", strength=1)
    mark = store.history(a["id"])[-1]["at"]
    store.update_actor("bob", a["id"], {"strength": 2})
    store.update_actor("cec", a["id"], {"strength": 3, "notes": "x"})
    b = store.add_actor("bob", m["id"], name="B")
    store.delete_actor("ann", b["id"])
    changes = store.changes_since(m["id"], mark)
    by_id = {c["entity_id"]: c for c in changes}
    assert set(by_id) == {a["id"], b["id"]}
    ca = by_id[a["id"]]
    assert ca["op"] == "update" and ca["ops"] == ["update", "update"]
    assert ca["users"] == ["bob", "cec"]
    assert ca["diff"] == {"strength": [1, 3], "notes": ["", "x"]}
    assert ca["label"] == "A" and ca["count"] == 2
    cb = by_id[b["id"]]
    assert cb["op"] == "delete" and cb["ops"] == ["insert", "delete"]
    assert store.changes_since(m["id"], "2999-01-01") == []


def test_state_at_rebuilds_the_past(store: Store) -> None:
    m = _map(store)
    a = store.add_actor("ann", m["id"], name="Oud")
    t1 = store.history(a["id"])[-1]["at"]
    store.update_actor("bob", a["id"], {"name": "Nieuw"})
    b = store.add_actor("bob", m["id"], name="B")
    t2 = store.history(b["id"])[-1]["at"]
    store.delete_actor("bob", a["id"])
    past = store.state_at(m["id"], t1)
    assert [x["name"] for x in past["actors"]] == ["Oud"]
    assert past["maps"][0]["id"] == m["id"]
    mid = store.state_at(m["id"], t2)
    assert sorted(x["name"] for x in mid["actors"]) == ["B", "Nieuw"]
    now = store.state_at(m["id"], "2999-01-01")
    assert now["actors"] == store.list_actors(m["id"])
    assert store.state_at(m["id"], "2000-01-01")["actors"] == []


def test_write_refuses_a_record_of_another_map(store: Store) -> None:
    m1, m2 = _map(store, "Een"), _map(store, "Twee")
    a = store.add_actor("ann", m1["id"], name="A")
    with pytest.raises(NotFoundError, match="in map"):
        store.apply("ann", m2["id"], "actor", "update", a["id"], {"notes": "x"})
    with pytest.raises(NotFoundError, match="in map"):
        store.apply("ann", m2["id"], "actor", "delete", a["id"], None)
    assert store.apply("ann", m1["id"], "actor", "update", a["id"], {"notes": "x"})["notes"] == "x"
    with pytest.raises(InputError, match="unknown operation 'forget' for link"):
        store.apply("ann", m1["id"], "link", "forget", a["id"], None)
    with pytest.raises(InputError, match="needs its id"):
        store.apply("ann", m1["id"], "actor", "update", None, {"notes": "y"})
