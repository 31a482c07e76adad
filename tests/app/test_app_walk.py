"""AppTest: walking areas in the app (setup area type, map layer, sidebar filter)."""

from __future__ import annotations

import shutil
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import logged_in
from support.apptest import run_ok as _run
from support.fixtures_app import APP_SCRIPT, switch_to

from buurtkaart.auth import accounts
from buurtkaart.core.area import Area
from buurtkaart.core.geo import distance_m
from buurtkaart.demo import ensure_demo_store
from buurtkaart.geocode import geocode
from buurtkaart.i18n import t, tn
from buurtkaart.places import read_places
from buurtkaart.store import open_store
from buurtkaart.walk import walking_areas, within

APP = str(APP_SCRIPT)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("walk_seed") / "demo.db"
    map_id = ensure_demo_store(str(path))
    store = open_store(str(path))
    accounts.add_user(store, "wandelaar", None, map_id=map_id, role="editor")
    store.close()  # checkpoint: the copies below hold the account
    return path, map_id


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BUURTKAART_OSM_FILE", raising=False)
    return tmp_path


def _app(user: str = "wandelaar") -> AppTest:
    return logged_in(user)


def _db(seeded: tuple[Path, str], env: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copy = env / "store.db"
    shutil.copy(seeded[0], copy)
    monkeypatch.setenv("BUURTKAART_DB", str(copy))
    return str(copy)


def test_setup_with_a_slow_ten_minute_walking_area(env: Path, demo_pbf: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(env / "empty.db")
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_DEMO", "0")
    address = "Pohjoisesplanadi"  # street level: the pin lies on the street the walk starts from
    at = _run(_app("setup-user"))
    switch_to(at, "instellingen")
    _run(at)
    at.text_input(key="setup_name").input("Wandelkaart")
    at.text_input(key="setup_org").input("Huis")
    at.text_input(key="setup_address").input(address)
    at.button(key="setup_geocode").click()
    _run(at)
    at.radio(key="setup_area_kind").set_value("walk")
    _run(at)
    assert t("setup.area_walk", "nl") == at.radio(key="setup_area_kind").format_func("walk")
    at.select_slider(key="setup_walk_minutes").set_value(10)
    at.radio(key="setup_walk_speed").set_value("slow")
    _run(at)
    at.button(key="setup_create").click()
    _run(at)
    found = geocode(address, osm_file=demo_pbf)
    (the_map,) = open_store(url).list_maps()
    assert the_map["area"]["kind"] == "walk"
    walk = walking_areas(found.lat, found.lon, (10,), osm_file=demo_pbf, speed_kmh=3.0)[0]
    area = Area.from_dict(the_map["area"])
    assert area.geometry.symmetric_difference(walk.geometry).area < 1e-9
    expected = read_places(demo_pbf, area=walk.to_area("nl"))
    (imp,) = open_store(url).list_imports(the_map["id"])
    assert imp["place_count"] == len(expected) > 0
    # Slow pace: 10 minutes at 3 km/h is 500 m of street; nothing lies farther as the crow flies.
    assert all(distance_m(found.lat, found.lon, p.lat, p.lon) <= 500 + walk.buffer_m + 1
               for p in expected)
    # A circle of the same reach holds more places: the walking area follows the streets.
    assert len(read_places(demo_pbf, area=Area.circle(found.lat, found.lon, 530))) > len(expected)


def test_walking_filter_keeps_the_actors_within_n_minutes(
        seeded: tuple[Path, str], env: Path, monkeypatch: pytest.MonkeyPatch,
        demo_pbf: Path) -> None:
    url = _db(seeded, env, monkeypatch)
    the_map = open_store(url).get_map(seeded[1])
    actors = open_store(url).list_actors(seeded[1])
    at = _run(_app())
    switch_to(at, "actoren")
    _run(at)
    assert t("actors.count", "nl", shown=len(actors),
             total=tn("count.actors", "nl", len(actors))) in [
        c.value for c in at.main.caption]
    at.selectbox(key="_w_flt_walk_nl").set_value(5)
    _run(at)
    five = walking_areas(the_map["lat"], the_map["lon"], (5,), osm_file=demo_pbf)[0]
    inside = within(five, actors)
    assert 0 < len(inside) < len(actors)
    assert all(distance_m(the_map["lat"], the_map["lon"], a["lat"], a["lon"])
               <= five.reach_m + five.buffer_m + 1 for a in inside)
    captions = [c.value for c in at.main.caption]
    assert t("actors.count", "nl", shown=len(inside),
             total=tn("count.actors", "nl", len(actors))) in captions
    # The choice is sticky: it survives a language switch.
    at.session_state["lang"] = "fr"
    _run(at)
    assert at.selectbox(key="_w_flt_walk_fr").value == 5


def test_walking_layer_on_the_map(seeded: tuple[Path, str], env: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _db(seeded, env, monkeypatch)
    at = _run(_app())
    toggle = at.toggle(key="_w_show_walk_nl")
    assert toggle.label == t("map.walk_layer", "nl") and not toggle.value
    toggle.set_value(True)
    _run(at)
    assert at.session_state["show_walk"] is True
    failed = t("map.walk_failed", "nl", error="")
    assert not [w.value for w in at.warning if w.value.startswith(failed)]
    legend = t("map.walk_legend", "nl", labels="5 / 10 / 15 min", speed="4,5")
    assert legend in [c.value for c in at.main.caption]
    toggle = at.toggle(key="_w_show_walk_nl")
    toggle.set_value(False)
    _run(at)
    assert legend not in [c.value for c in at.main.caption]


def test_walking_layer_draws_one_polygon_per_minute_value(demo_pbf: Path) -> None:
    from buurtkaart.app import walking

    lat, lon = 60.1675, 24.9500
    areas = walking_areas(lat, lon, (5, 10, 15), osm_file=demo_pbf)
    fmap = folium.Map(location=(lat, lon))
    walking.add_layer(fmap, areas, "nl")
    folium.LayerControl().add_to(fmap)  # each area is a named layer
    html = fmap.get_root().render()
    for minutes in (5, 10, 15):
        assert f"{minutes} min wandelen" in html
    assert html.count("L.geoJson(") == 3
    assert html.count('"interactive": false') == 3  # a click inside stays a map click
