"""AppTest: the setup wizard's point corrected on the map is shown in words and stored
as "Plek verplaatsen" stores it (the point as the address, unless one is typed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.fixtures_app import APP_SCRIPT, switch_to

from buurtkaart.app.map_admin import point_text
from buurtkaart.core.geo import distance_m
from buurtkaart.geocode import geocode
from buurtkaart.i18n import format_number, t
from buurtkaart.store import open_store

ADDRESS = "Pohjoisesplanadi 11"


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(tmp_path / "empty.db")
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_DEMO", "0")
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.delenv("BUURTKAART_OSM_FILE", raising=False)
    return url


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _geocoded(lang: str) -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=90)
    at.session_state["user"] = at.session_state["_auth_ok"] = "setup-user"
    at.query_params["taal"] = lang
    switch_to(at, "instellingen")
    _run(at)
    at.text_input(key="setup_name").input("Puntkaart")
    at.text_input(key="setup_org").input("Huis Punt")
    at.text_input(key="setup_address").input(ADDRESS)
    at.button(key="setup_geocode").click()
    return _run(at)


def _coordinate(at: AppTest, key: str, lang: str) -> object:
    return next(n for n in at.number_input if n.label == t(key, lang))


def _texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_point_moved_in_the_wizard_is_shown_and_stored_as_the_address(
        empty_db: str, demo_pbf: Path, lang: str) -> None:
    at = _geocoded(lang)
    found = geocode(ADDRESS, osm_file=demo_pbf)
    assert t("setup.confirm", lang, label="").split(":")[0] in _texts(at)
    assert "setup_point_address" not in [w.key for w in at.text_input]  # not moved yet
    lat = round(found.lat + 0.0001, 6)  # about 11 m north, as a click would do
    _coordinate(at, "setup.lat", lang).set_value(lat)  # type: ignore[attr-defined]
    _run(at)
    metres = distance_m(found.lat, found.lon, lat, found.lon)
    point = point_text(lat, at.session_state["setup"]["lon"])
    sentence = t("setup.moved", lang, point=point, m=format_number(round(metres), lang))
    assert sentence in _texts(at)
    assert ADDRESS not in _texts(at)  # the typed address is no longer claimed
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
    _coordinate(at, "setup.lon", "nl").set_value(lon)  # type: ignore[attr-defined]
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
