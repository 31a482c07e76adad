"""Kaart page details of issue 12: the actor finder, a place's source in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from support.fixtures_app import APP_SCRIPT

from buurtkaart.app.common import md_escape
from buurtkaart.demo import ensure_demo_store
from buurtkaart.i18n import t
from buurtkaart.store import open_store


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    url = str(tmp_path / "store.db")
    map_id = ensure_demo_store(url)
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    yield url, map_id


def _app() -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader")
                     for e in getattr(at, kind))


def test_finder_opens_the_actor_panel(db: tuple[str, str]) -> None:
    url, map_id = db
    actor = sorted(open_store(url).list_actors(map_id), key=lambda a: a["name"])[0]
    at = _app()
    finder = at.selectbox(key="kaart_find")
    assert finder.value is None and finder.placeholder == t("map.find_placeholder", "nl")
    assert [h.value for h in at.title][:1] == [t("nav.kaart", "nl")]
    finder.select(str(actor["id"])).run()
    assert not at.exception
    assert at.session_state["selected"] == ("actor", str(actor["id"]))
    assert md_escape(actor["name"]) in [s.value for s in at.subheader]


def test_place_panel_says_its_source_in_words(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    places = store.get_import_places(store.list_imports(map_id)[0]["id"])
    place = next(p for p in places if p.osm_id and p.osm_id.startswith("node/") and p.name)
    at = _app()
    at.session_state["selected"] = ("place", place.osm_id)
    at.run()
    text = _texts(at)
    number = place.osm_id.split("/")[1]
    assert f"Uit OpenStreetMap \\(punt {number}\\)\\." in text
    assert not re.search(r"OSM:\s*node", text)
    assert t("place.raw_tags", "nl") in [e.label for e in at.expander]
    tables: list[Any] = at.dataframe
    assert any(t("place.tag_key", "nl") in d.value.columns for d in tables)


def test_panel_flags_a_status_the_log_contradicts(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    actor = store.add_actor("tester", map_id, name="Moskee Al Amal", status="in_conversation",
                            strength=2, roles=["partner"], lat=60.1675, lon=24.9427)
    for day in ("2026-10-02", "2026-11-03"):
        store.add_contact("tester", actor["id"], day, "phone", "no_answer")
    at = _app()
    at.session_state["selected"] = ("actor", str(actor["id"]))
    at.run()
    assert [w.value for w in at.warning if "pogingen" in w.value] == [
        "De status zegt ‘In gesprek’, maar de laatste 2 pogingen bleven zonder antwoord. "
        "Klopt de status nog?"]
