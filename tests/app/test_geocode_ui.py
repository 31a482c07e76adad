"""AppTest: the setup wizard says in the worker's language what the geocoder found."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.fixtures_app import APP_SCRIPT, switch_to

from buurtkaart._errors import GeocodeError
from buurtkaart.app.screens.instellingen import (
    PRECISION_KEYS,
    geocode_error_text,
    precision_text,
)
from buurtkaart.core.address import PRECISIONS
from buurtkaart.i18n import LANGS, catalog, t


def test_every_precision_has_a_sentence_in_every_language() -> None:
    assert set(PRECISION_KEYS) == set(PRECISIONS)
    for precision in PRECISIONS:
        texts = {precision_text(precision, lang) for lang in LANGS}
        assert len(texts) == len(LANGS) and all(texts)
        assert PRECISION_KEYS[precision] in catalog()
    assert precision_text("street", "nl") == (
        "Alleen de straat gevonden: zet de pin op de juiste plek.")


def test_misses_are_translated_with_candidates_and_commune() -> None:
    err = GeocodeError("street 'Kerkstraat' is in several communes: …", "ambiguous",
                       ("Kerkstraat (Evere)", "Kerkstraat (Jette)"))
    nl = geocode_error_text(err, "nl")
    assert nl.startswith("Deze straat ligt in meer dan één gemeente")
    assert "Kerkstraat (Evere); Kerkstraat (Jette)" in nl
    assert "several" not in geocode_error_text(err, "fr")
    assert geocode_error_text(GeocodeError("x not found"), "en") == t("geocode.not_found_none",
                                                                       "en")


@pytest.fixture
def brussels_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 brussels_2013: Path, geocode_index_2013: object) -> AppTest:
    monkeypatch.setenv("BUURTKAART_DB", str(tmp_path / "empty.db"))
    monkeypatch.setenv("BUURTKAART_DEMO", "0")
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.setenv("BUURTKAART_OSM_FILE", str(brussels_2013))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=90)
    at.session_state["user"] = "setup-user"
    at.session_state["_auth_ok"] = "setup-user"
    at.run()
    switch_to(at, "instellingen")
    at.run()
    return at


def _ask(at: AppTest, address: str) -> AppTest:
    at.text_input(key="setup_name").input("Kaart")
    at.text_input(key="setup_org").input("Buurtwerk")
    at.text_input(key="setup_address").input(address)
    at.button(key="setup_geocode").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.shared
def test_wizard_shows_the_precision_in_dutch(brussels_app: AppTest) -> None:
    at = _ask(brussels_app, "Chaussée de Gand 20")
    assert at.session_state["setup"]["precision"] == "street"
    assert t("geocode.precision_street", "nl") in [i.value for i in at.main.info]
    assert "Molenbeek" in at.session_state["setup"]["label"]  # the commune is shown


@pytest.mark.shared
def test_wizard_lists_communes_of_an_ambiguous_street(brussels_app: AppTest) -> None:
    at = _ask(brussels_app, "Kerkstraat")
    (error,) = at.main.error
    assert error.value.startswith("Deze straat ligt in meer dan één gemeente")
    assert "Berchem-Sainte-Agathe" in error.value and "several" not in error.value
