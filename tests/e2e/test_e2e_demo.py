"""End to end on the demo map: a live ``streamlit run`` driven by headless Chromium."""

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
    map_frame,
    poll,
    poll_page,
    screenshot,
    seed_accounts,
    shown_osm_id,
    start_app,
    wait_for_markers,
)

from buurtkaart.demo import ensure_demo_store
from buurtkaart.i18n import t
from buurtkaart.store import open_store

pytestmark = pytest.mark.e2e
#: Accounts of the demo store (editors), and the viewer used to look without editing.
EDITORS = ("Eva", "Omar", "Anna", "Bert", "Ilse", "Nadia")


OSM_TILE_HOST = "tile.openstreetmap.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    tmp = tmp_path_factory.mktemp("e2e_demo")
    map_id = ensure_demo_store(str(tmp / "store.db"))
    seed_accounts(str(tmp / "store.db"), map_id, EDITORS)
    app = start_app(tmp)
    yield app, map_id
    app.stop()


def _open(page_factory: Any, server: AppServer, user: str | None) -> Any:
    page = page_factory()
    page.goto(server.url + "/?taal=nl")  # the URL's language wins over a remembered one
    login(page, user or VIEWER)
    wait_for_markers(page)
    return page


def _only_tiles_left_localhost(page: Any) -> None:
    hosts = {urlparse(u).hostname for u in page.external}
    assert hosts <= {OSM_TILE_HOST}, f"requests left localhost: {sorted(page.external)[:5]}"


def test_map_renders_markers_and_clusters(server: tuple[AppServer, str], page_factory: Any,
                                          ) -> None:
    app, map_id = server
    page = _open(page_factory, app, None)
    frame = wait_for_markers(page)
    actors = open_store(app.db).list_actors(map_id)
    assert frame.locator(".bk-org-icon").count() == 1
    assert frame.locator(".marker-cluster").count() > 0
    # Every actor of the demo has a location: each gets its own (unclustered) marker.
    assert frame.locator(".bk-a-icon").count() == len(actors)
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors" in attribution
    assert "DEMO" in main_area(page).inner_text()
    screenshot(page, "e2e-demo-map")
    _only_tiles_left_localhost(page)


def test_accept_candidate_as_sleutelfiguur_persists(server: tuple[AppServer, str],
                                                    page_factory: Any) -> None:
    app, map_id = server
    page = _open(page_factory, app, "Eva")
    frame = wait_for_markers(page)
    first_clickable(frame.locator(".bk-p-icon")).click()
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("place.accept", "nl"))
    form.wait_for(timeout=30_000)
    osm_id = shown_osm_id(main.inner_text())
    assert osm_id is not None, main.inner_text()[:400]
    form.locator('input[role="combobox"]').click()
    page.keyboard.type("Sleutelfiguur")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    form.get_by_role("button", name=t("place.accept", "nl")).click()

    def accepted() -> list[dict]:
        return [a for a in open_store(app.db).list_actors(map_id) if a["osm_id"] == osm_id]

    actors = poll(accepted)
    assert actors, f"{osm_id} was not accepted"
    assert actors[0]["roles"] == ["sleutelfiguur"] and actors[0]["created_by"] == "Eva"
    main.get_by_text(t("place.accepted", "nl", name="")[1:].strip(), exact=False).first.wait_for(
        timeout=30_000)
    # The panel now shows the new actor's edit form, and the map shows it as an actor.
    main.locator('[data-testid="stForm"]').filter(has_text=t("edit.title", "nl")).wait_for(
        timeout=30_000)
    n_actors = len(open_store(app.db).list_actors(map_id))
    assert poll_page(page, lambda: wait_for_markers(page).locator(".bk-a-icon").count()
                     == n_actors)
    screenshot(page, "e2e-demo-accepted")


def test_click_on_map_adds_informal_actor(server: tuple[AppServer, str],
                                          page_factory: Any) -> None:
    app, map_id = server
    page = _open(page_factory, app, "Omar")
    click_empty_map(wait_for_markers(page))
    main = main_area(page)
    main.get_by_text(t("informal.title", "nl")).wait_for(timeout=30_000)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("informal.add", "nl"))
    form.get_by_label(t("field.name", "nl")).fill("Groentekraam op de hoek")
    form.get_by_role("button", name=t("informal.add", "nl")).click()

    def added() -> list[dict]:
        return [a for a in open_store(app.db).list_actors(map_id)
                if a["name"] == "Groentekraam op de hoek"]

    actors = poll(added)
    assert actors and actors[0]["formal"] is False and actors[0]["created_by"] == "Omar"
    assert actors[0]["kind"] == "person" and actors[0]["location_precision"] == "coarse"
    frame = wait_for_markers(page)
    n_actors = len(open_store(app.db).list_actors(map_id))
    assert poll(lambda: frame.locator(".bk-a-icon").count() == n_actors, timeout=20)
    screenshot(page, "e2e-demo-informal")


