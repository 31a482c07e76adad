"""The import wizard with an address-only CSV of real Brussels addresses (AppTest).

The CSV is built from the shared 2013 extract (see ``support.address_csv``); the
app geocodes it with the offline index of its extract (``BUURTKAART_OSM_FILE``)
and shows each row's precision, flags the street/square rows and lists misses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support.address_csv import Row, address_csv, address_rows
from support.exchange_data import USER

from buurtkaart.app.screens.import_export import precision_word
from buurtkaart.core.address import GeocodeIndex
from buurtkaart.i18n import t
from buurtkaart.store import open_store

pytestmark = pytest.mark.shared


def _page() -> None:
    import os
    from types import SimpleNamespace

    from buurtkaart.app.screens.import_export import render
    from buurtkaart.auth.guard import GuardedStore
    from buurtkaart.store import open_store

    store = open_store(os.environ["BK_GEO_UI_DB"])
    guarded = GuardedStore(store, "amina", single_user=True)
    render(SimpleNamespace(store=guarded, map=store.get_map("m"),
                           lang=os.environ["BK_GEO_UI_LANG"], user="amina"))


@pytest.fixture
def rows(brussels_2013: Path) -> list[Row]:
    return address_rows(brussels_2013)


def _app(sqlite_url: str, brussels_2013: Path, lang: str,
         monkeypatch: pytest.MonkeyPatch) -> AppTest:
    store = open_store(sqlite_url)
    store.create_map(USER, name="m", org_name="Org", lat=50.8552, lon=4.3387)
    store.close()
    monkeypatch.setenv("BK_GEO_UI_DB", sqlite_url)
    monkeypatch.setenv("BK_GEO_UI_LANG", lang)
    monkeypatch.setenv("BUURTKAART_OSM_FILE", str(brussels_2013))
    return AppTest.from_function(_page, default_timeout=120)


def _located(app: AppTest, lang: str) -> pd.DataFrame:
    frames = [d.value for d in app.dataframe
              if t("batch.col.precision", lang) in d.value.columns]
    assert len(frames) == 1
    return frames[0]


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_preview_shows_precision_per_row_then_imports(
        lang: str, sqlite_url: str, brussels_2013: Path, rows: list[Row],
        geocode_index_2013: GeocodeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    assert geocode_index_2013.streets  # built once per session: the app finds it in memory
    app = _app(sqlite_url, brussels_2013, lang, monkeypatch)
    app.run()
    app.file_uploader(key="bk_imp_file").upload("adressen.csv", address_csv(rows), "text/csv")
    app.run()
    assert not app.exception
    assert brussels_2013.name in " ".join(str(i.value) for i in app.info)
    assert not [s for s in app.selectbox if s.key in ("bk_imp_lat", "bk_imp_lon")]
    table = _located(app, lang)
    assert list(table["#"]) == list(range(1, len(rows) + 1))
    expected = [precision_word(r.precision, lang) for r in rows]
    assert list(table[t("batch.col.precision", lang)]) == expected
    check = t("batch.check", lang)
    flagged = [i + 1 for i, v in enumerate(table[t("batch.col.check", lang)]) if check in v]
    assert flagged == [i + 1 for i, r in enumerate(rows) if r.precision in ("street", "area")]
    found = list(table[t("batch.col.found", lang)])
    assert "Woluwe-Saint-Pierre" in found[12] and found[12].startswith(
        t("geocode.ambiguous", lang, candidates="")[:12])
    warnings = " ".join(str(w.value) for w in app.warning)
    assert t("batch.import.to_check", lang, n=2) in warnings
    assert t("batch.import.misses", lang, n=2) in warnings
    app.button(key="bk_imp_go").click()
    app.run()
    assert not app.exception
    store = open_store(sqlite_url)
    actors = store.list_actors(store.get_map("m")["id"])
    assert len(actors) == len(rows) - 2
    assert {a["name"] for a in actors if "geocoded=street" in a["tags"]} == {"Jeugdhuis Gent"}
    assert all(a["lat"] is not None for a in actors)
