"""End to end: a newer extract uploaded on the Teamvergadering page of a live app.

The map is imported from the 2012 extract cut to a box around the Bourse; the 2013
cut of the same box is uploaded in headless Chromium. The changes show at once and
stay after switching pages; the 2012 cut uploaded afterwards is refused as older
(by the header timestamp) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.fixtures_app import AppServer, main_area, poll_page, screenshot, start_app
from support.osmchange_data import CENTRE, RADIUS, change_set

from buurtkaart.core.area import Area
from buurtkaart.places import read_places
from buurtkaart.store import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.shared]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, brussels_2012: Path,
          brussels_2013: Path) -> dict[str, Path]:
    return change_set(tmp_path_factory.getbasetemp() / "osmchange", brussels_2012,
                      brussels_2013)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, files: dict[str, Path]) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("osm_update_app")
    area = Area.circle(*CENTRE, RADIUS)
    with open_store(f"sqlite:///{tmp / 'store.db'}") as s:
        m = s.create_map("an", name="Bourse", org_name="Buurtwerk", lat=CENTRE[0],
                         lon=CENTRE[1], area=area)
        s.import_places("an", m["id"], read_places(files["old"], area),
                        source=f"file:{files['old'].name}", area=area.to_dict())
    server = start_app(tmp, {"BUURTKAART_SINGLE_USER": "1", "BUURTKAART_DEMO": "0",
                             "BUURTKAART_OSM_DIR": str(files["old"].parent)})
    yield server
    server.stop()


def _imports(app: AppServer) -> list[str]:
    with open_store(f"sqlite:///{app.db}") as s:
        return [i["source"] for i in s.list_imports(s.get_map("Bourse")["id"])]


def _upload(page: Any, path: Path) -> None:
    main = main_area(page)
    heading = main.get_by_text("Nieuwere OSM-gegevens inladen")
    heading.wait_for(timeout=60_000)
    if not main.get_by_text("Bestand opladen").is_visible():
        heading.click()
    main.locator('input[type="file"]').set_input_files(str(path))
    main.get_by_text(path.name).first.wait_for(timeout=30_000)
    main.get_by_role("button", name="Vergelijken en inladen").click()


def test_upload_newer_extract_then_older_is_refused(app: AppServer, files: dict[str, Path],
                                                    page_factory: Any) -> None:
    page = page_factory()
    page.goto(app.url + "/teamvergadering")
    _upload(page, files["new"])
    main = main_area(page)
    main.get_by_text("bourse-2013.osm.pbf ingeladen:").wait_for(timeout=90_000)
    main.get_by_text("vergeleken op de datum in de bestandskop").first.wait_for()
    main.get_by_text("Nieuwe OSM-plekken").first.wait_for(timeout=30_000)  # right away
    assert _imports(app) == ["file:bourse-2013.osm.pbf", "file:bourse-2012.osm.pbf"]
    screenshot(page, "meeting-osm-upload")

    page.goto(app.url + "/kaart")  # switch pages and come back: the changes stay
    main_area(page).wait_for()
    page.goto(app.url + "/teamvergadering")
    main_area(page).get_by_text("Nieuwe OSM-plekken").first.wait_for(timeout=60_000)

    _upload(page, files["old"])
    main = main_area(page)
    main.get_by_text("De kaart bleef ongewijzigd.").wait_for(timeout=60_000)
    main.get_by_text("ouder dan het vorige", exact=False).first.wait_for()
    assert poll_page(page, lambda: len(_imports(app)) == 2)
    assert not page.external or all("tile" in url for url in page.external)
