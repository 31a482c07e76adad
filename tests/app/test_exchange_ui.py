"""The Import/Export page body, driven by Streamlit's AppTest (real script runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.exchange_data import USER, build_map

from buurtkaart.auth import accounts
from buurtkaart.i18n import t
from buurtkaart.store import open_store


def _page() -> None:
    import os
    from types import SimpleNamespace

    from buurtkaart.app.screens.import_export import render
    from buurtkaart.auth.guard import GuardedStore
    from buurtkaart.store import open_store

    store = open_store(os.environ["BK_EXCHANGE_UI_DB"])
    user = os.environ["BK_EXCHANGE_UI_USER"]
    guarded = GuardedStore(store, user, single_user=user == "amina")
    render(SimpleNamespace(store=guarded, map=store.get_map("buurt"), lang="nl", user=user))


@pytest.fixture
def app(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    store = open_store(sqlite_url)
    build_map(store, "buurt")
    store.close()
    monkeypatch.setenv("BK_EXCHANGE_UI_DB", sqlite_url)
    monkeypatch.setenv("BK_EXCHANGE_UI_USER", USER)
    return AppTest.from_function(_page, default_timeout=60)


def test_download_buttons_for_every_profile_and_format(app: AppTest) -> None:
    app.run()
    assert not app.exception
    keys = {b.key for b in app.get("download_button")}
    assert keys == {f"bk_exp_{p}_{f}" for p in ("public", "team", "full")
                    for f in ("geojson", "gpkg", "csv")}


def test_viewer_sees_no_full_export_and_no_import(app: AppTest, sqlite_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(sqlite_url)
    accounts.add_user(store, "vera", None, map_id=store.get_map("buurt")["id"], role="viewer")
    store.close()
    monkeypatch.setenv("BK_EXCHANGE_UI_USER", "vera")
    app.run()
    assert not app.exception
    keys = {b.key for b in app.get("download_button")}
    assert "bk_exp_team_csv" in keys and "bk_exp_full_geojson" not in keys
    assert not app.file_uploader


def test_import_wizard_preview_then_import(app: AppTest, umap_dir: Path,
                                           sqlite_url: str) -> None:
    app.run()
    data = (umap_dir / "test_upload_missing_name.json").read_bytes()
    app.file_uploader(key="bk_imp_file").upload("missing<b>name</b>.json", data,
                                                 "application/json")
    app.run()
    assert not app.exception
    texts = " ".join(str(m.value) for m in app.markdown)
    assert "4 objecten: 3 nieuw, 0 samengevoegd, 1 overgeslagen" in texts
    skipped = app.dataframe[-1].value
    assert list(skipped["#"]) == [2] and "no name" in skipped[t("exchange.import.reason", "nl")][0]
    store = open_store(sqlite_url)
    before = len(store.list_actors(store.get_map("buurt")["id"]))
    app.selectbox(key="bk_map_name").set_value("noname")
    app.run()
    app.button(key="bk_imp_go").click()
    app.run()
    assert not app.exception
    assert "Klaar: 1 nieuw" in app.success[0].value
    names = {a["name"] for a in store.list_actors(store.get_map("buurt")["id"])}
    assert len(names) == before + 1 and "this feature is missing a name" in names
