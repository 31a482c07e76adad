"""The map inside streamlit-folium's iframe, served by a live ``streamlit run``.

Proves that the component loads only the vendored assets from Streamlit's static
serving (no request leaves localhost) and that a marker click maps back to its id
through the app's click index (:func:`buurtkaart.views.filters.build_index`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buurtkaart.views.map_assets import STATIC_DIR

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

APP = '''
import streamlit as st
from streamlit_folium import st_folium
from buurtkaart.core.place import Place
from buurtkaart.views.filters import build_index, resolve_click
from buurtkaart.views.mapview import build_map

ORG = {"id": "map-1", "org_name": "Buurthuis", "lat": 50.8552, "lon": 4.3387}
PLACES = [Place(f"node/{i}", f"Plek {i}", None, None, "school", 50.858 + (i // 8) / 4000,
                4.333 + (i % 8) / 2500, {}, "test") for i in range(40)]
ACTORS = [{"id": "actor-7", "name": "Fatima", "kind": "person", "formal": False,
           "roles": ["sleutelfiguur"], "strength": 3, "status": "cooperating",
           "leaning": "ally", "lat": 50.8531234, "lon": 4.3438765}]
m = build_map(org=ORG, places=PLACES, actors=ACTORS, basemap="none")
ret = st_folium(m, key="kaart", height=560, width=700,
                returned_objects=["last_object_clicked", "last_object_clicked_tooltip"])
hit = resolve_click((ret or {}).get("last_object_clicked"), build_index(PLACES, ACTORS, ORG))
st.write(f"HIT={hit[1] if hit else None}")
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def streamlit_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("st_app")
    (folder / "app.py").write_text(APP)
    (folder / "static").symlink_to(STATIC_DIR)  # static serving: next to the main script
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(STATIC_DIR.parents[2])}  # the checkout
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_map_in_streamlit_iframe_offline(streamlit_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    # ``browser`` is the session-wide Chromium from tests/support/fixtures_app.py.
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(streamlit_url)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator(".bk-a-icon").first.wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        places = frame.locator(".marker-cluster").count() + frame.locator(".bk-p-icon").count()
        assert places > 0
        assert frame.locator(".bk-org-icon").count() == 1
        assert "OpenStreetMap contributors" in frame.locator(
            ".leaflet-control-attribution").inner_text()
        box = frame.locator(".bk-a-icon").first.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.get_by_text("HIT=actor-7").wait_for(timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "offline_map_streamlit.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "offline_map_streamlit_failure.png"))
        raise
    finally:
        context.close()
    assert blocked == [], f"requests left localhost: {blocked[:5]}"
