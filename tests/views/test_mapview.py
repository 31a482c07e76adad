"""Unit tests of the map builder on the HTML it produces (no browser)."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.core.area import Area
from buurtkaart.i18n import catalog
from buurtkaart.places import Place, read_places
from buurtkaart.views import map_layers as ml
from buurtkaart.views.map_assets import STATIC_DIR, asset_urls
from buurtkaart.views.mapview import build_map, map_html

XSS = "<img src=x onerror=alert(1)>"
CDN_HOSTS = ("cdn.", "jsdelivr", "cdnjs", "unpkg", "bootstrapcdn", "code.jquery", "googleapis",
             "fontawesome", "rawcdn", "githack")
ORG = {"id": "map-1", "org_name": "Buurthuis De Vaart", "lat": 50.8552, "lon": 4.3387,
       "address": "Gemeenteplein 1"}


def place(osm_id: str | None, name: str | None, cat: str, lat: float, lon: float,
          name_nl: str | None = None, name_fr: str | None = None) -> Place:
    return Place(osm_id, name, name_nl, name_fr, cat, lat, lon, {}, "test")


def actor(i: int, **kw: object) -> dict:
    base = {"id": f"actor-{i}", "map_id": "map-1", "name": f"Actor {i}", "kind": "person",
            "formal": False, "roles": ["sleutelfiguur"], "strength": 2, "status": "cooperating",
            "leaning": "ally", "lat": 50.85 + i / 1000, "lon": 4.33 + i / 1000,
            "location_precision": "exact", "osm_id": None}
    base.update(kw)
    return base


PLACES = [
    place("node/1", "Basisschool De Knipoog", "school", 50.8561, 4.3391,
          "Basisschool De Knipoog", "École Le Clin d'oeil"),
    place("way/2", XSS, "worship_muslim", 50.8540, 4.3370),
    place(None, "Bakkerij", "shop_food", 50.85501234567, 4.34012345678),
]
ACTORS = [
    actor(1),
    actor(2, name=XSS, kind="organisation", formal=True, roles=["partner"], leaning="opponent",
          status="conflict", strength=3, osm_id="node/1", lat=50.8561, lon=4.3391),
    actor(3, kind="group", roles=["brugfiguur"], strength=0, leaning="neutral", notes=XSS),
    actor(4, lat=None, lon=None),  # no location: not drawn
]
LINKS = [{"id": "l1", "from_id": "actor-1", "to_id": "actor-3", "strength": 3, "type": XSS}]


def page_data(page: str) -> dict:
    """Return the JSON object passed to BuurtkaartMap.render in a rendered page."""
    match = re.search(r"BuurtkaartMap\.render\(\w+, (\{.*\})\);", page)
    assert match, "no BuurtkaartMap.render call in the page"
    return json.loads(match.group(1))


def actors_of(data: dict) -> dict[str, dict]:
    """Decode the compact actor rows (see map_layers.actor_row) with the vocab tables."""
    v = data["vocab"]
    out = {}
    for row in data["actors"]:
        out[row[0]] = {
            "name": row[3], "roles": [v["roles"][i][0] for i in row[4]],
            "color": v["roles"][row[4][0]][2] if row[4] else None,
            "shape": v["kinds"][row[5]][2], "formal": bool(row[6] & ml.FORMAL),
            "opponent": bool(row[6] & ml.OPPONENT), "strength": row[7],
            "status": v["statuses"][row[8]][0] if row[8] >= 0 else None,
            "leaning": v["leanings"][row[9]][0] if row[9] >= 0 else None, "hl": row[12],
            "lat": row[1], "lon": row[2],
        }
    return out


def render(**kw: object) -> str:
    args: dict = {"org": ORG, "places": PLACES, "actors": ACTORS, "links": LINKS,
                  "basemap": "offline", "offline_basemap": None}
    args.update(kw)
    return map_html(build_map(**args))


@pytest.fixture(scope="module")
def page() -> str:
    return render(area=Area.circle(50.8552, 4.3387, 500).to_dict())


def test_no_cdn_only_vendored_assets(page: str) -> None:
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assets = [u for u in urls if u.endswith((".js", ".css"))]
    js, css = asset_urls()
    assert assets == [u for _, u in js] + [u for _, u in css]
    for url in assets:
        assert url.startswith("/app/static/")
        assert (STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url
    lowered = page.lower()
    for host in CDN_HOSTS:
        assert host not in lowered, host
    # the only absolute URLs are links (copyright, leafletjs) - nothing fetched
    assert "<script src=\"http" not in page and 'href="http' not in page.replace(
        'href=\\"https://www.openstreetmap.org/copyright', "")


def test_streamlit_folium_links_are_vendored() -> None:
    """streamlit-folium collects each element's default_js/default_css: all vendored."""
    from branca.element import Element

    m = build_map(org=ORG, places=PLACES, actors=ACTORS, basemap="osm")
    m.get_root().render()

    def walk(el: Element):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    links = [u for el in walk(m) for _, u in [*getattr(el, "default_js", []),
                                              *getattr(el, "default_css", [])]]
    assert links and all(u.startswith("/app/static/") for u in links)
    from streamlit_folium import _get_map_string

    script = _get_map_string(m)
    assert "BuurtkaartMap.render(map_div," in script


