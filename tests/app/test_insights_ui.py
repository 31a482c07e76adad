"""The Inzichten page body, run headless with Streamlit's AppTest on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.insights_data import fill_store


def _page(url: str, lang: str) -> None:
    from buurtkaart.app.screens.inzichten import render_insights_page
    from buurtkaart.store import open_store

    store = open_store(url)
    render_insights_page(store, store.get_map("molenbeek"), lang)


def _run(url: str, lang: str = "nl") -> AppTest:
    at = AppTest.from_function(_page, args=(url, lang), default_timeout=60)
    return at.run()


def _texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.shared
def test_page_on_molenbeek(sqlite_url: str, brussels_2013: Path, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_OSM_FILE", str(brussels_2013))
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    fill_store(sqlite_url)
    at = _run(sqlite_url)
    assert not at.exception
    text = _texts(at)
    assert "Eilandscore 42/100" in text
    assert "Fatima is onze enige brug naar Ouder 1" in text
    assert len(at.subheader) == 8
    assert "Klopt de status nog?" in [h.value for h in at.subheader]
    assert "Het logboek spreekt geen enkele status tegen" in text
    everyone = at.caption[-1].value
    assert everyone == "Actoren: 9"
    at.checkbox(key="insights_walk_filter").check().run()
    assert not at.exception
    near = int(at.caption[-1].value.split(": ")[1])
    assert near < 9  # Buurthuis (900 m as the crow flies) is beyond 10 minutes


def test_page_in_french_without_street_network(sqlite_url: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    geo = tmp_path / "places.geojson"
    geo.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    monkeypatch.setenv("BUURTKAART_OSM_FILE", str(geo))
    fill_store(sqlite_url)
    at = _run(sqlite_url, "fr")
    assert not at.exception
    text = _texts(at)
    assert "Score d'île 42/100" in text
    assert any("GeoJSON" in c.value for c in at.caption)  # why there are no walking areas
