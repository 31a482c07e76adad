"""The live map across two app replicas behind nginx on one PostgreSQL (two Chromium sessions).

nginx (Debian's, started here on loopback with a generated config, see
``support/balancer.py`` and docs/deploy.md) sticks each browser to one replica
by cookie. Amina works through replica A, Youssef through replica B:

- presence: each sees the other in the sidebar, with initials and page;
- an actor Amina adds appears on Youssef's map within 3 s, without a reload,
  with a toast naming who changed what, and Youssef's zoom is kept;
- with both on the same actor, Amina's panel says "youssef bewerkt deze actor ook";
- both then save a different note: Amina's save (replica A) wins, Youssef's (replica B)
  gets the conflict panel with both notes, and nothing is overwritten silently.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.pg, pytest.mark.e2e]

#: Seconds within which a colleague's edit must show (issue 15), on a machine that is not
#: overloaded; the bound grows with the load per core (a shared CI host), see live_bound().
LIVE_S = 3.0


def live_bound() -> float:
    """Return :data:`LIVE_S` times the load per core when that is above 1 (else LIVE_S)."""
    per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
    return LIVE_S * max(1.0, per_core)


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory,
             pg_server: Any) -> Iterator[dict[str, Any]]:
    from support.balancer import NGINX, start_balancer
    from support.fixtures_app import seed_accounts, start_app

    from buurtkaart.store import open_store

    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: .ci/run installs nginx-light")
    url = pg_server.create_database()
    store = open_store(url)
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw De Brug",
                               lat=50.8552, lon=4.3387)
    actor = store.add_actor("setup", the_map["id"], name="Jeugdhuis De Klup",
                            roles=["partner"], lat=50.8561, lon=4.3395)
    store.close()
    seed_accounts(url, the_map["id"], ("Amina", "Youssef"))
    env = {"BUURTKAART_DB": url, "BUURTKAART_SINGLE_USER": "0", "BUURTKAART_BASEMAP": "none"}
    apps: list[Any] = []
    balancer = None
    try:
        for name in ("a", "b"):
            apps.append(start_app(tmp_path_factory.mktemp(f"replica_{name}"), env=env))
        upstreams = [a.url.removeprefix("http://") for a in apps]
        balancer = start_balancer(tmp_path_factory.mktemp("nginx"), upstreams)
        yield {"lb": balancer, "apps": apps, "url": url, "map": the_map["id"],
               "actor": actor["id"], "sticky": balancer.stickies()}
    finally:
        if balancer is not None:
            balancer.stop()
        for app in apps:
            app.stop()


def _open(page_factory: Any, world: dict[str, Any], replica: int, user: str) -> Any:
    from support.fixtures_app import login, wait_for_markers

    from buurtkaart.i18n import t

    page = page_factory()
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _payload: sent.append(
        time.monotonic())))
    _FRAMES[id(page)] = sent
    sticky = world["sticky"][world["lb"].upstreams[replica]]
    page.context.add_cookies([{"name": "bk_sticky", "value": sticky,
                               "url": world["lb"].url}])
    page.goto(world["lb"].url)
    # a replica's first session imports the map stack: slow on a loaded machine
    page.get_by_label(t("login.name", "nl")).wait_for(timeout=120_000)
    login(page, user)
    wait_for_markers(page)
    return page


#: Per page: when the browser sent a websocket message to its replica (a run request).
_FRAMES: dict[int, list[float]] = {}


def _idle_traffic(page: Any, seconds: float) -> tuple[int, list[tuple[int, str]]]:
    """Return (websocket messages sent, live endpoint answers) of an idle page."""
    answers: list[tuple[int, str]] = []

    def on_response(response: Any) -> None:
        if "/_bk/live" in response.url:
            answers.append((response.status, response.text()))

    page.on("response", on_response)
    start = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    page.remove_listener("response", on_response)
    return sum(1 for t in _FRAMES[id(page)] if t >= start), answers


def _sidebar(page: Any) -> str:
    return str(page.locator('[data-testid="stSidebar"]').inner_text())


def _actor_count(page: Any) -> int:
    from support.fixtures_app import map_frame

    try:
        return int(map_frame(page).locator(".bk-a-icon").count())
    except Exception:  # the map is being drawn again
        return -1


def _open_first_actor(page: Any) -> None:
    """Click the first actor until its panel shows (a click during a redraw can be lost)."""
    from support.fixtures_app import main_area, map_frame

    from buurtkaart.i18n import t

    form = main_area(page).locator('[data-testid="stForm"]').filter(
        has_text=t("edit.title", "nl")).first
    for attempt in range(3):
        try:
            map_frame(page).locator(".bk-a-icon").first.click(timeout=30_000)
            form.wait_for(timeout=30_000)
            return
        except Exception:  # the map was being drawn again: click once more
            if attempt == 2:
                raise


@pytest.mark.timeout(900)  # two replicas, nginx and two browsers on a shared host
def test_two_replicas_share_a_live_map(replicas: dict[str, Any], page_factory: Any) -> None:
    from support.fixtures_app import main_area, map_frame, poll_page, screenshot

    from buurtkaart.i18n import t
    from buurtkaart.store import open_store

    amina = _open(page_factory, replicas, 0, "Amina")
    youssef = _open(page_factory, replicas, 1, "Youssef")
    served = {replicas["lb"].replica_of(c["value"]) for p in (amina, youssef)
              for c in p.context.cookies() if c["name"] == "bk_sticky"}
    assert served == set(replicas["lb"].upstreams), "each browser on its own replica"

    # presence: both see each other, with initials and page
    assert poll_page(amina, lambda: "YO" in _sidebar(amina) and "Youssef" in _sidebar(amina))
    assert poll_page(youssef, lambda: "AM" in _sidebar(youssef) and "Amina" in _sidebar(youssef))
    assert "Kaart" in _sidebar(amina)

    # an idle page asks the live endpoint about once a second, not its fragment
    runs, answers = _idle_traffic(youssef, 6.0)
    assert len(answers) >= 3 and all(status == 200 for status, _ in answers), answers
    assert set(json.loads(answers[-1][1])) == {"seq", "here"}
    assert runs <= 2, f"an idle page asked for {runs} runs in 6 s (a heartbeat every 10 s)"

    # Youssef zooms in; a reload would lose this marker (and the view)
    youssef.evaluate("window.__bk_no_reload = 1")
    frame = youssef.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    frame.locator(".leaflet-container").first.evaluate("() => { window.map.setZoom(18); }")
    youssef.wait_for_timeout(800)  # moveend saves the view
    # ... and opens an actor's popup; a new map frame would lose both marks
    frame.locator(".leaflet-container").first.evaluate(
        "() => { window.__bk_frame = 1;"
        " Object.values(window.map._bk.actors)[0].marker.openPopup(); }")
    before = _actor_count(youssef)
    assert before >= 1

    # an actor added by Amina (replica A) shows on Youssef's map (replica B)
    store = open_store(replicas["url"])
    try:
        start = time.monotonic()
        store.add_actor("Amina", replicas["map"], name="Moskee Al-Khalil", roles=["partner"],
                        lat=50.8556, lon=4.3390)
    finally:
        store.close()
    toast = t("live.toast.insert", "nl", user="Amina", what="Moskee Al-Khalil")
    toasted: list[bool] = []

    def arrived() -> bool:
        if youssef.get_by_text(toast).count():
            toasted.append(True)
        return _actor_count(youssef) > before

    shown = poll_page(youssef, arrived, timeout=LIVE_S + 60)
    latency = time.monotonic() - start
    assert shown, "the new actor never appeared"
    bound = live_bound()
    print(f"live latency {latency:.2f} s (bound {bound:.1f} s, load {os.getloadavg()[0]:.1f})")
    assert latency < bound, f"the new actor appeared after {latency:.1f} s (bound {bound:.1f})"
    assert toasted or poll_page(youssef, lambda: youssef.get_by_text(toast).count() > 0,
                                timeout=10), "no toast named who changed what"
    assert youssef.evaluate("window.__bk_no_reload") == 1, "the page was reloaded"
    kept = map_frame(youssef).locator(".leaflet-container").first.evaluate(
        "() => [window.__bk_frame, document.querySelectorAll('.leaflet-popup').length]")
    assert kept == [1, 1], f"the map frame was drawn again (frame mark, open popups: {kept})"
    zoom = poll_page(youssef, lambda: map_frame(youssef).locator(".leaflet-container").first
                     .evaluate("() => window.map && window.map.getZoom()"), timeout=10)
    assert zoom == 18, f"the zoom was not kept: {zoom}"
    screenshot(youssef, "live-new-actor")

    # both open the same actor: Amina is told that Youssef edits it too
    map_frame(youssef).locator(".leaflet-container").first.evaluate(
        "() => { window.map.setZoom(16); }")
    for page in (youssef, amina):
        _open_first_actor(page)
    warn = t("live.co_editing_one", "nl", name="Youssef")
    assert poll_page(amina, lambda: warn in main_area(amina).inner_text(), timeout=40)
    screenshot(amina, "live-co-editing")
    Path(replicas["lb"].tmp / "latency.txt").write_text(f"{latency:.2f}\n", encoding="utf-8")
    _conflicting_saves(amina, youssef, replicas)


AMINA_NOTE, YOUSSEF_NOTE = "Amina: bel terug in januari", "Youssef: wil mee in de werkgroep"


def _conflicting_saves(amina: Any, youssef: Any, replicas: dict[str, Any]) -> None:
    """Both save the open actor through their own replica: the second gets the conflict."""
    from support.fixtures_app import main_area, screenshot

    from buurtkaart.i18n import t
    from buurtkaart.store import open_store

    forms = [main_area(p).locator('[data-testid="stForm"]').filter(
        has_text=t("edit.title", "nl")).first for p in (amina, youssef)]
    for form, note in zip(forms, (AMINA_NOTE, YOUSSEF_NOTE), strict=True):
        form.get_by_label(t("field.notes", "nl")).fill(note)
    name = main_area(amina).locator("h3").first.inner_text()
    forms[0].get_by_role("button", name=t("edit.save", "nl")).click()
    main_area(amina).get_by_text(t("edit.saved", "nl", name=name)).wait_for(timeout=30_000)
    forms[1].get_by_role("button", name=t("edit.save", "nl")).click()
    main_y = main_area(youssef)
    main_y.get_by_text(t("edit.mine", "nl", value=YOUSSEF_NOTE)).wait_for(timeout=30_000)
    text = main_y.inner_text()
    assert "Conflict" in text and AMINA_NOTE in text and YOUSSEF_NOTE in text, text
    screenshot(youssef, "live-conflict")
    store = open_store(replicas["url"])
    try:
        stored = next(a for a in store.list_actors(replicas["map"]) if a["name"] == name)
    finally:
        store.close()
    assert stored["notes"] == AMINA_NOTE, "reported, not overwritten"
