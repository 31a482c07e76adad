"""The standalone map in headless Chromium, with every non-loopback request blocked.

Screenshots go to ``tests/artifacts/`` (look at them: a blank map is a bug).
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buurtkaart.core.area import Area
from buurtkaart.places import read_places
from buurtkaart.sources.basemap import offline_basemap_geojson
from buurtkaart.views import map_layers as ml
from buurtkaart.views._serve import serve_pages
from buurtkaart.views.mapview import build_map, map_html

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
XSS = "<img src=x onerror=alert(1)>"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ROLES = ["sleutelfiguur", "brugfiguur", "pleitbezorger", "partner", "stakeholder", "financier"]


def synthetic_actors(n: int, lat: float, lon: float, seed: int = 7) -> list[dict[str, Any]]:
    """Return ``n`` fictional actors of every kind and role around ``(lat, lon)``."""
    rnd = random.Random(seed)
    kinds = ["person", "organisation", "group", "place"]
    return [{
        "id": f"actor-{i}", "name": XSS if i == 0 else f"Actor {i:03d}", "kind": kinds[i % 4],
        "formal": i % 3 == 0, "roles": [ROLES[i % len(ROLES)]], "strength": i % 4,
        "status": ["to_contact", "in_conversation", "cooperating", "paused", "conflict"][i % 5],
        "leaning": ["ally", "neutral", "opponent"][i % 3],
        "lat": lat + rnd.uniform(-0.006, 0.006), "lon": lon + rnd.uniform(-0.009, 0.009),
    } for i in range(n)]


# ``browser`` is the session-wide Chromium from tests/support/fixtures_app.py: one Playwright
# driver per process (a second sync_playwright() inside it would fail).


class Watched:
    """A page whose off-loopback requests are blocked and recorded."""

    def __init__(self, browser: Any):
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def count(self, selector: str) -> int:
        return int(self.page.locator(selector).count())


def open_map(browser: Any, page_html: str, shot: str) -> Iterator[Watched]:
    with serve_pages({"/map.html": page_html}) as base:
        watched = Watched(browser)
        watched.page.goto(f"{base}/map.html")
        watched.page.wait_for_selector(".leaflet-marker-icon", timeout=15_000)
        watched.page.wait_for_timeout(600)  # let markercluster finish its animation
        watched.page.screenshot(path=str(ARTIFACTS / shot))
        yield watched
        watched.page.close()


def cluster_total(w: Watched) -> int:
    """Return the number of places shown: cluster counts plus single place markers."""
    counts = w.page.eval_on_selector_all(".marker-cluster span",
                                         "els => els.map(e => parseInt(e.textContent))")
    return int(sum(counts)) + w.count(".bk-p-icon")


@pytest.fixture(scope="module")
def molenbeek_map(browser: Any, places_2026: Path, brussels_2013: Path,
                  molenbeek: tuple[float, float]) -> Iterator[tuple[Watched, dict]]:
    ARTIFACTS.mkdir(exist_ok=True)
    lat, lon = molenbeek
    area = Area.circle(lat, lon, 1000)
    places = read_places(places_2026, area)
    actors = synthetic_actors(40, lat, lon)
    org = {"id": "map-1", "org_name": "Buurthuis (demo)", "lat": lat, "lon": lon,
           "address": "Gemeenteplein"}
    basemap = offline_basemap_geojson(brussels_2013, area.bbox)
    m = build_map(org=org, places=places, actors=actors, area=area.to_dict(),
                  basemap="offline", offline_basemap=basemap)
    info = {"places": places, "actors": actors}
    yield from ((w, info) for w in open_map(browser, map_html(m), "offline_map_molenbeek.png"))


def test_molenbeek_renders_offline(molenbeek_map: tuple[Watched, dict]) -> None:
    w, info = molenbeek_map
    assert w.blocked == [], f"requests left localhost: {w.blocked[:5]}"
    assert w.errors == []
    assert w.count(".bk-org-icon") == 1
    assert w.count(".bk-a-icon") == len(info["actors"])
    assert w.count(".marker-cluster") > 5
    assert w.count("canvas") >= 1  # offline basemap and relation lines
    # every place is in a cluster or shown alone (all lie inside the fitted circle)
    assert cluster_total(w) == len(info["places"])
    attribution = w.page.inner_text(".leaflet-control-attribution")
    assert "© OpenStreetMap contributors" in attribution
    assert w.page.evaluate("L.Icon.Default.imagePath").endswith("/vendor/leaflet/images/")
    assert w.page.evaluate("Object.values(window).find(v => v && v._bk)?.getMaxZoom()") == 19


def test_relation_lines_follow_style_rules(molenbeek_map: tuple[Watched, dict]) -> None:
    w, info = molenbeek_map
    drawn = w.page.evaluate("""() => {
        const m = Object.values(window).find(v => v && v._bk);
        return m._bk.overlays['Relaties'].getLayers().map(l => [l.options.bkId,
            l.options.weight, l.options.color, l.options.dashArray || '']); }""")
    expected = {a["id"]: ml.relation_style(a) for a in info["actors"]}
    assert len(drawn) == len(expected)
    for key, weight, color, dash in drawn:
        want = expected[html.unescape(key)]
        assert (weight, color, dash) == (want["weight"], want["color"], want["dash"]), key


def test_xss_name_is_shown_as_text(molenbeek_map: tuple[Watched, dict]) -> None:
    w, _ = molenbeek_map
    assert w.dialogs == []
    assert w.page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    w.page.fill(".bk-search input", XSS)
    w.page.press(".bk-search input", "Enter")
    w.page.wait_for_selector(".leaflet-popup-content h3", timeout=5_000)
    assert w.page.inner_text(".leaflet-popup-content h3") == XSS
    assert w.dialogs == [] and w.blocked == []
    w.page.screenshot(path=str(ARTIFACTS / "offline_map_search.png"))


def test_layer_control_lists_roles_and_categories(molenbeek_map: tuple[Watched, dict]) -> None:
    w, info = molenbeek_map
    labels = w.page.eval_on_selector_all(".leaflet-control-layers-overlays label",
                                         "els => els.map(e => e.textContent.trim())")
    for role in ("Sleutelfiguur", "Brugfiguur", "Partner", "Financier"):
        assert any(label.startswith(role) for label in labels), (role, labels)
    assert any(label.startswith("Relaties") for label in labels)
    assert any("School (" in label for label in labels)
    # untick "Partner": its markers leave the map
    partners = sum(1 for a in info["actors"] if a["roles"][0] == "partner")
    before = w.count(".bk-a-icon")
    w.page.click(".leaflet-control-layers")  # hover/expand
    w.page.locator(".leaflet-control-layers-overlays label", has_text="Partner").click()
    assert w.count(".bk-a-icon") == before - partners


def test_click_place_popup_shows_id(molenbeek_map: tuple[Watched, dict]) -> None:
    w, info = molenbeek_map
    w.page.evaluate("(() => { const m = Object.values(window).find(v => v && v._bk);"
                    " m.closePopup(); m.setView([50.8552, 4.3387], 19, {animate: false}); })()")
    w.page.wait_for_timeout(1000)  # markercluster's uncluster animation
    # the centre of a single place marker well inside the window
    find = """() => {
        for (const el of document.querySelectorAll('.bk-p-icon')) {
            const r = el.getBoundingClientRect();
            if (r.left > 260 && r.top > 120 && r.right < 1100 && r.bottom < 700)
                return [r.left + r.width / 2, r.top + r.height / 2];
        }
        return null; }"""
    for _attempt in range(3):
        point = w.page.evaluate(find)
        assert point is not None, "no single place marker in view at zoom 19"
        w.page.mouse.move(point[0], point[1])
        w.page.mouse.click(point[0], point[1])
        try:
            w.page.wait_for_selector(".leaflet-popup-content .bk-id", timeout=3_000)
            break
        except Exception:
            w.page.screenshot(path=str(ARTIFACTS / "offline_map_click_retry.png"))
    else:
        pytest.fail("no popup after three clicks on a place marker")
    shown_id = w.page.inner_text(".leaflet-popup-content .bk-id")
    keys = {p.osm_id or f"{p.name or ''}@{p.lat:.6f},{p.lon:.6f}" for p in info["places"]}
    assert shown_id in keys
    w.page.screenshot(path=str(ARTIFACTS / "offline_map_zoomed.png"))
    assert w.blocked == []


def test_demo_map_renders_offline(browser: Any, demo_pbf: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    places = read_places(demo_pbf)
    lat = sum(p.lat for p in places) / len(places)
    lon = sum(p.lon for p in places) / len(places)
    actors = synthetic_actors(20, lat, lon, seed=3)
    org = {"id": "demo", "org_name": "Demo-organisatie", "lat": lat, "lon": lon}
    bbox = (lon - 0.012, lat - 0.007, lon + 0.012, lat + 0.007)
    m = build_map(org=org, places=places, actors=actors, lang="fr", basemap="offline",
                  offline_basemap=offline_basemap_geojson(demo_pbf, bbox, use_cache=False),
                  area=Area.circle(lat, lon, 600).to_dict())
    for w in open_map(browser, map_html(m), "offline_map_demo.png"):
        assert w.blocked == [] and w.errors == []
        assert w.count(".bk-a-icon") == 20 and w.count(".bk-org-icon") == 1
        assert w.count(".marker-cluster") > 0
        assert "Légende" in w.page.inner_text(".bk-legend")
        assert w.page.get_attribute(".bk-search input", "placeholder") == "Chercher par nom…"


def test_search_place_by_french_name(molenbeek_map: tuple[Watched, dict]) -> None:
    w, info = molenbeek_map
    target = next(p for p in info["places"] if p.name_fr and p.name_nl and p.name_fr != p.name_nl)
    query = target.name_fr
    w.page.evaluate("() => { Object.values(window).find(v => v && v._bk).closePopup(); }")
    w.page.wait_for_timeout(400)  # a closed popup fades out for 200 ms
    w.page.fill(".bk-search input", query)
    w.page.press(".bk-search input", "Enter")
    w.page.wait_for_selector(".leaflet-popup-content .bk-id", timeout=10_000)
    title = w.page.inner_text(".leaflet-popup-content h3")
    wanted = {p.display_name("nl") for p in info["places"]
              if query.lower() in " ".join(filter(None, [p.name, p.name_nl, p.name_fr])).lower()}
    assert title in wanted
    assert w.blocked == []


def test_inline_page_renders_without_server(browser: Any) -> None:
    """map_html(inline=True): no server at all, every request blocked."""
    actors = synthetic_actors(5, 50.8552, 4.3387)
    m = build_map(org={"id": "x", "org_name": "Org", "lat": 50.8552, "lon": 4.3387},
                  places=[], actors=actors, basemap="none")
    w = Watched(browser)
    try:
        w.page.set_content(map_html(m, inline=True))
        w.page.wait_for_selector(".bk-a-icon", timeout=10_000)
        assert w.count(".bk-a-icon") == 5 and w.count(".bk-org-icon") == 1
        assert w.blocked == [] and w.errors == []
    finally:
        w.page.close()
