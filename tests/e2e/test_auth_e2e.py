"""The login gate and the data-layer guard in the live app (Streamlit + headless Chromium).

The real ``app.py`` runs with ``BUURTKAART_SINGLE_USER=0`` on a store holding
local accounts: a viewer, an editor and an admin of one map.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.fixtures_app import AppServer, main_area, poll, screenshot, start_app, wait_for_markers

from buurtkaart.auth import accounts
from buurtkaart.i18n import t
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def guarded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    tmp = tmp_path_factory.mktemp("auth_e2e")
    db = str(tmp / "store.db")
    store = open_store(db)
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw De Brug",
                               lat=50.8552, lon=4.3387)
    actor = store.add_actor("setup", the_map["id"], name="Jeugdhuis De Klup",
                            roles=["partner"], lat=50.8561, lon=4.3395)
    accounts.add_user(store, "vera", "vera-wachtwoord", map_id=the_map["id"], role="viewer")
    accounts.add_user(store, "eddy", "eddy-wachtwoord", map_id=the_map["id"], role="editor")
    store.close()
    app = start_app(tmp, {"BUURTKAART_DEMO": "0", "BUURTKAART_SINGLE_USER": "0"})
    yield app, actor["id"]
    app.stop()


def _login(page: Any, name: str, password: str) -> None:
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _open_actor(page: Any) -> Any:
    frame = wait_for_markers(page)
    frame.locator(".bk-a-icon").first.click()
    main = main_area(page)
    main.get_by_text("Jeugdhuis De Klup").first.wait_for(timeout=30_000)
    return main


def _edit_notes(page: Any, text: str) -> None:
    form = _open_actor(page).locator('[data-testid="stForm"]').filter(
        has_text=t("edit.title", "nl"))
    form.wait_for(timeout=30_000)
    form.get_by_label(t("field.notes", "nl")).fill(text)
    form.get_by_role("button", name=t("edit.save", "nl")).click()


def _notes(db: str, actor_id: str) -> tuple[str, str]:
    store = open_store(db)
    try:
        actor = store.get_actor(actor_id)
        return str(actor["notes"]), str(actor["updated_by"])
    finally:
        store.close()


def test_login_is_required_and_a_viewer_cannot_edit(guarded_app: tuple[AppServer, str],
                                                    page_factory: Any) -> None:
    app, actor_id = guarded_app
    page = page_factory()
    page.goto(app.url)
    page.get_by_label("Wachtwoord").wait_for(timeout=30_000)
    assert page.locator('iframe[title="streamlit_folium.st_folium"]').count() == 0
    _login(page, "vera", "fout-wachtwoord")
    page.get_by_text("Onbekende gebruiker of fout wachtwoord.").wait_for(timeout=30_000)
    _login(page, "vera", "vera-wachtwoord")
    main = _open_actor(page)
    main.get_by_text(t("edit.read_only", "nl")).wait_for(timeout=30_000)
    screenshot(page, "auth-viewer-read-only")
    assert main.locator('[data-testid="stForm"]').filter(
        has_text=t("edit.title", "nl")).count() == 0  # no edit form for a viewer
    assert page.locator('[data-testid="stException"]').count() == 0  # no traceback
    assert _notes(app.db, actor_id) == ("", "setup")


def test_an_editor_edits_under_their_own_name(guarded_app: tuple[AppServer, str],
                                              page_factory: Any) -> None:
    app, actor_id = guarded_app
    page = page_factory()
    page.goto(app.url)
    page.get_by_label("Wachtwoord").wait_for(timeout=30_000)
    _login(page, "eddy", "eddy-wachtwoord")
    page.get_by_text("Ingelogd als eddy").wait_for(timeout=30_000)
    _edit_notes(page, "eddy was hier")
    assert poll(lambda: _notes(app.db, actor_id) == ("eddy was hier", "eddy"), timeout=30)
