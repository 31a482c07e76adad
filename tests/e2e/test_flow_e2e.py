"""The everyday workflow on a team's own (empty) store, on a live server in Chromium.

No demo in a team store; the onboarding; creating a map leads to it; the map and
the language survive a reload and are remembered; moving the organisation; a new
import; a contact-log entry without a false "changed meanwhile" warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.fixtures_app import (
    AppServer,
    click_empty_map,
    first_clickable,
    main_area,
    map_frame,
    new_page,
    poll,
    poll_page,
    screenshot,
    start_app,
    wait_for_markers,
)

from buurtkaart import settings
from buurtkaart.auth.identity import SINGLE_USER_NAME
from buurtkaart.core.area import Area
from buurtkaart.demo import DEMO_CENTER
from buurtkaart.i18n import t
from buurtkaart.places import read_places
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e
ADDRESS = "Pohjoisesplanadi 11"
DESKTOP, PHONE = (1400, 900), (390, 844)
#: The onboarding looked at once per language; Instellingen in the other sizes, so that
#: every language is seen on a desktop and a phone across the two pages.
LOOKS = (("nl", DESKTOP), ("fr", PHONE), ("en", DESKTOP))
OTHER_LOOKS = (("nl", PHONE), ("fr", DESKTOP), ("en", PHONE))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("flow")
    open_store(str(tmp / "store.db")).close()  # an empty team store
    app = start_app(tmp, {"BUURTKAART_DEMO": "1", "BUURTKAART_SINGLE_USER": "1",
                          "BUURTKAART_DEMO_DB": str(tmp / "demo" / "demo.db"),
                          "BUURTKAART_BASEMAP": "offline"})
    yield app
    app.stop()


def _maps(app: AppServer) -> list[Any]:
    store = open_store(app.db)
    try:
        return list(store.list_maps())
    finally:
        store.close()


def _no_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_1_the_demo_never_enters_a_team_store_and_the_onboarding_opens(
        server: AppServer, browser: Any) -> None:
    assert _maps(server) == []
    assert not (Path(server.db).parent / "demo").exists()
    for lang, (width, height) in LOOKS:
        page = new_page(browser, width, height)
        page.goto(f"{server.url}/?taal={lang}")
        main_area(page).get_by_text(t("onboarding.title", lang)).first.wait_for(
            timeout=120_000)  # the first page of a fresh server imports everything
        page.wait_for_url("**/instellingen**", timeout=30_000)
        main_area(page).get_by_label(t("setup.map_name", lang)).wait_for(timeout=60_000)
        assert "None" not in main_area(page).inner_text()
        _no_exception(page)
        screenshot(page, f"flow-onboarding-{lang}-{width}")
        page.context.close()
    assert _maps(server) == []  # looking did not build anything


def test_2_creating_a_map_leads_to_the_map(server: AppServer, page_factory: Any) -> None:
    page = page_factory()
    page.goto(server.url + "/instellingen")
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("setup.geocode", "nl"))
    form.get_by_label(t("setup.map_name", "nl")).fill("Esplanadi")
    form.get_by_label(t("setup.org_name", "nl")).fill("Wijkhuis Esplanadi")
    form.get_by_label(t("setup.address", "nl")).fill(ADDRESS)
    form.get_by_role("button", name=t("setup.geocode", "nl")).click()
    map_frame(page).locator(".bk-org-icon").wait_for(timeout=45_000)
    main.get_by_role("button", name=t("setup.create", "nl")).click()
    the_map = poll(lambda: next(iter(_maps(server)), None), timeout=90)
    assert the_map is not None and the_map["name"] == "Esplanadi"
    page.wait_for_url(lambda url: f"kaart={the_map['id']}" in url and "/instellingen" not in url,
                      timeout=60_000)
    assert "taal=nl" in page.url
    main_area(page).locator('[data-testid="stAlert"]').filter(has_text="Esplanadi").wait_for(
        timeout=45_000)
    wait_for_markers(page, timeout=60_000)
    _no_exception(page)


def _second_map(app: AppServer) -> str:
    store = open_store(app.db)
    try:
        lat, lon = DEMO_CENTER[0] + 0.004, DEMO_CENTER[1] - 0.006
        area = Area.circle(lat, lon, 300)
        m = store.create_map("bob", name="Kaartin", org_name="Huis Kaartin", lat=lat, lon=lon,
                             area=area.to_dict())
        store.import_places("bob", m["id"], read_places(settings.demo_osm_file(), area=area),
                            source="file:demo", area=area.to_dict())
        return str(m["id"])
    finally:
        store.close()


def _shows(page: Any, text: str) -> bool:
    return bool(poll_page(page, lambda: main_area(page).get_by_text(text).count() > 0,
                          timeout=45))


def test_3_reload_keeps_map_and_language_and_a_new_visit_remembers_them(
        server: AppServer, page_factory: Any) -> None:
    second = _second_map(server)
    page = page_factory()
    page.goto(f"{server.url}/?kaart={second}&taal=fr")
    main_area(page).get_by_text("Huis Kaartin").first.wait_for(timeout=45_000)
    page.locator('[data-testid="stSidebarUserContent"]').get_by_text(
        t("sidebar.map", "fr"), exact=True).first.wait_for(
        timeout=30_000)
    page.reload()
    main_area(page).get_by_text("Huis Kaartin").first.wait_for(timeout=45_000)
    page.locator('[data-testid="stSidebarUserContent"]').get_by_text(
        t("sidebar.map", "fr"), exact=True).first.wait_for(
        timeout=30_000)
    assert _shows(page, "Huis Kaartin") and f"kaart={second}" in page.url
    prefs = open_store(server.db).get_preferences(SINGLE_USER_NAME)
    assert prefs == {"map_id": second, "lang": "fr"}
    fresh = page_factory()  # no link: the user's last map and language
    fresh.goto(server.url)
    fresh.locator('[data-testid="stSidebarUserContent"]').get_by_text(
        t("sidebar.map", "fr"), exact=True).first.wait_for(
        timeout=45_000)
    assert _shows(fresh, "Huis Kaartin")
    assert poll_page(fresh, lambda: f"kaart={second}" in fresh.url and "taal=fr" in fresh.url)
    store = open_store(server.db)
    first = next(m for m in store.list_maps() if m["name"] == "Esplanadi")
    store.set_preference(SINGLE_USER_NAME, "map_id", str(first["id"]))
    store.set_preference(SINGLE_USER_NAME, "lang", "nl")
    store.close()


def _esplanadi(app: AppServer) -> dict[str, Any]:
    return next(m for m in _maps(app) if m["name"] == "Esplanadi")


def test_4_moving_the_organisation_persists_and_is_shown(server: AppServer,
                                                         page_factory: Any) -> None:
    before = _esplanadi(server)
    page = page_factory()
    page.goto(f"{server.url}/instellingen?kaart={before['id']}&taal=nl")
    main = main_area(page)
    main.get_by_text(t("manage.point_move", "nl")).click()
    frame = map_frame(page)
    frame.locator(".bk-org-icon").wait_for(timeout=45_000)
    click_empty_map(frame)
    save = main.get_by_role("button", name=t("manage.point_save", "nl"))
    save.wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)  # let the map settle on the new spot
    moved = None
    for _ in range(3):  # a click landing during a rerun of the map is dropped: click again
        if save.count():
            save.click()
        moved = poll(lambda: (m := _esplanadi(server))["version"] > before["version"] and m,
                     timeout=15)
        if moved:
            break
    assert moved and (moved["lat"], moved["lon"]) != (before["lat"], before["lon"])
    point = f"{moved['lat']:.6f}, {moved['lon']:.6f}"
    assert moved["address"] == point  # not the typed address any more
    main.get_by_text(t("manage.point_saved", "nl", point=point)).wait_for(timeout=30_000)
    main.get_by_text(point).first.wait_for(timeout=30_000)
    screenshot(page, "flow-instellingen-moved-nl-1400")
    page.reload()
    main_area(page).get_by_text(point).first.wait_for(timeout=45_000)


def test_5_reimport_makes_a_new_import(server: AppServer, page_factory: Any,
                                      browser: Any) -> None:
    the_map = _esplanadi(server)
    for lang, (width, height) in OTHER_LOOKS:  # Instellingen with a map, to look at
        shot = new_page(browser, width, height)
        shot.goto(f"{server.url}/instellingen?kaart={the_map['id']}&taal={lang}")
        main_area(shot).get_by_text(t("manage.new_map", lang)).wait_for(timeout=45_000)
        assert "None" not in main_area(shot).inner_text()
        _no_exception(shot)
        screenshot(shot, f"flow-instellingen-{lang}-{width}")
        shot.context.close()
    store = open_store(server.db)
    assert len(store.list_imports(the_map["id"])) == 1
    page = page_factory()
    page.goto(f"{server.url}/instellingen?kaart={the_map['id']}&taal=nl")
    main = main_area(page)
    main.get_by_text(t("manage.area", "nl")).click()
    main.get_by_role("button", name=t("manage.reimport", "nl")).click()
    assert poll(lambda: len(store.list_imports(the_map["id"])) == 2, timeout=60)
    main.locator('[data-testid="stAlert"]').filter(has_text="Nieuwe import").first.wait_for(
        timeout=30_000)
    newest = store.list_imports(the_map["id"])[0]
    assert newest["area"] == the_map["area"] and newest["created_by"] == SINGLE_USER_NAME
    store.close()


def test_6_a_contact_log_entry_shows_no_conflict_warning(server: AppServer,
                                                         page_factory: Any) -> None:
    the_map = _esplanadi(server)
    store = open_store(server.db)
    actor = store.add_actor("bob", the_map["id"], name="Kapper Mehmet", kind="organisation",
                            roles=["brugfiguur"], lat=the_map["lat"] + 0.0025,
                            lon=the_map["lon"] - 0.004)
    page = page_factory()
    page.goto(f"{server.url}/?kaart={the_map['id']}&taal=nl")
    frame = wait_for_markers(page, timeout=60_000)
    first_clickable(frame.locator(".bk-a-icon")).click()
    main = main_area(page)
    main.get_by_text(f"{t('contact.log', 'nl')} (0)").click()
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("contact.add", "nl"))
    form.wait_for(timeout=30_000)
    form.get_by_label(t("field.note", "nl")).fill("Kort gesprek aan de toog")
    form.get_by_role("button", name=t("contact.add", "nl")).click()
    main.get_by_text(t("contact.added", "nl")).wait_for(timeout=30_000)
    assert poll(lambda: store.get_actor(actor["id"])["last_contact"] is not None)
    page.wait_for_timeout(1000)
    assert main.get_by_text("heeft deze actor intussen gewijzigd").count() == 0
    # the log shows the new entry (open it if the browser kept it folded); the form is empty
    log = main.locator('[data-testid="stExpander"]').filter(
        has_text=f"{t('contact.log', 'nl')} (1)").last
    log.wait_for(timeout=30_000)
    if not log.get_by_text("Kort gesprek aan de toog").is_visible():
        log.locator("summary").click()
    log.get_by_text("Kort gesprek aan de toog").wait_for(timeout=30_000)
    fresh = log.locator('[data-testid="stForm"]').filter(has_text=t("contact.add", "nl"))
    assert fresh.get_by_label(t("field.note", "nl")).input_value() == ""
    store.close()
    # The positive control (another worker's change of a form field does warn) is an
    # AppTest: tests/app/test_app_flow.py, test_a_contact_entry_does_not_warn_but_...
