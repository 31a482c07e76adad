"""The embedded demo store: complete, fictional, idempotent, labelled DEMO."""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtkaart.core import vocab
from buurtkaart.core.place import Place
from buurtkaart.demo import DEMO_MAP_NAME, ensure_demo_store, pick_places
from buurtkaart.store import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return str(path), ensure_demo_store(str(path))


def test_demo_map_is_labelled(demo: tuple[str, str]) -> None:
    url, map_id = demo
    the_map = open_store(url).get_map(map_id)
    assert the_map["name"] == DEMO_MAP_NAME and "DEMO" in the_map["name"]
    assert "DEMO" in the_map["org_name"]


def test_demo_has_about_twenty_actors_of_every_kind_and_role(demo: tuple[str, str]) -> None:
    url, map_id = demo
    actors = open_store(url).list_actors(map_id)
    assert 18 <= len(actors) <= 25
    assert {a["kind"] for a in actors} == set(vocab.KINDS)
    assert {r for a in actors for r in a["roles"]} == set(vocab.ROLES)
    assert any(a["leaning"] == "opponent" for a in actors)
    assert any(a["formal"] for a in actors) and any(not a["formal"] for a in actors)


def test_demo_persons_are_fictional_and_coarse(demo: tuple[str, str]) -> None:
    url, map_id = demo
    persons = [a for a in open_store(url).list_actors(map_id) if a["kind"] == "person"]
    assert persons
    for person in persons:
        assert "demo" in person["name"].lower()
        assert person["location_precision"] == "coarse"


def test_demo_places_come_from_the_bundled_extract(demo: tuple[str, str], demo_pbf: Path,
                                                   ) -> None:
    url, map_id = demo
    store = open_store(url)
    imports = store.list_imports(map_id)
    assert len(imports) == 1 and imports[0]["source"] == f"file:{demo_pbf.name}"
    places = store.get_import_places(imports[0]["id"])
    assert len(places) > 100
    ids = {p.osm_id for p in places}
    accepted = [a for a in store.list_actors(map_id) if a["osm_id"]]
    assert len(accepted) >= 8
    assert {a["osm_id"] for a in accepted} <= ids


def test_demo_relations_contacts_and_signals(demo: tuple[str, str]) -> None:
    url, map_id = demo
    store = open_store(url)
    ids = {a["id"] for a in store.list_actors(map_id)}
    links = store.list_links(map_id)
    assert len(links) >= 5
    for link in links:
        assert link["from_id"] in ids and link["to_id"] in ids and link["from_id"] != link["to_id"]
    contacts = store.list_contacts(map_id=map_id)
    assert len(contacts) >= 10 and {c["actor_id"] for c in contacts} <= ids
    # add_contact keeps each actor's last_contact at its newest contact date.
    for actor in store.list_actors(map_id):
        dates = [c["date"] for c in contacts if c["actor_id"] == actor["id"]]
        if dates:
            assert actor["last_contact"] == max(dates)
    assert 2 <= len(store.list_signals(map_id)) <= 6


def test_ensure_demo_store_is_idempotent(demo: tuple[str, str]) -> None:
    url, map_id = demo
    store = open_store(url)
    counts = (len(store.list_maps()), len(store.list_actors(map_id)),
              len(store.list_links(map_id)))
    assert ensure_demo_store(url) == map_id
    store = open_store(url)
    assert (len(store.list_maps()), len(store.list_actors(map_id)),
            len(store.list_links(map_id))) == counts


def _p(osm_id: str, category: str, name: str | None = "x") -> Place:
    return Place(osm_id=osm_id, name=name, name_nl=None, name_fr=None, category=category,
                 lat=0.0, lon=0.0, tags={}, source="t")


def test_pick_places_prefers_distinct_named_categories() -> None:
    places = [_p("node/3", "school"), _p("node/1", "school"), _p("node/2", "cafe"),
              _p("node/4", "park", None), _p("node/5", "library")]
    picked = pick_places(places, 4)
    assert [p.osm_id for p in picked] == ["node/2", "node/5", "node/1", "node/3"]
