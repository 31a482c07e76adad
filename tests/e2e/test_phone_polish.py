"""A worker at the market, on a phone (390x844): find an actor, open the panel, log a
contact. And the Dutch pages show no English Streamlit defaults and no "None"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from support.fixtures_app import (
    AppServer,
    login,
    main_area,
    new_page,
    poll,
    screenshot,
    seed_accounts,
    start_app,
    wait_for_markers,
)

from buurtkaart.demo import ensure_demo_store
from buurtkaart.i18n import t
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e

#: English Streamlit defaults and raw values a Dutch page must not show.
FORBIDDEN = ("Choose an option", "Select all", "Press Ctrl+Enter", "Press Enter",
             "Press ⌘+Enter", "No results")
NONE_WORD = re.compile(r"\bNone\b")
PAGES = ("nav.kaart", "nav.actoren", "nav.buurt", "nav.teamvergadering", "nav.inzichten")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    tmp = tmp_path_factory.mktemp("phone")
    map_id = ensure_demo_store(str(tmp / "store.db"))
    seed_accounts(str(tmp / "store.db"), map_id, ("Eva",))
    app = start_app(tmp)
    yield app, map_id
    app.stop()


def _settled(page: Any) -> None:
    page.wait_for_timeout(800)
    status = page.locator('[data-testid="stStatusWidget"]')
    poll(lambda: status.count() == 0, timeout=60)


def _go(page: Any, key: str) -> None:
    """Open a page through the navigation (same session: no new login)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role(
        "link", name=t(key, "nl")).click()
    main_area(page).get_by_role("heading", name=t(key, "nl")).first.wait_for(timeout=60_000)
    _settled(page)


def test_phone_find_actor_open_panel_log_contact(server: tuple[AppServer, str],
                                                 browser: Any) -> None:
    app, map_id = server
    page = new_page(browser, 390, 844)
    page.goto(app.url)
    page.get_by_label(t("login.name", "nl")).wait_for(timeout=120_000)  # a cold server
    login(page, "Eva")
    wait_for_markers(page)
    actor = sorted(open_store(app.db).list_actors(map_id), key=lambda a: a["name"])[3]
    before = len(open_store(app.db).list_contacts(actor_id=actor["id"]))
    main = main_area(page)
    finder = main.locator('[data-testid="stSelectbox"]').filter(
        has_text=t("map.find_actor", "nl"))
    finder.click()
    page.keyboard.type(actor["name"][:8])
    page.get_by_role("option", name=actor["name"]).click()
    main.get_by_role("heading", name=actor["name"]).wait_for(timeout=30_000)
    log = main.locator('[data-testid="stExpander"]').filter(has_text=t("contact.log", "nl"))
    log.locator("summary").click()
    form = log.locator('[data-testid="stForm"]')
    form.get_by_label(t("field.note", "nl")).fill("Op de markt gesproken")
    form.get_by_role("button", name=t("contact.add", "nl")).click()
    main.get_by_text(t("contact.added", "nl")).wait_for(timeout=30_000)

    def logged() -> list[dict]:
        return [c for c in open_store(app.db).list_contacts(actor_id=actor["id"])
                if c.get("note") == "Op de markt gesproken"]

    assert poll(logged), "the contact was not stored"
    assert len(open_store(app.db).list_contacts(actor_id=actor["id"])) == before + 1
    assert logged()[0]["user"] == "Eva"
    width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')"
                          ".scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(page, "phone-contact-logged")
    page.context.close()


def test_dutch_pages_show_no_english_defaults_and_no_none(server: tuple[AppServer, str],
                                                          browser: Any) -> None:
    app, _ = server
    page = new_page(browser, 1400, 900)
    page.goto(app.url)
    page.get_by_label(t("login.name", "nl")).wait_for(timeout=120_000)  # a cold server
    login(page, "Eva")
    wait_for_markers(page)
    for path in PAGES:
        _go(page, path)
        main = main_area(page)
        if path == "nav.buurt":  # open a multiselect: its bulk action must not be English
            main.locator('[data-testid="stMultiSelect"]').first.click()
            page.wait_for_timeout(500)
        text = page.locator("body").inner_text()
        found = [w for w in FORBIDDEN if w in text]
        assert not found, f"/{path} shows {found}"
        assert not NONE_WORD.search(main.inner_text()), f"/{path} shows None"
        assert main.locator("h1").first.inner_text().strip(), f"/{path} has no title"
        page.keyboard.press("Escape")
    # a typed text area in a form must not ask for Ctrl+Enter
    _go(page, "nav.teamvergadering")
    main = main_area(page)
    main.get_by_role("tab", name=t("meeting.tab_record", "nl")).click()
    main.get_by_label(t("meeting.attendees", "nl")).fill("An\nBo")
    page.wait_for_timeout(500)
    text = page.locator("body").inner_text()
    assert not [w for w in FORBIDDEN if w in text]
    _uploader_speaks_dutch(page)
    page.context.close()


#: What the uploader draws: the button's and the size limit's words (its own are hidden).
SHOWN = """(zone) => [...zone.querySelectorAll("button [data-testid='stMarkdownContainer'] p, "
    + "[data-testid='stFileUploaderDropzoneInstructions'] span")]
  .map((el) => [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content])"""


DRAWN = "(el) => [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content]"


def _uploader_speaks_dutch(page: Any) -> None:
    """Streamlit's "Upload", "50MB per file" and drag line are replaced by Dutch words."""
    import streamlit

    _go(page, "nav.import_export")
    zone = main_area(page).locator('[data-testid="stFileUploaderDropzone"]').first
    zone.wait_for(timeout=30_000)
    mb = streamlit.get_option("server.maxUploadSize")
    assert zone.evaluate(SHOWN) == [["0px", f'"{t("upload.button", "nl")}"'],
                                    ["0px", f'"{t("upload.limit", "nl", mb=mb)}"']]
    files = page.evaluate_handle("() => { const d = new DataTransfer();"
                                 " d.items.add(new File(['x'], 'a.csv')); return d; }")
    zone.dispatch_event("dragenter", {"dataTransfer": files})  # a file dragged over the zone
    drop = zone.locator(":scope > div:not([data-testid]) > span").first
    drop.wait_for(timeout=10_000)
    assert drop.evaluate(DRAWN) == ["0px", f'"{t("upload.drop", "nl")}"']
    zone.dispatch_event("dragleave", {"dataTransfer": files})