def test_vendored_licences_kept() -> None:
    for pkg in ("leaflet", "leaflet.markercluster"):
        folder = STATIC_DIR / "vendor" / pkg
        assert list(folder.glob("*LICEN*")), f"no licence file in {folder}"
        meta = json.loads((folder / "package.json").read_text())
        assert meta["name"] == pkg
    assert json.loads((STATIC_DIR / "vendor/leaflet/package.json").read_text())["version"] == \
        "1.9.4"


def test_user_text_is_escaped(page: str) -> None:
    assert XSS not in page
    assert "<img" not in page
    data = page_data(page)
    assert next(r for r in data["places"] if r[6] == "way/2")[3] == html.escape(XSS)
    assert actors_of(data)["actor-2"]["name"] == html.escape(XSS)
    assert data["links"][0][5] == html.escape(XSS)
    assert XSS not in json.dumps(data)  # notes are never sent to the map


def test_org_name_and_area_label_escaped() -> None:
    page = render(org={**ORG, "org_name": XSS, "address": XSS},
                  area={"type": "Polygon", "coordinates": [[[4.3, 50.8], [4.4, 50.8],
                                                            [4.4, 50.9], [4.3, 50.8]]]})
    assert XSS not in page
    data = page_data(page)
    assert data["org"]["name"] == html.escape(XSS)
    assert data["area"]["type"] == "geojson"


def test_max_zoom_and_no_tiles_offline(page: str) -> None:
    options = re.search(r"L\.map\(\s*\"map_\w+\",\s*\{(.*?)\}\s*\);", page, re.S)
    assert options and '"maxZoom": 19' in options.group(1)
    assert "L.tileLayer" not in page
    assert page_data(page)["maxZoom"] == 19


def test_osm_basemap_has_tiles_and_max_zoom() -> None:
    page = render(basemap="osm")
    assert "L.tileLayer" in page and "tile.openstreetmap.org" in page
    assert '"maxZoom": 19' in page


@pytest.mark.parametrize("basemap", ["osm", "offline", "none"])
def test_attribution_always_present(basemap: str) -> None:
    data = page_data(render(basemap=basemap))
    assert "© " in data["attribution"] and "OpenStreetMap contributors" in data["attribution"]


def test_every_marker_carries_its_id(page: str) -> None:
    data = page_data(page)
    place_ids = {row[6] for row in data["places"]}
    # node/1 is already actor-2 (same OSM object): shown as the actor only
    assert place_ids == {"way/2", "Bakkerij@50.855012,4.340123"}
    assert set(actors_of(data)) == {"actor-1", "actor-2", "actor-3"}
    assert data["org"]["id"] == "map-1"


def test_dismissed_places_hidden() -> None:
    data = page_data(render(dismissed={"way/2"}))
    assert [row[6] for row in data["places"]] == ["Bakkerij@50.855012,4.340123"]


@pytest.mark.parametrize("lang", vocab.LANGS)
def test_layer_and_legend_labels_in_language(lang: str) -> None:
    data = page_data(render(lang=lang))
    i = vocab.LANGS.index(lang)
    cat = catalog()
    assert [c["label"] for c in data["categories"]] == [
        html.escape(cat[f"category.{k}"][lang]) for k in sorted({p.category for p in PLACES})]
    roles = {row[0]: row[1] for row in data["vocab"]["roles"]}
    assert roles == {k: html.escape(cat[f"role.{k}"][lang]) for k in vocab.ROLES}
    assert [k[1] for k in data["vocab"]["kinds"]] == [cat[f"kind.{k}"][lang] for k in vocab.KINDS]
    assert [s[1] for s in data["vocab"]["statuses"]] == [
        cat[f"status.{k}"][lang] for k in vocab.STATUSES]
    assert data["vocab"]["leanings"][2][1] == html.escape(cat["leaning.opponent"][lang])
    assert [s[0] for s in data["vocab"]["strengths"]] == [
        cat[f"strength.{k}"][lang] for k in vocab.STRENGTHS]
    assert data["text"]["legend"] == ["Legende", "Légende", "Legend"][i]


def test_bilingual_names_in_rows(page: str) -> None:
    row = next(r for r in page_data(page)["places"] if r[6] == "way/2")
    assert row[4] == row[5] == ""  # no name:nl / name:fr
    school = place("node/9", "De Knipoog - Le Clin", "school", 50.85, 4.33, "De Knipoog",
                   "Le Clin")
    # the name in the map's language first, the other language beside it
    data = page_data(render(places=[school], actors=[]))
    assert data["places"][0][3:6] == ["De Knipoog", "", "Le Clin"]
    data = page_data(render(places=[school], actors=[], lang="fr"))
    assert data["places"][0][3:6] == ["Le Clin", "De Knipoog", ""]
    data = page_data(render(places=[school], actors=[], lang="en"))
    assert data["places"][0][3:6] == ["De Knipoog - Le Clin", "De Knipoog", "Le Clin"]


