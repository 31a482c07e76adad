"""Street names, SVG icons and the legend of the offline map in headless Chromium.

The 1 km Molenbeek map (Place Communale) on the 2013 extract, in nl/fr/en at 1400x900
and 390x844; screenshots go to ``tests/artifacts/labels_*.png`` (look at them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.emoji import emoji_in

from buurtkaart.core.area import Area
from buurtkaart.places import read_places
from buurtkaart.sources.basemap import offline_basemap_geojson
from buurtkaart.views import labels as lb
from buurtkaart.views._serve import serve_pages
from buurtkaart.views.mapview import build_map, map_html

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
VIEWPORTS = ((1400, 900), (390, 844))
MAP = "Object.values(window).find(v => v && v._bk)"
#: Per language: a name that must be drawn, and the other languages' forms that must not.
STREET = {"nl": ("Steenweg op Gent", "Chaussée de Gand"),
          "fr": ("Chaussée de Gand", "Steenweg op Gent"),
          "en": ("Chaussée de Gand - Steenweg op Gent", "Steenweg op Gent")}


@pytest.fixture(scope="module")
def base_url(places_2026: Path, brussels_2013: Path, molenbeek: tuple[float, float],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    lat, lon = molenbeek
    area = Area.circle(lat, lon, 1000)
    places = read_places(places_2026, area)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUURTKAART_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        basemap = offline_basemap_geojson(brussels_2013, area.bbox)
    org = {"id": "m", "org_name": "Buurthuis", "lat": lat, "lon": lon, "address": "Gemeenteplaats"}
    pages = {f"/{lang}.html": map_html(build_map(
        org=org, places=places, actors=[], area=area.to_dict(), lang=lang, basemap="offline",
        offline_basemap=basemap)) for lang in STREET}
    with serve_pages(pages) as base:
        yield base


def open_at(browser: Any, url: str, size: tuple[int, int], zoom: int) -> Any:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".leaflet-marker-icon", timeout=15_000)
    page.evaluate(f"() => {{ {MAP}.setView([50.8552, 4.3387], {zoom}, {{animate: false}}); }}")
    page.wait_for_timeout(700)  # markercluster's animation
    page.errors = errors
    return page


def placed(page: Any, name: str) -> list[dict]:
    return list(page.evaluate(f"""() => {MAP}._bk.overlays[{name!r}].placed.map(p =>
        ({{text: p.text, x: p.box.x, y: p.box.y, hw: p.box.hw, hh: p.box.hh,
          angle: p.angle}}))"""))


@pytest.mark.parametrize("lang", list(STREET))
@pytest.mark.parametrize("size", VIEWPORTS, ids=["1400x900", "390x844"])
def test_street_labels_at_zoom_17(browser: Any, base_url: str, lang: str,
                                  size: tuple[int, int]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_at(browser, f"{base_url}/{lang}.html", size, 17)
    try:
        name = {"nl": "Straatnamen", "fr": "Noms de rue", "en": "Street names"}[lang]
        labels = placed(page, name)
        texts = {lab["text"] for lab in labels}
        want, not_wanted = STREET[lang]
        assert want in texts and not_wanted not in texts
        boxes = [lb.Box(lab["x"], lab["y"], lab["hw"], lab["hh"], lab["angle"]) for lab in labels]
        for a, b in itertools.combinations(boxes, 2):
            assert not lb.overlaps(a, b)
        # drawn in the DOM, upright, and plenty of them in sight
        visible = page.evaluate("""() => [...document.querySelectorAll('.bk-l')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
        }).length""")
        assert page.locator(".bk-l").count() == len(labels)
        assert visible >= (25 if size[0] > 1000 else 8), visible
        assert all(-90 <= lab["angle"] <= 90 for lab in labels)
        page.screenshot(path=str(ARTIFACTS / f"labels_{lang}_{size[0]}.png"))
        # the canal and a square have their names
        kinds = page.evaluate(f"{MAP}._bk.overlays[{name!r}].placed.map(p => p.kind)")
        assert "water" in kinds and "square" in kinds
        # no labels below neighbourhood zoom
        page.evaluate(f"() => {{ {MAP}.setZoom(15, {{animate: false}}); }}")
        page.wait_for_timeout(300)
        assert page.locator(".bk-l").count() == 0
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("size", VIEWPORTS, ids=["1400x900", "390x844"])
def test_no_emoji_and_the_legend_fits(browser: Any, base_url: str, size: tuple[int, int]) -> None:
    page = open_at(browser, f"{base_url}/nl.html", size, 17)
    try:
        if not page.evaluate("document.querySelector('.bk-legend details').open"):
            page.click(".bk-legend summary")
        page.click(".leaflet-control-layers")  # the layer control lists the categories
        texts = page.evaluate("""() => [document.body.innerText,
            document.querySelector('.bk-legend').innerHTML,
            document.querySelector('.leaflet-control-layers').innerHTML,
            [...document.querySelectorAll('.bk-p-icon')].map(e => e.innerHTML).join('')]""")
        for text in texts:
            assert emoji_in(text) == [], emoji_in(text)[:5]
        assert page.locator(".bk-legend .bk-p svg").count() >= 10  # one icon per category
        assert page.locator(".bk-p-icon svg").count() == page.locator(".bk-p-icon").count() > 0
        legend = page.locator(".bk-legend").bounding_box()
        frame = page.locator(".leaflet-container").bounding_box()
        search = page.locator(".bk-search").bounding_box()
        assert legend["y"] >= frame["y"] and legend["y"] + legend["height"] <= frame["height"]
        assert legend["x"] + legend["width"] <= frame["width"]
        assert legend["y"] >= search["y"] + search["height"], "the legend covers the search"
        page.screenshot(path=str(ARTIFACTS / f"legend_nl_{size[0]}.png"))
    finally:
        page.close()
