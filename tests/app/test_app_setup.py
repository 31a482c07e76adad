"""AppTest: the organisation setup wizard and the placeholder pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support.apptest import logged_in
from support.apptest import run_ok as _run
from support.fixtures_app import APP_SCRIPT, switch_to

from buurtkaart.app.map_admin import point_text
from buurtkaart.app.screens import inzichten
from buurtkaart.auth import accounts
from buurtkaart.core.area import Area
from buurtkaart.core.geo import distance_m
from buurtkaart.geocode import geocode
from buurtkaart.i18n import format_number, t
from buurtkaart.places import read_places
from buurtkaart.sources.boundaries import area_from_boundaries
from buurtkaart.store import open_store

APP = str(APP_SCRIPT)


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(tmp_path / "empty.db")
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_DEMO", "0")
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.delenv("BUURTKAART_OSM_FILE", raising=False)
    return url


def _app(user: str = "setup-user") -> AppTest:
    return logged_in(user)


POINT_ADDRESS = "Pohjoisesplanadi 11"


def _geocoded(lang: str, name: str = "Puntkaart", org: str = "Huis Punt",
              address: str = POINT_ADDRESS) -> AppTest:
    """The wizard in ``lang`` after "Adres zoeken" for ``address`` (step 2 shown)."""
    at = _app()
    at.query_params["taal"] = lang
    switch_to(at, "instellingen")
    _run(at)
    at.text_input(key="setup_name").input(name)
    at.text_input(key="setup_org").input(org)
    at.text_input(key="setup_address").input(address)
    at.button(key="setup_geocode").click()
    return _run(at)


def test_empty_store_without_demo_points_to_settings(empty_db: str) -> None:
    at = _run(_app())
    assert any(t("sidebar.no_maps", "nl") == i.value for i in at.sidebar.info)
    assert open_store(empty_db).list_maps() == []


def test_setup_wizard_creates_the_map_and_imports_places(empty_db: str, demo_pbf: Path,
                                                         ) -> None:
    address = "Pohjoisesplanadi 11"
    at = _geocoded("nl", "Testkaart", "Huis <script>x</script>", address)
    found = geocode(address, osm_file=demo_pbf)
    assert at.session_state["setup"]["lat"] == pytest.approx(found.lat)
    at.radio(key="setup_area_kind").set_value("circle")
    at.slider(key="setup_radius").set_value(400)
    _run(at)
    at.button(key="setup_create").click()
    _run(at)
    store = open_store(empty_db)
    (the_map,) = store.list_maps()
    assert the_map["name"] == "Testkaart" and the_map["org_name"] == "Huis <script>x</script>"
    assert distance_m(the_map["lat"], the_map["lon"], found.lat, found.lon) < 1
    assert the_map["created_by"] == "setup-user"
    (imp,) = store.list_imports(the_map["id"])
    expected = read_places(demo_pbf, area=Area.circle(found.lat, found.lon, 400))
    assert imp["place_count"] == len(expected) > 0
    assert at.session_state["map_id"] == the_map["id"]
    assert at.selectbox(key="_w_map_id_nl").value == the_map["id"]


def test_setup_unknown_address_shows_the_reason(empty_db: str) -> None:
    at = _run(_app())
    switch_to(at, "instellingen")
    _run(at)
    at.text_input(key="setup_name").input("X")
    at.text_input(key="setup_org").input("Y")
    at.text_input(key="setup_address").input("Qqqqzzz-straat 999")
    at.button(key="setup_geocode").click()
    _run(at)
    assert at.error, "an unknown address must show an error"
    assert "lat" not in at.session_state["setup"]


def test_setup_needs_a_login(empty_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    switch_to(at, "instellingen")
    _run(at)
    assert [e.value for e in at.error] == [t("login.no_accounts", "nl")]
    assert not at.button and not at.text_input  # no wizard behind the gate
    assert open_store(empty_db).list_maps() == []


def test_a_page_body_gets_the_runs_context(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.demo import ensure_demo_store

    url = str(tmp_path / "d.db")
    map_id = ensure_demo_store(url)
    accounts.add_user(open_store(url), "lien", None, map_id=map_id, role="viewer")
    monkeypatch.setenv("BUURTKAART_DB", url)

    def render(store: object, the_map: dict, lang: str, user: str) -> None:
        st.write(f"insights for {the_map['id']} in {lang} by {user}")

    monkeypatch.setattr(inzichten, "render_insights_page", render)
    at = _app(user="lien")
    at.session_state["lang"] = "en"
    switch_to(at, "inzichten")
    _run(at)
    assert any(f"insights for {map_id} in en by lien" in m.value for m in at.markdown)


def test_a_team_store_never_gets_the_demo_and_opens_on_the_onboarding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(tmp_path / "team.db")
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_DEMO", "1")
    monkeypatch.setenv("BUURTKAART_DEMO_DB", str(tmp_path / "demo.db"))
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    at = _run(AppTest.from_file(APP, default_timeout=120))
    assert open_store(url).list_maps() == []
    assert not (tmp_path / "demo.db").exists()
    assert t("onboarding.title", "nl") in [t_.value for t_ in at.main.title]
    assert at.text_input(key="setup_name")  # the wizard is right there


def test_without_a_team_store_the_app_opens_its_own_demo_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = str(tmp_path / "demo" / "demo.db")
    monkeypatch.delenv("BUURTKAART_DB", raising=False)
    monkeypatch.setenv("BUURTKAART_DEMO", "1")
    monkeypatch.setenv("BUURTKAART_DEMO_DB", demo)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    at = _run(AppTest.from_file(APP, default_timeout=120))
    (the_map,) = open_store(demo).list_maps()
    assert "DEMO" in the_map["name"]
    assert any("DEMO" in w.value for w in at.warning)
    _run(at)  # a rerun does not build it twice
    assert len(open_store(demo).list_maps()) == 1


@pytest.mark.shared
def test_setup_on_brussels_with_a_commune(empty_db: str, brussels_2013: Path, boundaries: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_OSM_FILE", str(brussels_2013))
    address = "Rue Comte de Flandre 20, Molenbeek"
    at = _run(_app())
    switch_to(at, "instellingen")
    _run(at)
    at.text_input(key="setup_name").input("Molenbeek")
    at.text_input(key="setup_org").input("Buurtwerk")
    at.text_input(key="setup_address").input(address)
    at.button(key="setup_geocode").click()
    _run(at)
    found = geocode(address, osm_file=brussels_2013)
    assert at.session_state["setup"]["lat"] == pytest.approx(found.lat)
    at.radio(key="setup_area_kind").set_value("boundary")
    _run(at)
    at.text_input(key="setup_boundaries").input(str(boundaries))
    at.text_input(key="setup_boundary_name").input("Sint-Jans-Molenbeek")
    _run(at)
    at.button(key="setup_create").click()
    _run(at)
    store = open_store(empty_db)
    (the_map,) = store.list_maps()
    assert the_map["area"]["kind"] == "polygon"
    expected = read_places(brussels_2013,
                           area=area_from_boundaries(boundaries, "Sint-Jans-Molenbeek"))
    (imp,) = store.list_imports(the_map["id"])
    assert imp["place_count"] == len(expected) > 100
    assert imp["source"] == f"file:{brussels_2013.name}"


def test_a_refusal_inside_a_page_is_one_translated_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from buurtkaart.demo import ensure_demo_store

    url = str(tmp_path / "d.db")
    map_id = ensure_demo_store(url)
    accounts.add_user(open_store(url), "vera", None, map_id=map_id, role="viewer")
    before = open_store(url).list_actors(map_id)
    monkeypatch.setenv("BUURTKAART_DB", url)

    def render(store: Any, the_map: dict, lang: str, user: str) -> None:  # writes as a viewer
        store.forget_actor("vera", store.list_actors(map_id)[0]["id"])

    monkeypatch.setattr(inzichten, "render_insights_page", render)
    at = _app(user="vera")
    at.session_state["lang"] = "fr"
    switch_to(at, "inzichten")
    _run(at)
    assert [e.value for e in at.error] == [t("error.permission_denied", "fr")]
    assert open_store(url).list_actors(map_id) == before


# -- the point corrected on the map in the wizard: said in words, stored as "Plek verplaatsen"
# stores it (the point as the address, unless one is typed for it) --------------------------



def _coordinate(at: AppTest, key: str, lang: str) -> object:
    return next(n for n in at.number_input if n.label == t(key, lang))


def _texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_point_moved_in_the_wizard_is_shown_and_stored_as_the_address(
        empty_db: str, demo_pbf: Path, lang: str) -> None:
    at = _geocoded(lang)
    found = geocode(POINT_ADDRESS, osm_file=demo_pbf)
    assert t("setup.confirm", lang, label="").split(":")[0] in _texts(at)
    assert "setup_point_address" not in [w.key for w in at.text_input]  # not moved yet
    lat = round(found.lat + 0.0001, 6)  # about 11 m north, as a click would do
    _coordinate(at, "meeting.lat", lang).set_value(lat)  # type: ignore[attr-defined]
    _run(at)
    metres = distance_m(found.lat, found.lon, lat, found.lon)
    point = point_text(lat, at.session_state["setup"]["lon"])
    sentence = t("setup.moved", lang, point=point, m=format_number(round(metres), lang))
    assert sentence in _texts(at)
    assert POINT_ADDRESS not in _texts(at)  # the typed address is no longer claimed
    at.radio(key="setup_area_kind").set_value("circle")
    at.slider(key="setup_radius").set_value(300)
    _run(at)
    at.button(key="setup_create").click()
    _run(at)
    (the_map,) = open_store(empty_db).list_maps()
    assert (the_map["lat"], the_map["lon"]) == pytest.approx((lat, found.lon))
    assert the_map["address"] == point_text(the_map["lat"], the_map["lon"])


def test_an_address_typed_for_the_moved_point_is_kept(empty_db: str, demo_pbf: Path) -> None:
    at = _geocoded("nl")
    lon = round(at.session_state["setup"]["lon"] - 0.0002, 6)
    _coordinate(at, "meeting.lon", "nl").set_value(lon)  # type: ignore[attr-defined]
    _run(at)
    at.text_input(key="setup_point_address").input("Pohjoisesplanadi 11, achteringang")
    at.radio(key="setup_area_kind").set_value("circle")
    _run(at)
    at.button(key="setup_create").click()
    _run(at)
    (the_map,) = open_store(empty_db).list_maps()
    assert the_map["lon"] == pytest.approx(lon)
    assert the_map["address"] == "Pohjoisesplanadi 11, achteringang"
    at2 = _geocoded("nl")  # a new wizard run starts without the old point's address
    assert "setup_point_address" not in [w.key for w in at2.text_input]
