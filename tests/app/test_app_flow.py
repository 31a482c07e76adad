"""AppTest: undo of "Verbergen", managing a map on Instellingen, the edit form's version check."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import logged_in
from support.apptest import page_text as _texts
from support.apptest import run_ok as _run
from support.fixtures_app import APP_SCRIPT, switch_to

from buurtkaart.auth import accounts
from buurtkaart.demo import ensure_demo_store
from buurtkaart.i18n import t
from buurtkaart.store import open_store

APP = str(APP_SCRIPT)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("flowseed") / "demo.db"
    map_id = ensure_demo_store(str(path))
    store = open_store(str(path))
    accounts.add_user(store, "amina", None, map_id=map_id, role="admin")
    accounts.add_user(store, "eddy", None, map_id=map_id, role="editor")
    store.close()
    return path, map_id


@pytest.fixture
def db(seeded: tuple[Path, str], tmp_path: Path,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    copy = tmp_path / "store.db"
    shutil.copy(seeded[0], copy)
    monkeypatch.setenv("BUURTKAART_DB", str(copy))
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    yield str(copy), seeded[1]


def _app(user: str = "amina") -> AppTest:
    return logged_in(user)


def test_hiding_a_place_offers_undo(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    accepted = {a["osm_id"] for a in store.list_actors(map_id) if a["osm_id"]}
    places = store.get_import_places(store.list_imports(map_id)[0]["id"])
    place = next(p for p in places if p.osm_id and p.name and p.osm_id not in accepted)
    at = _app()
    at.session_state["selected"] = ("place", place.osm_id)
    _run(at)
    at.button(key="place_dismiss").click()
    _run(at)
    assert place.osm_id in store.dismissed_places(map_id)
    at.button(key="undo_button").click()
    _run(at)
    assert place.osm_id not in store.dismissed_places(map_id)
    assert t("undo.done", "nl") in _texts(at)
    ops = [e["op"] for e in store.events_since(map_id, "2000-01-01") if e["entity"] == "dismissal"]
    assert ops == ["insert", "delete"]


def test_an_editor_renames_the_map_but_cannot_archive_it(db: tuple[str, str]) -> None:
    url, map_id = db
    the_map = open_store(url).get_map(map_id)
    at = _app("eddy")
    switch_to(at, "instellingen")
    _run(at)
    prefix = f"manage_{map_id}_{the_map['version']}_"
    at.text_input(key=prefix + "org").input("Buurthuis Esplanadi")
    at.button(key=prefix + "save").click()
    _run(at)
    assert open_store(url).get_map(map_id)["org_name"] == "Buurthuis Esplanadi"
    assert not [b for b in at.button if b.key and b.key.startswith("manage_archive_")]
    assert "None" not in _texts(at)


def test_an_admin_deletes_a_map_only_with_its_name(db: tuple[str, str]) -> None:
    url, map_id = db
    name = open_store(url).get_map(map_id)["name"]
    at = _app()
    switch_to(at, "instellingen")
    _run(at)
    counts = open_store(url).map_contents(map_id)
    warning = "\n".join(w.value for w in at.warning)
    assert f"{counts['actor']} actoren" in warning and "geschiedenis" in warning
    at.text_input(key=f"manage_delete_name_{map_id}").input("iets anders")
    at.button(key=f"FormSubmitter:manage_delete_{map_id}-{t('manage.delete_confirm', 'nl')}"
              ).click()
    _run(at)
    assert open_store(url).list_maps()
    assert t("manage.delete_mismatch", "nl", name=name).split(":")[0] in _texts(at)
    at.text_input(key=f"manage_delete_name_{map_id}").input(name)
    at.button(key=f"FormSubmitter:manage_delete_{map_id}-{t('manage.delete_confirm', 'nl')}"
              ).click()
    _run(at)
    assert open_store(url).list_maps(include_archived=True) == []
    assert t("onboarding.title", "nl") in [x.value for x in at.main.title]


def test_a_contact_entry_does_not_warn_but_another_workers_change_does(
        db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    actor = store.list_actors(map_id)[0]
    at = _app()
    at.session_state["selected"] = ("actor", actor["id"])
    _run(at)
    key = f"panel_contact_{actor['id']}"
    at.text_input(key=key + "_note").input("koffie")
    at.button(key=key + "_submit").click()
    _run(at)
    assert store.get_actor(actor["id"])["version"] > actor["version"]
    warning = t("edit.changed_meanwhile", "nl", user="amina")
    assert warning not in _texts(at)
    store.update_actor("eddy", actor["id"], {"notes": "eddy was hier"})
    _run(at)
    assert t("edit.changed_meanwhile", "nl", user="eddy") in _texts(at)

