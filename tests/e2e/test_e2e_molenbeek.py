"""End to end on real Brussels data: a map around Molenbeek's Place Communale (2013 extract)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from support.fixtures_app import (
    VIEWER,
    AppServer,
    choose_basemap,
    click_empty_map,
    first_clickable,
    login,
    main_area,
    poll,
    poll_page,
    screenshot,
    seed_accounts,
    shown_osm_id,
    start_app,
    wait_for_markers,
)

from buurtkaart.core.area import Area
from buurtkaart.core.geo import distance_m
from buurtkaart.i18n import t, tn
from buurtkaart.places import read_places
from buurtkaart.store import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.shared]


OSM_TILE_HOST = "tile.openstreetmap.org"



@pytest.fixture(scope="module")
def molenbeek_app(tmp_path_factory: pytest.TempPathFactory, brussels_2013: Path,
                  molenbeek: tuple[float, float]) -> Iterator[tuple[AppServer, str, list]]:
    """A store with one map 1 km around Place Communale, places from the 2013 extract."""
    tmp = tmp_path_factory.mktemp("e2e_molenbeek")
    lat, lon = molenbeek
    area = Area.circle(lat, lon, 1000)
    places = read_places(brussels_2013, area=area)
    store = open_store(str(tmp / "store.db"))
    the_map = store.create_map("setup", name="Molenbeek 2013", org_name="Buurtwerk Molenbeek",
                               lat=lat, lon=lon, address="Place Communale, Molenbeek",
                               area=area.to_dict(), lang="nl")
    store.import_places("setup", the_map["id"], places, source="file:brussels-2013",
                        area=area.to_dict())
    worship = [p for p in places if p.category.startswith("worship") and p.osm_id][:2]
    store.accept_places("setup", the_map["id"], worship, ["brugfiguur"])
    store.close()
    seed_accounts(str(tmp / "store.db"), the_map["id"], ("Karim", "Sofie"))
    env = {"BUURTKAART_OSM_FILE": str(brussels_2013), "BUURTKAART_DEMO": "0"}
    app = start_app(tmp, env)
    app.restart = lambda: start_app(tmp, env)  # type: ignore[attr-defined]
    yield app, str(the_map["id"]), places
    app.stop()


def _open(page_factory: Any, app: AppServer, user: str) -> Any:
    page = page_factory()
    page.goto(app.url)
    login(page, user)
    wait_for_markers(page)
    return page


def test_molenbeek_map_renders_markers_and_clusters(molenbeek_app: tuple, page_factory: Any,
                                                    ) -> None:
    app, map_id, _ = molenbeek_app
    page = _open(page_factory, app, "Karim")
    frame = wait_for_markers(page)
    assert frame.locator(".bk-org-icon").count() == 1
    assert frame.locator(".bk-a-icon").count() == len(open_store(app.db).list_actors(map_id))
    assert frame.locator(".marker-cluster").count() + frame.locator(".bk-p-icon").count() > 0
    assert "Buurtwerk Molenbeek" in main_area(page).inner_text()
    assert "DEMO" not in main_area(page).inner_text()
    hosts = {urlparse(u).hostname for u in page.external}
    assert hosts <= {"tile.openstreetmap.org"}, page.external[:5]
    screenshot(page, "e2e-molenbeek-map")
    # The offline basemap drawn from the 2013 extract: streets, no tiles, nothing outside.
    page.external.clear()
    choose_basemap(page, "offline")
    frame = wait_for_markers(page)
    assert poll(lambda: frame.locator(".leaflet-tile").count() == 0, timeout=45)
    page.wait_for_timeout(1000)
    assert page.external == []
    screenshot(page, "e2e-molenbeek-offline")


def test_molenbeek_accept_candidate_as_sleutelfiguur(molenbeek_app: tuple,
                                                     page_factory: Any) -> None:
    app, map_id, places = molenbeek_app
    page = _open(page_factory, app, "Karim")
    frame = wait_for_markers(page)
    # Open clusters until single candidates show.
    for _ in range(3):
        if frame.locator(".bk-p-icon").count() >= 3:
            break
        frame.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(600)
    first_clickable(frame.locator(".bk-p-icon")).click()
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("place.accept", "nl"))
    form.wait_for(timeout=30_000)
    osm_id = shown_osm_id(main.inner_text())
    assert osm_id is not None, main.inner_text()[:400]
    assert osm_id in {p.osm_id for p in places}
    form.locator('input[role="combobox"]').click()
    page.keyboard.type("Sleutelfiguur")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    form.get_by_role("button", name=t("place.accept", "nl")).click()
    actors = poll(lambda: [a for a in open_store(app.db).list_actors(map_id)
                           if a["osm_id"] == osm_id])
    assert actors and actors[0]["roles"] == ["sleutelfiguur"]
    assert actors[0]["created_by"] == "Karim"
    screenshot(page, "e2e-molenbeek-accepted")


def test_molenbeek_click_on_map_adds_informal_actor(molenbeek_app: tuple, page_factory: Any,
                                                    molenbeek: tuple[float, float]) -> None:
    app, map_id, _ = molenbeek_app
    page = _open(page_factory, app, "Sofie")
    click_empty_map(wait_for_markers(page))
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("informal.add", "nl"))
    form.wait_for(timeout=30_000)
    form.get_by_label(t("field.name", "nl")).fill("Moeders aan de schoolpoort")
    form.get_by_role("button", name=t("informal.add", "nl")).click()
    actors = poll(lambda: [a for a in open_store(app.db).list_actors(map_id)
                           if a["name"] == "Moeders aan de schoolpoort"])
    assert actors and actors[0]["formal"] is False and actors[0]["created_by"] == "Sofie"
    # The click was on the visible map around Place Communale (the view shows ~1.5 km).
    assert distance_m(actors[0]["lat"], actors[0]["lon"], *molenbeek) < 2000
    screenshot(page, "e2e-molenbeek-informal")


def test_molenbeek_actors_are_found_again_after_a_restart(molenbeek_app: tuple,
                                                         page_factory: Any) -> None:
    app, map_id, _ = molenbeek_app
    names = {a["name"] for a in open_store(app.db).list_actors(map_id)}
    app.stop()
    again = app.restart()
    try:
        page = page_factory()
        page.goto(again.url)
        login(page, VIEWER)
        frame = wait_for_markers(page)
        assert poll_page(page, lambda: frame.locator(".bk-a-icon").count() == len(names))
        page.get_by_role("link", name=t("nav.actoren", "nl"), exact=True).click()
        table = main_area(page).locator('[data-testid="stDataFrame"]')
        table.wait_for(timeout=30_000)
        count = t("actors.count", "nl", shown=len(names),
             total=tn("count.actors", "nl", len(names)))
        assert count in main_area(page).inner_text()
    finally:
        again.stop()
