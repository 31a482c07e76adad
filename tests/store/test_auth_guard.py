"""Roles enforced in the data layer: GuardedStore on a real store, every role x every action."""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import NotFoundError, PermissionDenied
from buurtkaart.auth import accounts, rules
from buurtkaart.auth.guard import OPERATIONS, REASON_TAG, GuardedStore
from buurtkaart.store import Store, open_store
from buurtkaart.store.actions import (
    CREATE_MAP,
    ENTITY_ACTIONS,
    FREE,
    LIST_MAPS,
    PER_ENTITY,
    RAW,
    action,
    operations,
    public_names,
)

RANK = {None: 0, "viewer": 1, "editor": 2, "admin": 3}
USERS = {"vera": "viewer", "eddy": "editor", "ann": "admin", "otto": None}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store file with map 'Buurthuis' created by ann (so admin), vera viewer, eddy editor,
    and otto, outsider here but admin of map 'Elders'. Copied per test (argon2 is slow)."""
    path = tmp_path_factory.mktemp("auth") / "template.db"
    store = open_store(f"sqlite:///{path}")
    ann = GuardedStore(store, "ann")
    accounts.add_user(store, "ann", "ann-password")
    the_map = ann.create_map("ann", name="Buurthuis", org_name="Vzw", lat=50.855, lon=4.338)
    other = GuardedStore(store, "otto").create_map("otto", name="Elders", org_name="X",
                                                  lat=50.84, lon=4.35)
    accounts.add_user(store, "vera", "vera-password", map_id=the_map["id"], role="viewer")
    accounts.add_user(store, "eddy", "eddy-password", map_id=the_map["id"], role="editor")
    a1 = ann.add_actor("ann", the_map["id"], name="School De Boom", roles=["partner"])
    a2 = ann.add_actor("ann", the_map["id"], name="Josianne", kind="person",
                       lat=50.8552, lon=4.3387, notes="onthaal")
    store.close()
    return path, {"map": the_map["id"], "other": other["id"], "a1": a1["id"], "a2": a2["id"]}


@pytest.fixture
def world(template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[dict[str, Any]]:
    path = tmp_path / "store.db"
    shutil.copy(template[0], path)
    store = open_store(f"sqlite:///{path}")
    try:
        yield {"store": store, **template[1]}
    finally:
        store.close()


def _event_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one())


# action -> (least role, call(guarded store, user, world))
Call = Callable[[GuardedStore, str, dict[str, Any]], Any]
CALLS: dict[str, tuple[str, Call]] = {
    "read:list_actors": ("viewer", lambda g, u, w: g.list_actors(w["map"])),
    "read:get_actor": ("viewer", lambda g, u, w: g.get_actor(w["a1"])),
    "read:history": ("viewer", lambda g, u, w: g.history(w["a1"])),
    "read:changes": ("viewer", lambda g, u, w: g.changes_since(w["map"], "2000-01-01")),
    "read:contacts": ("viewer", lambda g, u, w: g.list_contacts(actor_id=w["a1"])),
    "read:get_map": ("viewer", lambda g, u, w: g.get_map("Buurthuis")),
    "edit_actors:add": ("editor", lambda g, u, w: g.add_actor(u, w["map"], name="Moskee")),
    "edit_actors:update": ("editor",
                           lambda g, u, w: g.update_actor(u, w["a1"], {"strength": 2})),
    "edit_actors:delete": ("editor", lambda g, u, w: g.delete_actor(u, w["a1"])),
    "edit_actors:apply": ("editor", lambda g, u, w: g.apply(
        u, None, "actor", "update", w["a1"], {"status": "paused"})),
    "edit_links": ("editor", lambda g, u, w: g.add_link(u, w["map"], w["a1"], w["a2"],
                                                        "knows")),
    "edit_contacts": ("editor", lambda g, u, w: g.add_contact(u, w["a1"], "2026-11-20",
                                                              "visit", "reached")),
    "edit_signals": ("editor", lambda g, u, w: g.add_signal(
        u, w["map"], date="2026-11-20", title="Nieuwe bakker")),
    "edit_agenda": ("editor", lambda g, u, w: g.add_agenda_item(
        u, w["map"], title="Buurtfeest", start="2026-12-05")),
    "edit_meetings": ("editor", lambda g, u, w: g.add_meeting(u, w["map"], date="2026-11-27")),
    "edit_reflections": ("editor", lambda g, u, w: g.add_reflection(
        u, w["map"], date="2026-11-27", domain="omgeving", factor="stakeholders", score=3)),
    "edit_places": ("editor", lambda g, u, w: g.dismiss_place(u, w["map"], "node/42")),
    "set_exact_location": ("editor", lambda g, u, w: g.update_actor(
        u, w["a2"], {"location_precision": "exact", "lat": 50.8552, "lon": 4.3387,
                     "location_reason": "ontmoetingsplek afgesproken"})),
    "edit_map": ("editor", lambda g, u, w: g.update_map(u, w["map"], {"org_name": "Nieuw"})),
    "manage_map": ("admin", lambda g, u, w: g.archive_map(u, w["map"])),
    "forget": ("admin", lambda g, u, w: g.forget_actor(u, w["a2"])),
    "forget:apply": ("admin", lambda g, u, w: g.apply(u, None, "actor", "forget", w["a2"], None)),
}


@pytest.mark.parametrize("user", sorted(USERS))
@pytest.mark.parametrize("case", sorted(CALLS))
def test_every_role_against_every_store_action(world: dict[str, Any], user: str,
                                               case: str) -> None:
    least, call = CALLS[case]
    guarded = GuardedStore(world["store"], user)
    allowed = RANK[USERS[user]] >= RANK[least]
    before = _event_count(world["store"])
    if allowed:
        call(guarded, user, world)
        return
    with pytest.raises(PermissionDenied) as info:
        call(guarded, user, world)
    assert info.value.exit_code == 5
    assert "\n" not in str(info.value) and user in str(info.value)
    assert "Buurthuis" in str(info.value)
    assert _event_count(world["store"]) == before, "a refused write left an event"


def test_outsider_admin_of_another_map_cannot_touch_this_one(world: dict[str, Any]) -> None:
    otto = GuardedStore(world["store"], "otto")
    assert otto.role(world["other"]) == "admin"
    with pytest.raises(PermissionDenied, match="otto"):
        otto.update_actor("otto", world["a1"], {"name": "overgenomen"})
    assert world["store"].get_actor(world["a1"])["name"] == "School De Boom"


def test_list_maps_shows_only_the_users_maps(world: dict[str, Any]) -> None:
    names = {u: [m["name"] for m in GuardedStore(world["store"], u).list_maps()] for u in USERS}
    assert names == {"vera": ["Buurthuis"], "eddy": ["Buurthuis"], "ann": ["Buurthuis"],
                     "otto": ["Elders"]}


def test_writing_as_another_user_is_refused(world: dict[str, Any]) -> None:
    eddy = GuardedStore(world["store"], "eddy")
    with pytest.raises(PermissionDenied, match="as user 'ann'"):
        eddy.add_actor("ann", world["map"], name="Vals")


def test_raw_database_access_is_refused(world: dict[str, Any]) -> None:
    guarded = GuardedStore(world["store"], "ann")
    with pytest.raises(PermissionDenied, match="engine"):
        _ = guarded.engine
    for name in ("_engines", "_reading", "_local"):
        assert not hasattr(guarded, name), name
    with guarded.transaction() as handle:  # groups writes, hands out no connection
        assert handle is None


def test_an_undeclared_store_method_is_not_reachable(sqlite_url: str) -> None:
    class Extended(Store):
        def frobnicate(self, map_id: str) -> str:
            return "done"

    plain = open_store(sqlite_url)
    store = Extended(plain._engines)
    try:
        guarded = GuardedStore(store, "ann")
        with pytest.raises(AttributeError):
            guarded.frobnicate("x")  # type: ignore[attr-defined]
    finally:
        store.close()
    undeclared = [n for n in public_names(Extended) if n not in operations(Extended)
                  and n not in RAW]
    assert undeclared == ["frobnicate"]


def test_batch_is_checked_per_operation(world: dict[str, Any]) -> None:
    eddy = GuardedStore(world["store"], "eddy")
    ops = [("actor", "update", world["a1"], {"strength": 3}),
           ("actor", "forget", world["a2"], None)]
    with pytest.raises(PermissionDenied, match="forget"):
        eddy.apply_many("eddy", None, ops)
    assert world["store"].get_actor(world["a2"])["name"] == "Josianne"
    assert world["store"].get_actor(world["a1"])["strength"] == 0
    done = eddy.apply_many("eddy", None, ops[:1])
    assert done[0]["strength"] == 3


def test_person_exact_location_needs_a_reason(world: dict[str, Any]) -> None:
    eddy = GuardedStore(world["store"], "eddy")
    eddy.update_actor("eddy", world["a2"], {"location_precision": "exact",
                                            "lat": 50.8552, "lon": 4.3387})
    stored = world["store"].get_actor(world["a2"])  # no reason: stays coarse
    assert stored["location_precision"] == "coarse"
    assert (stored["lat"], stored["lon"]) != (50.8552, 4.3387)
    eddy.update_actor("eddy", world["a2"], {"location_precision": "exact", "lat": 50.8552,
                                            "lon": 4.3387, "location_reason": "eigen keuze"})
    stored = world["store"].get_actor(world["a2"])
    assert (stored["lat"], stored["lon"], stored["location_precision"]) == (
        50.8552, 4.3387, "exact")
    assert f"{REASON_TAG}eigen keuze" in stored["tags"]


def test_new_person_gets_a_review_date(world: dict[str, Any]) -> None:
    eddy = GuardedStore(world["store"], "eddy")
    person = eddy.add_actor("eddy", world["map"], name="Buurman", kind="person")
    org = eddy.add_actor("eddy", world["map"], name="Bib", kind="organisation")
    assert person["review_date"] and person["review_date"] > person["created_at"][:10]
    assert org["review_date"] is None


def test_unknown_record_gives_not_found_not_a_leak(world: dict[str, Any]) -> None:
    with pytest.raises(NotFoundError):
        GuardedStore(world["store"], "vera").get_actor("no-such-id")


def test_single_user_mode_allows_everything(world: dict[str, Any]) -> None:
    local = GuardedStore(world["store"], "lokale-gebruiker", single_user=True)
    local.update_map("lokale-gebruiker", world["map"], {"org_name": "Demo"})
    local.forget_actor("lokale-gebruiker", world["a2"])
    assert local.role(world["map"]) == "admin"


def test_disabled_account_loses_its_role(world: dict[str, Any]) -> None:
    accounts.remove_user(world["store"], "eddy")
    with pytest.raises(PermissionDenied, match="no role"):
        GuardedStore(world["store"], "eddy").add_actor("eddy", world["map"], name="Y")


def test_every_public_store_method_declares_its_action() -> None:
    """A new public Store method without ``@action(...)`` fails here (nothing is inferred)."""
    undeclared = [n for n in public_names(Store) if n not in OPERATIONS and n not in RAW]
    assert undeclared == []
    known = set(rules.ACTIONS) | {CREATE_MAP, LIST_MAPS, FREE, PER_ENTITY}
    assert {d.action for d in OPERATIONS.values()} <= known
    assert (CREATE_MAP, LIST_MAPS) == (rules.CREATE_MAP, rules.LIST_MAPS)
    assert set(ENTITY_ACTIONS.values()) <= set(rules.ACTIONS)
    for name, decl in OPERATIONS.items():
        params = inspect.signature(getattr(Store, name).fget if name in {"url", "dialect"}
                                   else getattr(Store, name)).parameters
        for arg in (decl.map_arg, decl.id_arg, decl.entity_arg, decl.ops_arg):
            assert arg is None or arg in params, (name, arg)
        if decl.scope == "map" and decl.action not in {FREE, CREATE_MAP, LIST_MAPS}:
            assert decl.map_arg or decl.id_arg or decl.ops_arg, name
    guarded = {n for n in dir(GuardedStore) if not n.startswith("_")}
    assert set(OPERATIONS) <= guarded


def test_declared_actions_of_some_operations() -> None:
    expected = {"list_actors": "read", "update_actor": "edit_actors", "forget_actor": "forget",
                "update_map": "edit_map", "delete_map": "manage_map", "backup": "backup",
                "restore": "restore",
                "create_map": CREATE_MAP, "list_maps": LIST_MAPS, "apply": PER_ENTITY,
                "existing_ids": "import", "import_places": "edit_places"}
    assert {n: OPERATIONS[n].action for n in expected} == expected
    assert OPERATIONS["update_actor"].entity == "actor"
    assert OPERATIONS["backup"].scope == "store"


def test_action_decorator_refuses_an_unknown_scope() -> None:
    with pytest.raises(ValueError, match="scope"):
        action("read", scope="galaxy")


def test_records_of_another_map_cannot_be_reached_by_naming_ones_own_map(
        world: dict[str, Any]) -> None:
    store = world["store"]
    otto = GuardedStore(store, "otto")  # admin of 'Elders', outsider of 'Buurthuis'
    mine = otto.add_actor("otto", world["other"], name="Eigen actor")
    attempts = [
        lambda: otto.apply("otto", world["other"], "actor", "update", world["a1"],
                           {"notes": "gekaapt"}),
        lambda: otto.apply("otto", world["other"], "actor", "forget", world["a2"], None),
        lambda: otto.add_link("otto", world["other"], mine["id"], world["a1"], "knows"),
        lambda: otto.update_actor("otto", mine["id"], {"map_id": world["map"]}),
        lambda: otto.apply_many("otto", world["other"],
                                [("actor", "update", world["a1"], {"notes": "gekaapt"})]),
        lambda: otto.apply_many("otto", world["other"], [("contact", "insert", None, {
            "actor_id": world["a2"], "date": "2026-11-20", "note": "gekaapt"})]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="Buurthuis"):
            attempt()
    assert store.get_actor(world["a1"])["notes"] == ""
    assert store.get_actor(world["a2"])["name"] == "Josianne"
    assert store.list_links(world["map"]) == [] and store.list_contacts(world["map"]) == []


def test_docs_security_lists_every_operation_with_its_action() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(
        encoding="utf-8")
    labels = {PER_ENTITY: "per entity written", FREE: "none (no map data)"}
    for name, decl in OPERATIONS.items():
        action_text = labels.get(decl.action, f"`{decl.action}`")
        assert f"| `{name}` | {action_text} |" in text, name
