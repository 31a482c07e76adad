"""Benchmark of the map view against naive Folium, in one run.

1. The Molenbeek map (places-2026.geojson within 1 km of Place Communale, about
   760 places, plus 500 synthetic actors with relation lines): build time and HTML
   size of ``build_map`` + ``map_html`` against naive Folium (one ``folium.Marker``
   with a popup per object, one ``PolyLine`` per relation). Goals: >= 10x faster,
   >= 5x smaller.
2. Time to the first visible markers in headless Chromium (loopback server, every
   other request blocked), for that map and for the whole region (17,365 places).
   Goals: < 2 s and < 3 s. Naive Folium (pointed at the vendored Leaflet) is
   measured too, for the ratio.
3. The same Molenbeek map on the offline basemap of the 2013 extract with its street,
   square, park and canal names (issue 12): HTML size, time to the first markers
   (goal < 2 s) and the time to place and draw the labels at zoom 17.

Run: ``.venv/bin/python bench/map.py`` (needs ../shared/data; prints the figures).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buurtkaart import settings  # noqa: E402
from buurtkaart.core.area import Area  # noqa: E402
from buurtkaart.places import Place, read_places  # noqa: E402
from buurtkaart.views import map_layers as ml  # noqa: E402
from buurtkaart.views._serve import serve_pages  # noqa: E402
from buurtkaart.views.map_assets import use_vendored_assets  # noqa: E402
from buurtkaart.views.mapview import build_map, map_html  # noqa: E402

MOLENBEEK = (50.8552, 4.3387)
ORG = {"id": "bench", "org_name": "Buurthuis (bench)", "lat": MOLENBEEK[0], "lon": MOLENBEEK[1],
       "address": "Gemeenteplein"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
#: Records the time (ms since navigation start) of the first visible marker.
FIRST_MARKER_JS = """
new MutationObserver((_, obs) => {
  if (document.querySelector('.leaflet-marker-icon, .marker-cluster')) {
    window.__firstMarker = performance.now(); obs.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def synthetic_actors(n: int, seed: int = 42) -> list[dict[str, Any]]:
    """Return ``n`` fictional actors spread over the 1 km circle."""
    rnd = random.Random(seed)
    kinds = list(ml.KIND_SHAPES)
    roles = list(ml.ROLE_COLOURS)
    return [{
        "id": f"actor-{i}", "name": f"Actor {i:03d}", "kind": kinds[i % len(kinds)],
        "formal": i % 2 == 0, "roles": [roles[i % len(roles)]], "strength": i % 4,
        "status": list(ml.STATUS_COLOURS)[i % 5], "leaning": ["ally", "neutral", "opponent"][i % 3],
        "contact_person": f"Contact {i}", "last_contact": "2026-10-01",
        "lat": MOLENBEEK[0] + rnd.uniform(-0.008, 0.008),
        "lon": MOLENBEEK[1] + rnd.uniform(-0.012, 0.012),
    } for i in range(n)]


def all_points(path: Path) -> list[Place]:
    """Return every point of a GeoJSON file as a Place (uncategorised ones as "other")."""
    import json

    from buurtkaart.core.categories import categorize

    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    out = []
    for f in features:
        tags = {k: str(v) for k, v in (f.get("properties") or {}).items() if not k.startswith("_")}
        lon, lat = f["geometry"]["coordinates"][:2]
        out.append(Place(None, tags.get("name"), tags.get("name:nl"), tags.get("name:fr"),
                         categorize(tags) or "other", lat, lon, tags, "geojson:places-2026"))
    return out


def ours(places: list[Place], actors: list[dict]) -> str:
    """Build the page with the buurtkaart map builder."""
    m = build_map(org=ORG, places=places, actors=actors, basemap="none",
                  area=Area.circle(*MOLENBEEK, 1000).to_dict())
    return map_html(m)


def naive(places: list[Place], actors: list[dict], vendored: bool = False) -> str:
    """Build the page the naive Folium way: one Marker with a popup per object."""
    m = folium.Map(location=MOLENBEEK, zoom_start=15, tiles=None, max_zoom=19)
    name = str(ORG["org_name"])
    folium.Marker(MOLENBEEK, popup=folium.Popup(name), tooltip=name).add_to(m)
    for p in places:
        label = p.name or p.category
        popup = f"<b>{ml.esc(label)}</b><br>{ml.esc(p.category)}<br>{ml.esc(p.osm_id or '')}"
        folium.Marker([p.lat, p.lon], popup=folium.Popup(popup), tooltip=ml.esc(label)).add_to(m)
    for a in actors:
        style = ml.relation_style(a)
        popup = f"<b>{ml.esc(a['name'])}</b><br>{ml.esc(', '.join(a['roles']))}"
        folium.Marker([a["lat"], a["lon"]], popup=folium.Popup(popup),
                      tooltip=ml.esc(a["name"])).add_to(m)
        folium.PolyLine([MOLENBEEK, (a["lat"], a["lon"])], weight=style["weight"],
                        color=style["color"], dash_array=style["dash"] or None).add_to(m)
    if vendored:
        use_vendored_assets(m)
    return m.get_root().render()


#: Zooms the map to 17 on Place Communale: [ms of the whole zoom, labels drawn, ms of the labels].
LABELS_JS = """() => {
  const m = Object.values(window).find(v => v && v._bk);
  const t0 = performance.now();
  m.setView([50.8552, 4.3387], 17, {animate: false});
  const ms = performance.now() - t0;
  const labels = Object.values(m._bk.overlays).find(l => l.placed !== undefined);
  return [ms, document.querySelectorAll('.bk-l').length, labels.ms];
}"""


def offline(places: list[Place], actors: list[dict]) -> str | None:
    """Build the Molenbeek page on the offline basemap with labels (None without the extract)."""
    from buurtkaart.sources.basemap import offline_basemap_geojson

    extract = settings.shared_data_dir() / "brussels" / "brussels-2013-01-01.osm.pbf"
    if not extract.exists():
        return None
    area = Area.circle(*MOLENBEEK, 1000)
    t0 = time.perf_counter()
    basemap = offline_basemap_geojson(extract, area.bbox)
    print(f"Offline basemap (2013 extract, cached after the first run): "
          f"{time.perf_counter() - t0:.2f} s, {len(basemap['labels'])} labels")
    m = build_map(org=ORG, places=places, actors=actors, basemap="offline",
                  offline_basemap=basemap, area=area.to_dict())
    return map_html(m)


def label_time(browser: Any, url: str, repeat: int = 3) -> tuple[float, int]:
    """Return the median ms to place and draw the labels at zoom 17, and their number."""
    results = []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(url)
        page.wait_for_selector(".leaflet-marker-icon", timeout=60_000)
        results.append(page.evaluate(LABELS_JS))
        page.close()
    whole = statistics.median(r[0] for r in results)
    print(f"  zoom to 17 (markercluster, canvas and labels) {whole:.0f} ms")
    return statistics.median(r[2] for r in results), int(results[0][1])


def timed(fn: Callable[[], str], repeat: int) -> tuple[float, str]:
    """Return the median seconds of ``repeat`` calls and the last result."""
    times = []
    out = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def first_markers(browser: Any, url: str, repeat: int = 3) -> float:
    """Return the median seconds from navigation start to the first visible marker."""
    results = []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        blocked: list[str] = []

        def route(r: Any, blocked: list[str] = blocked) -> None:
            if r.request.url.startswith("http://127.0.0.1:"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.add_init_script(FIRST_MARKER_JS)
        page.goto(url)
        page.wait_for_function("window.__firstMarker !== undefined", timeout=60_000)
        results.append(page.evaluate("window.__firstMarker") / 1000)
        if blocked:
            print(f"  WARNING: {len(blocked)} off-loopback requests blocked, e.g. {blocked[0]}")
        page.close()
    return statistics.median(results)


def main() -> int:
    data = settings.shared_data_dir() / "brussels" / "places-2026.geojson"
    if not data.exists():
        print(f"skipped: {data} is absent (see ../shared/data/README.md)")
        return 0
    places = read_places(data, Area.circle(*MOLENBEEK, 1000))
    region = all_points(data)
    actors = synthetic_actors(500)
    print(f"Molenbeek map: {len(places)} places within 1 km + {len(actors)} actors with lines")
    t_ours, html_ours = timed(lambda: ours(places, actors), 5)
    t_naive, html_naive = timed(lambda: naive(places, actors), 3)
    print(f"  build+HTML   buurtkaart {t_ours * 1000:8.1f} ms   naive folium "
          f"{t_naive * 1000:8.1f} ms   speed-up {t_naive / t_ours:5.1f}x (goal >= 10x)")
    print(f"  HTML size    buurtkaart {len(html_ours) / 1024:8.1f} KB   naive folium "
          f"{len(html_naive) / 1024:8.1f} KB   ratio {len(html_naive) / len(html_ours):5.1f}x "
          "(goal >= 5x)")
    t_region, html_region = timed(lambda: map_html(build_map(
        org=None, places=region, actors=[], basemap="none")), 3)
    print(f"Region map: {len(region)} places   build+HTML {t_region * 1000:.1f} ms   "
          f"HTML {len(html_region) / 1024:.1f} KB")

    from playwright.sync_api import sync_playwright

    pages = {"/ours.html": html_ours, "/naive.html": naive(places, actors, vendored=True),
             "/region.html": html_region}
    html_offline = offline(places, actors)
    if html_offline is not None:
        pages["/offline.html"] = html_offline
        print(f"  offline map HTML {len(html_offline) / 1024:.1f} KB "
              f"(without basemap {len(html_ours) / 1024:.1f} KB)")
    with serve_pages(pages) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        b_ours = first_markers(browser, f"{base}/ours.html")
        b_naive = first_markers(browser, f"{base}/naive.html")
        b_region = first_markers(browser, f"{base}/region.html")
        if html_offline is not None:
            b_offline = first_markers(browser, f"{base}/offline.html")
            ms_labels, n_labels = label_time(browser, f"{base}/offline.html")
        browser.close()
    print("Time to first visible markers in headless Chromium (median of 3):")
    print(f"  Molenbeek    buurtkaart {b_ours:6.2f} s   naive folium {b_naive:6.2f} s   "
          f"ratio {b_naive / b_ours:5.1f}x   (goal < 2 s)")
    print(f"  Region       buurtkaart {b_region:6.2f} s   ({len(region)} places, goal < 3 s)")
    if html_offline is not None:
        print(f"  Offline+names buurtkaart {b_offline:5.2f} s   (goal < 2 s); labels at zoom 17: "
              f"{n_labels} placed and drawn in {ms_labels:.0f} ms (median of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