def _open_actor_form(page: Any, index: int) -> Any:
    frame = wait_for_markers(page)
    frame.locator(".bk-a-icon").nth(index).click()
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("edit.title", "nl"))
    form.wait_for(timeout=30_000)
    return form


def test_conflicting_edit_from_second_session_is_shown(server: tuple[AppServer, str],
                                                       page_factory: Any) -> None:
    app, _ = server
    first, second = _open(page_factory, app, "Anna"), _open(page_factory, app, "Bert")
    index = first_clickable(wait_for_markers(first).locator(".bk-a-icon"))
    position = index.evaluate("(el) => [...el.parentNode.children].indexOf(el)")
    icons = wait_for_markers(first).locator(".bk-a-icon")
    n = next(i for i in range(icons.count())
             if icons.nth(i).evaluate("(el) => [...el.parentNode.children].indexOf(el)")
             == position)
    form_a, form_b = _open_actor_form(first, n), _open_actor_form(second, n)
    name = main_area(first).locator("h3").first.inner_text()
    form_a.get_by_label(t("field.notes", "nl")).fill("Anna: bel terug in januari")
    form_b.get_by_label(t("field.notes", "nl")).fill("Bert: wil mee in de werkgroep")
    form_a.get_by_role("button", name=t("edit.save", "nl")).click()
    main_area(first).get_by_text(t("edit.saved", "nl", name=name)).wait_for(timeout=30_000)
    form_b.get_by_role("button", name=t("edit.save", "nl")).click()
    main_b = main_area(second)
    main_b.get_by_text("Conflict").first.wait_for(timeout=30_000)
    # the chooser's fields render after its heading (a live redraw may be running)
    main_b.get_by_text(t("edit.mine", "nl", value="Bert: wil mee in de werkgroep")).wait_for(
        timeout=30_000)
    text = main_b.inner_text()
    assert "Anna: bel terug in januari" in text and "Bert: wil mee in de werkgroep" in text, text
    actor = next(a for a in open_store(app.db).list_actors(server[1]) if a["name"] == name)
    assert actor["notes"] == "Anna: bel terug in januari"  # nothing overwritten silently
    screenshot(second, "e2e-demo-conflict")
    main_b.get_by_text(t("edit.mine", "nl", value="Bert: wil mee in de werkgroep")).click()
    main_b.get_by_role("button", name=t("edit.resolve", "nl")).click()
    assert poll(lambda: open_store(app.db).get_actor(actor["id"])["notes"]
                == "Bert: wil mee in de werkgroep")


def test_language_switch(server: tuple[AppServer, str], page_factory: Any) -> None:
    app, _ = server
    page = _open(page_factory, app, None)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Français").click()
    sidebar.get_by_text(t("nav.instellingen", "fr")).wait_for(timeout=30_000)
    assert sidebar.get_by_text(t("nav.kaart", "fr"), exact=True).count() >= 1
    frame = wait_for_markers(page)
    assert poll(lambda: "Légende" in frame.locator("body").inner_text(), timeout=20)
    assert t("demo.banner", "fr")[:20] in main_area(page).inner_text()
    screenshot(page, "e2e-demo-french")


def test_offline_basemap_sends_nothing_outside(server: tuple[AppServer, str],
                                               page_factory: Any) -> None:
    app, _ = server
    page = _open(page_factory, app, None)
    choose_basemap(page, "offline")
    frame = wait_for_markers(page)
    assert poll(lambda: frame.locator(".leaflet-tile").count() == 0, timeout=30)
    page.external.clear()
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(1500)
    assert page.external == []
    screenshot(page, "e2e-demo-offline")


def test_screenshots_were_written() -> None:
    from support.fixtures_app import ARTIFACTS

    assert Path(ARTIFACTS / "e2e-demo-map.png").stat().st_size > 10_000


