"""End to end: the Teamvergadering and Buurt pages in a live app and headless Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.fixtures_app import AppServer, main_area, map_frame, poll_page, screenshot, start_app

from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e
CENTER = (50.8552, 4.3387)


def _place(osm_id: str, name: str, category: str, tags: dict[str, str],
           dlat: float = 0.0) -> Place:
    return Place(osm_id, name, None, None, category, CENTER[0] + dlat, CENTER[1],
                 {"name": name, **tags}, "test")


def _prepare(db: Path) -> None:
    area = Area.circle(*CENTER, 500)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    with open_store(f"sqlite:///{db}") as s:
        m = s.create_map("an", name="Molenbeek", org_name="Buurtwerk", lat=CENTER[0],
                         lon=CENTER[1], area=area)
        s.import_places("an", m["id"], [
            _place("node/1", "Bakkerij Jan", "shop_food", {"shop": "bakery"}),
            _place("node/2", "Café Oud", "horeca", {"amenity": "cafe"}, 0.001)],
            source="old", area=area)
        s.add_meeting("an", m["id"], date=yesterday, title="Vorige")
        s.import_places("an", m["id"], [
            _place("node/1", "Bakkerij Jan", "shop_food", {"shop": "bakery"}),
            _place("node/3", "Bakkerij X", "shop_food", {"shop": "bakery"}, 0.002)],
            source="new", area=area)
        s.add_actor("bo", m["id"], name="Moskee Al Amal", roles=["sleutelfiguur"],
                    lat=CENTER[0] - 0.0015, lon=CENTER[1])


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("meeting_app")
    _prepare(tmp / "store.db")
    server = start_app(tmp, {"BUURTKAART_SINGLE_USER": "1", "BUURTKAART_DEMO": "0"})
    yield server
    server.stop()


def test_meeting_page_changes_map_and_presentation(app: AppServer, page_factory: Any) -> None:
    page = page_factory()
    page.goto(app.url + "/teamvergadering")
    main = main_area(page)
    main.get_by_text("Nieuwe actoren (1)").wait_for(timeout=60_000)
    main.get_by_text("Nieuwe OSM-plekken (1)").wait_for()
    frame = map_frame(page)
    frame.locator(".bk-hl-new").first.wait_for(timeout=45_000)  # the new actor, marked
    screenshot(page, "meeting-changes")

    main.get_by_text("Presentatiemodus").click()
    main.get_by_text("Wijziging 1 van 3").wait_for(timeout=30_000)
    assert poll_page(page, lambda: not page.locator('[data-testid="stSidebar"]').is_visible())
    main.get_by_role("button", name="Volgende ▶").click()
    main.get_by_text("Wijziging 2 van 3").wait_for(timeout=30_000)
    map_frame(page).locator("[class*='bk-hl-']").first.wait_for(timeout=45_000)
    screenshot(page, "meeting-presentation")
    assert not page.external or all("tile" in url for url in page.external)


def test_buurt_page_accepts_a_draft_signal(app: AppServer, page_factory: Any) -> None:
    page = page_factory()
    page.goto(app.url + "/buurt")
    main = main_area(page)
    main.get_by_role("tab", name="Voorstellen uit OpenStreetMap").click()
    main.get_by_text("Nieuwe winkel: Bakkerij X").wait_for(timeout=60_000)
    main.get_by_role("button", name="Overnemen", exact=True).first.click()

    def accepted() -> list[str]:
        with open_store(f"sqlite:///{app.db}") as s:
            sigs = s.list_signals(s.get_map("Molenbeek")["id"], status="accepted")
        return [x["title"] for x in sigs]

    assert poll_page(page, accepted) == ["Nieuwe winkel: Bakkerij X"]
    main.get_by_role("tab", name="Signalen").click()
    main.get_by_text("Nieuwe winkel: Bakkerij X").first.wait_for(timeout=30_000)