def test_actor_styling_rules(page: str) -> None:
    actors = actors_of(page_data(page))
    assert actors["actor-1"]["color"] == ml.ROLE_COLOURS["sleutelfiguur"]
    assert actors["actor-2"]["color"] == ml.ROLE_COLOURS["partner"]
    assert actors["actor-2"]["shape"] == "square" and actors["actor-2"]["formal"] is True
    assert actors["actor-2"]["opponent"] is True and actors["actor-1"]["opponent"] is False
    assert actors["actor-3"]["shape"] == "pill" and actors["actor-3"]["formal"] is False
    # the fields the client draws the relation line from
    assert (actors["actor-2"]["strength"], actors["actor-2"]["status"],
            actors["actor-2"]["leaning"]) == (3, "conflict", "opponent")
    assert (actors["actor-3"]["strength"], actors["actor-3"]["leaning"]) == (0, "neutral")


def test_unknown_role_gets_grey_entry() -> None:
    data = page_data(render(actors=[actor(1, roles=["buurtkoning", "partner"])]))
    decoded = actors_of(data)["actor-1"]
    assert decoded["roles"] == ["buurtkoning", "partner"]
    assert decoded["color"] == ml.NO_ROLE_COLOUR


def test_relation_style_rules() -> None:
    widths = [ml.relation_style({"strength": s})["weight"] for s in range(4)]
    assert widths == sorted(set(widths))
    assert ml.relation_style({"status": "conflict"})["color"] == ml.STATUS_COLOURS["conflict"]
    dashes = {ml.relation_style({"leaning": k})["dash"] for k in ("ally", "neutral", "opponent")}
    assert len(dashes) == 3 and ml.relation_style({"leaning": "ally"})["dash"] == ""


def test_actor_links_switch() -> None:
    assert page_data(render(show_actor_links=True))["showLinks"] is True
    off = page_data(render())
    assert off["showLinks"] is False and len(off["links"]) == 1


def test_highlight_marks_rows() -> None:
    data = page_data(render(highlight={"new": ["way/2"], "changed": ["actor-1"], "gone": []}))
    assert next(r for r in data["places"] if r[6] == "way/2")[8] == "new"
    assert actors_of(data)["actor-1"]["hl"] == "changed"


def test_bad_arguments_raise_input_error() -> None:
    with pytest.raises(InputError, match="basemap 'satellite'"):
        build_map(org=ORG, places=[], actors=[], basemap="satellite")
    with pytest.raises(InputError, match="language 'de'"):
        build_map(org=ORG, places=[], actors=[], lang="de")
    with pytest.raises(InputError, match="neither a circle nor a GeoJSON"):
        build_map(org=ORG, places=[], actors=[], area={"kind": "polygon", "geometry": None})


def test_empty_map_still_renders() -> None:
    data = page_data(map_html(build_map(org=None, places=[], actors=[], basemap="none")))
    assert data["places"] == [] and data["actors"] == [] and data["org"] is None


def test_emitted_coordinates_are_the_6_decimal_click_keys(page: str) -> None:
    # the app maps streamlit-folium's clicked latlng back through these rounded values
    data = page_data(page)
    places = {ml.place_key(p): (round(p.lat, 6), round(p.lon, 6)) for p in PLACES}
    for row in data["places"]:
        assert (row[0], row[1]) == places[row[6]]
    actors = {a["id"]: (round(a["lat"], 6), round(a["lon"], 6)) for a in ACTORS
              if a["lat"] is not None}
    for key, a in actors_of(data).items():
        assert (a["lat"], a["lon"]) == actors[key]


def test_inline_html_needs_no_server(tmp_path: Path) -> None:
    page = map_html(build_map(org=ORG, places=PLACES, actors=ACTORS, basemap="none"),
                    inline=True)
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "L.MarkerClusterGroup" in page and "BuurtkaartMap" in page
    assert "url(data:image/png;base64," in page  # leaflet control images inlined
    assert XSS not in page


def test_molenbeek_rows_match_places_within_1km(places_2026: Path,
                                                molenbeek: tuple[float, float]) -> None:
    lat0, lon0 = molenbeek
    places = read_places(places_2026, Area.circle(lat0, lon0, 1000))
    data = page_data(render(places=places, actors=[], org={**ORG, "lat": lat0, "lon": lon0}))
    assert len(data["places"]) == len(places)
    assert 650 < len(places) < 850  # README: about 760

    def dist(lat: float, lon: float) -> float:
        r = 6_371_000
        dlat, dlon = math.radians(lat - lat0), math.radians(lon - lon0)
        a = (math.sin(dlat / 2) ** 2
             + math.cos(math.radians(lat0)) * math.cos(math.radians(lat)) * math.sin(dlon / 2) ** 2)
        return 2 * r * math.asin(math.sqrt(a))

    assert max(dist(r[0], r[1]) for r in data["places"]) <= 1001