def _app_rerun(payload: bytes | str) -> bool:
    """True for a frame asking the whole app to run again (not a live fragment's own run)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    if isinstance(payload, str):
        return True
    msg = BackMsg()
    msg.ParseFromString(payload)
    return msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.fragment_id


def test_panning_and_zooming_do_not_rerun_the_app(server: tuple[AppServer, str],
                                                  page_factory: Any) -> None:
    app, _ = server
    page = page_factory()
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: sent.append("x") if _app_rerun(payload) else None))
    page.goto(app.url + "/?taal=nl")
    login(page, VIEWER)
    frame = wait_for_markers(page)
    page.wait_for_timeout(1500)  # the component's first value has been sent
    before = len(sent)
    assert before > 0, "the websocket listener saw no frame"
    box = frame.locator(".leaflet-container").first.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.85
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 80, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-out").click()
    page.wait_for_timeout(1500)
    assert len(sent) == before, "panning or zooming sent a rerun request to the server"
    # Positive control: a click on a marker does reach the server.
    first_clickable(frame.locator(".bk-a-icon")).click()
    for _ in range(20):  # wait_for_timeout lets Playwright deliver the frame events
        if len(sent) > before:
            break
        page.wait_for_timeout(500)
    assert len(sent) > before, "a click on a marker did not reach the server"


def test_setup_wizard_in_the_browser(server: tuple[AppServer, str], page_factory: Any) -> None:
    app, _ = server
    page = page_factory()
    page.goto(app.url + "/instellingen")
    login(page, "Nadia")
    main = main_area(page)
    form = main.locator('[data-testid="stForm"]').filter(has_text=t("setup.geocode", "nl"))
    form.get_by_label(t("setup.map_name", "nl")).fill("Nieuwe kaart")
    form.get_by_label(t("setup.org_name", "nl")).fill("Wijkhuis Annankatu")
    form.get_by_label(t("setup.address", "nl")).fill("Annankatu 10")
    form.get_by_role("button", name=t("setup.geocode", "nl")).click()
    frame = map_frame(page)
    frame.locator(".bk-org-icon").wait_for(timeout=30_000)
    lat_input = main.get_by_label(t("meeting.lat", "nl"))
    before = float(lat_input.input_value())
    click_empty_map(frame)  # move the point
    assert poll_page(page, lambda: float(lat_input.input_value()) != before)
    main.get_by_text(t("setup.moved", "nl", point="", m="").split("(")[0]).wait_for(
        timeout=30_000)  # the corrected point in words, not the typed address
    main.get_by_role("button", name=t("setup.create", "nl")).click()
    the_map = poll(lambda: next((m for m in open_store(app.db).list_maps()
                                 if m["name"] == "Nieuwe kaart"), None), timeout=60)
    assert the_map is not None and the_map["created_by"] == "Nadia"
    assert the_map["lat"] != pytest.approx(before, abs=1e-7)
    assert the_map["address"] == f"{the_map['lat']:.6f}, {the_map['lon']:.6f}"  # as moved
    imports = poll(lambda: open_store(app.db).list_imports(the_map["id"]), timeout=60)
    assert imports and imports[0]["place_count"] > 0
    done = main.locator('[data-testid="stAlert"]').filter(has_text="Nieuwe kaart")
    done.wait_for(timeout=30_000)
    _only_tiles_left_localhost(page)
    screenshot(page, "e2e-demo-setup-done")
    # The new map is now the session's map: the Kaart page shows it.
    page.get_by_role("link", name=t("nav.kaart", "nl"), exact=True).click()
    main_area(page).get_by_text("Wijkhuis Annankatu").first.wait_for(timeout=30_000)
    wait_for_markers(page)
    screenshot(page, "e2e-demo-setup")


def test_every_page_opens_without_error_or_outside_request(server: tuple[AppServer, str],
                                                           page_factory: Any) -> None:
    from buurtkaart.app.frame import PAGES

    app, _ = server
    page = page_factory()
    page.goto(app.url + "/?taal=nl")
    login(page, VIEWER)
    wait_for_markers(page)
    expected = {"nav.actoren": t("links.title", "nl"), "nav.instellingen": t("setup.title", "nl")}
    for _, key, url, _ in PAGES[1:]:
        page.get_by_role("link", name=t(key, "nl"), exact=True).click()
        page.wait_for_url(lambda u, url=url: urlparse(u).path.endswith("/" + url), timeout=30_000)
        text = expected.get(key, t(key, "nl"))
        main_area(page).get_by_text(text).first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0, url
    _only_tiles_left_localhost(page)


def test_the_same_marker_opens_again_after_a_click_elsewhere(server: tuple[AppServer, str],
                                                             page_factory: Any) -> None:
    app, _ = server
    page = _open(page_factory, app, "Ilse")
    frame = wait_for_markers(page)
    main = main_area(page)
    marker = first_clickable(frame.locator(".bk-a-icon"))
    marker.click()
    main.locator('[data-testid="stForm"]').filter(has_text=t("edit.title", "nl")).wait_for(
        timeout=30_000)
    name = main.locator("h3").first.inner_text()
    click_empty_map(wait_for_markers(page))
    main.get_by_text(t("informal.title", "nl")).wait_for(timeout=30_000)
    first_clickable(wait_for_markers(page).locator(".bk-a-icon")).click()
    main.locator("h3").filter(has_text=name).wait_for(timeout=30_000)
