"""Hostile text in names and notes: no dialog opens, nothing executes, the text shows literally.

Two surfaces in headless Chromium: the standalone map HTML (``map_html``) served
on loopback, and the live Streamlit app on a store full of payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.fixtures_app import AppServer, main_area, map_frame, poll, screenshot, start_app

from buurtkaart.views._serve import serve_pages
from buurtkaart.views.mapview import build_map, map_html

pytestmark = pytest.mark.e2e

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'
JS_LINK = "javascript:alert(1)"
MD_LINK = "[klik hier](javascript:alert(1))"
HTML_LINK = '<a href="javascript:alert(1)">klik</a>'
PAYLOADS = (IMG, SCRIPT, JS_LINK)
CENTER = (50.8552, 4.3387)

#: JavaScript that counts what a successful injection would leave behind.
INJECTED_JS = """() => ({
  imgs: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
  scripts: [...document.scripts].filter(s => (s.textContent || '').trim() === 'alert(1)').length,
  jslinks: [...document.querySelectorAll('a[href]')]
      .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
})"""


def _actors() -> list[dict[str, Any]]:
    out = []
    for i, payload in enumerate(PAYLOADS):
        out.append({
            "id": f"x{i}", "map_id": "m", "name": payload, "kind": ["person", "organisation",
                                                                   "group"][i],
            "formal": i == 1, "roles": ["sleutelfiguur"], "strength": 2, "status": "to_contact",
            "leaning": "neutral", "notes": f"{MD_LINK} {HTML_LINK} {payload}",
            "contact_person": SCRIPT, "tags": [IMG, JS_LINK], "category": "school",
            "lat": CENTER[0] + 0.001 * (i + 1), "lon": CENTER[1] + 0.0012 * (i - 1),
            "location_precision": "exact", "privacy": "team", "last_contact": None,
            "domain": "omgeving", "version": 1,
        })
    return out


def _no_injection(target: Any) -> None:
    found = target.evaluate(INJECTED_JS)
    assert found == {"imgs": 0, "scripts": 0, "jslinks": 0}, found


class Watched:
    """A page that records dialogs and page errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="module")
def standalone(browser: Any) -> Iterator[Watched]:
    org = {"id": "m", "org_name": IMG, "name": SCRIPT, "lat": CENTER[0], "lon": CENTER[1],
           "address": JS_LINK}
    links = [{"id": "l1", "from_id": "x0", "to_id": "x1", "type": SCRIPT, "strength": 2,
              "note": IMG}]
    page_html = map_html(build_map(org=org, places=[], actors=_actors(), links=links,
                                   basemap="none", show_actor_links=True))
    with serve_pages({"/map.html": page_html}) as base:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        watched = Watched(context.new_page())
        watched.page.goto(f"{base}/map.html")
        watched.page.wait_for_selector(".leaflet-marker-icon", timeout=15_000)
        yield watched
        context.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_standalone_map_shows_payload_names_literally(standalone: Watched, payload: str) -> None:
    page = standalone.page
    page.fill(".bk-search input", payload)
    page.press(".bk-search input", "Enter")
    titles = page.locator(".leaflet-popup-content h3")
    shown = poll(lambda: payload in titles.all_inner_texts(), timeout=10)
    assert shown, f"popup titles {titles.all_inner_texts()} lack {payload!r}"
    for marker in page.locator(".bk-a-icon").all():
        marker.dispatch_event("mouseover")
    _no_injection(page)
    assert standalone.dialogs == []


def test_standalone_map_has_no_raw_payload_in_its_html(standalone: Watched) -> None:
    html_text = standalone.page.content()
    assert IMG not in html_text and "<script>alert(1)</script>" not in html_text
    _no_injection(standalone.page)
    assert standalone.dialogs == []


@pytest.fixture(scope="module")
def app_with_payloads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    from buurtkaart.store import open_store

    tmp = tmp_path_factory.mktemp("xss_app")
    store = open_store(str(tmp / "store.db"))
    the_map = store.create_map("ann", name="Buurthuis", org_name=IMG, lat=CENTER[0],
                               lon=CENTER[1], address=SCRIPT)
    actors = {a["id"]: a for a in _actors()}
    made = {}
    for key, actor in actors.items():
        fields = {k: v for k, v in actor.items()
                  if k in ("name", "kind", "formal", "roles", "notes", "contact_person", "tags",
                           "lat", "lon", "strength", "location_precision")}
        made[key] = store.add_actor("ann", the_map["id"], **fields)
        store.add_contact("ann", made[key]["id"], "2026-11-20", "visit", "reached",
                          f"{HTML_LINK} {actor['name']}")
    store.add_link("ann", the_map["id"], made["x0"]["id"], made["x1"]["id"], "knows",
                   note=IMG)
    store.add_signal("ann", the_map["id"], date="2026-11-20", title=IMG, description=MD_LINK)
    store.close()
    app = start_app(Path(tmp), env={"BUURTKAART_SINGLE_USER": "1"})
    yield app
    app.stop()


def _watch_app(page_factory: Any, url: str) -> Watched:
    watched = Watched(page_factory())
    watched.page.goto(url)
    return watched


def test_app_map_page_renders_payloads_harmlessly(app_with_payloads: AppServer,
                                                  page_factory: Any) -> None:
    watched = _watch_app(page_factory, app_with_payloads.url)
    page = watched.page
    frame = map_frame(page)
    frame.locator(".bk-a-icon").first.wait_for(timeout=60_000)
    search = frame.locator(".bk-search input")
    if search.count():
        search.fill(IMG)
        search.press("Enter")
        frame.locator(".leaflet-popup-content").first.wait_for(timeout=10_000)
        assert IMG in frame.locator(".leaflet-popup-content").first.inner_text()
    frame.locator(".bk-a-icon").first.click(force=True)  # opens the side panel
    main = main_area(page)
    poll(lambda: "klik hier" in main.inner_text() or "javascript:" in main.inner_text(),
         timeout=30)
    _settled(page)
    screenshot(page, "xss-app-map")
    assert MD_LINK in main.inner_text() and SCRIPT in main.inner_text()
    _no_injection(page)
    _no_injection(page.frames[-1])
    for sub in page.frames:
        _no_injection(sub)
    assert watched.dialogs == []


def test_app_actor_register_shows_payloads_as_text(app_with_payloads: AppServer,
                                                   page_factory: Any) -> None:
    watched = _watch_app(page_factory, app_with_payloads.url + "/actoren")
    page = watched.page
    main = main_area(page)
    shown = poll(lambda: all(p in main.inner_text() for p in (IMG, SCRIPT, JS_LINK))
                 or _grid_has_payloads(page), timeout=60)
    _settled(page)
    screenshot(page, "xss-app-actoren")
    assert shown, "the payload names are not shown literally on the Actoren page"
    for sub in page.frames:
        _no_injection(sub)
    assert watched.dialogs == []


def _settled(page: Any) -> None:
    """Wait until Streamlit has drawn the page (no skeletons, not running)."""
    poll(lambda: page.locator('[data-testid="stSkeleton"]').count() == 0
         and page.locator('[data-testid="stStatusWidget"]').count() == 0, timeout=30)
    page.wait_for_timeout(500)


def _grid_has_payloads(page: Any) -> bool:
    """Streamlit's data grid draws on a canvas: read its accessible table instead."""
    text = " ".join(page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts())
    return all(p in text for p in PAYLOADS)
