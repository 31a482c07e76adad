"""The login gate and the data-layer guard in the live app (Streamlit + headless Chromium).

Until the lead wires the two one-line hooks into ``buurtkaart/ui/app.py`` and
``buurtkaart/ui/data.py``, a small wrapper script applies exactly those two
lines around the real app (same pages, same code) and is started like app.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures_app import AppServer, free_port, main_area, poll, screenshot, wait_for_markers

from buurtkaart.auth import accounts
from buurtkaart.i18n import t
from buurtkaart.settings import PROJECT_ROOT
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e

WRAPPER = '''
from buurtkaart.auth import login
from buurtkaart.ui import app as ui_app, data, state

# hook in buurtkaart/ui/data.py: every store access of the app is guarded
data.get_store = lambda: login.guarded(data._open_store(data.store_url()))
_streamlit_main = ui_app.main


def main() -> None:
    state.init_state()
    # hook in buurtkaart/ui/app.py main(): the login gate before any page
    login.current_user(data._open_store(data.store_url()), state.lang())
    _streamlit_main()


main()
'''


def _start(tmp: Path, db: str) -> AppServer:
    script = tmp / "guarded_app.py"
    script.write_text(WRAPPER, encoding="utf-8")
    (tmp / "static").symlink_to(PROJECT_ROOT / "static")  # static serving: beside the script
    port = free_port()
    env = {**os.environ, "BUURTKAART_DB": db, "BUURTKAART_CACHE_DIR": str(tmp / "cache"),
           "BUURTKAART_SINGLE_USER": "0", "PYTHONPATH": str(PROJECT_ROOT)}
    log = tmp / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    server = AppServer(url=f"http://127.0.0.1:{port}", db=db, proc=proc, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(log.read_text(errors="replace")[-3000:])


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
    app = _start(tmp, db)
    yield app, actor["id"]
    app.stop()


def _login(page: Any, name: str, password: str) -> None:
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _edit_notes(page: Any, text: str) -> None:
    frame = wait_for_markers(page)
    frame.locator(".bk-a-icon").first.click()
    form = main_area(page).locator('[data-testid="stForm"]').filter(has_text=t("edit.title",
                                                                                "nl"))
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
    _edit_notes(page, "vera probeert te schrijven")
    shown = poll(lambda: "permission denied" in page.locator("body").inner_text().lower(),
                 timeout=30)
    screenshot(page, "auth-viewer-refused")
    assert shown, "the refusal is not shown"
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
