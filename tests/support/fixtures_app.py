"""App fixtures: a live ``streamlit run`` on a free port, headless Chromium pages.

``start_app(tmp, env)`` starts one server (one per test module: use it in a
module-scoped fixture) with its own store and environment, and stops it
afterwards. ``browser`` is a session-wide Playwright Chromium (Debian's
``/usr/bin/chromium``); ``new_page(browser)`` opens a page in a fresh context
whose every non-loopback request is aborted and recorded in ``page.external``.
A failing test leaves a screenshot of each open page in ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from buurtkaart import settings

ROOT = settings.PROJECT_ROOT
#: The Streamlit entry script of the app (inside the package, next to its static/).
APP_SCRIPT = ROOT / "buurtkaart" / "app" / "main.py"
#: What a live test server runs: the same ``st.App`` as ``buurtkaart app`` (asgi.py).
SERVER_SCRIPT = APP_SCRIPT.with_name("asgi.py")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    """Return a TCP port free on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    """A running ``streamlit run buurtkaart/app/main.py``."""

    url: str
    db: str
    proc: subprocess.Popen
    log: Path
    pages: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        """Terminate the server (kill after 2 s).

        Streamlit's graceful stop waits about 4 s while a browser session is
        open; the test is over and every write is committed, so 2 s is enough.
        """
        self.proc.terminate()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def start_app(tmp: Path, env: dict[str, str] | None = None, timeout: float = 60) -> AppServer:
    """Start the app on a free port with a store in ``tmp``; wait until it is healthy."""
    port = free_port()
    db = str(tmp / "store.db")
    run_env = {**os.environ, "BUURTKAART_DB": db, "BUURTKAART_CACHE_DIR": str(tmp / "cache"),
               "BUURTKAART_SINGLE_USER": "0", **(env or {})}
    log = tmp / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(SERVER_SCRIPT),
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--global.developmentMode", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=run_env, stdout=out, stderr=subprocess.STDOUT)
    server = AppServer(url=f"http://127.0.0.1:{port}", db=db, proc=proc, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    msg = f"streamlit did not start on {server.url}: {log.read_text(errors='replace')[-3000:]}"
    raise RuntimeError(msg)


def switch_to(at: Any, url_path: str) -> Any:
    """Make the next ``at.run()`` of an AppTest open the page registered at ``url_path``.

    The pages are functions (``st.Page(func, url_path=...)``), so there is no file
    for ``AppTest.switch_page``; Streamlit keys a function page by the hash of its
    url path, which is what this sets. Returns ``at``.
    """
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)
    return at


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (skipped when absent)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)
        yield chromium
        chromium.close()


_OPEN_PAGES: list[Any] = []


def new_page(browser: Any, width: int = 1500, height: int = 1000) -> Any:
    """Open a page in a fresh context; non-loopback requests are aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.external = []

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            page.external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    _OPEN_PAGES.append(page)
    return page


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """Return ``make() -> page``; pages are closed after the test."""
    made: list[Any] = []

    def make() -> Any:
        made.append(new_page(browser))
        return made[-1]

    yield make
    for page in made:
        if page in _OPEN_PAGES:
            _OPEN_PAGES.remove(page)
        page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    """Save a screenshot of every open page when a test fails."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and _OPEN_PAGES:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(_OPEN_PAGES):
            try:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{item.name}-{i}.png"),
                                full_page=True)
            except Exception:  # a closed page cannot be captured; keep the report
                continue


# -- helpers for the end-to-end tests ----------------------------------------------------

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def map_frame(page: Any) -> Any:
    """Return the frame locator of the folium map."""
    return page.frame_locator(MAP_IFRAME).first


def main_area(page: Any) -> Any:
    """Return the main column of the Streamlit page (not the sidebar)."""
    return page.locator('[data-testid="stMain"]')


def wait_for_markers(page: Any, timeout: float = 45_000) -> Any:
    """Wait until the map shows at least one actor or candidate marker; return the frame."""
    frame = map_frame(page)
    frame.locator(".bk-org-icon").first.wait_for(timeout=timeout)
    frame.locator(".bk-a-icon, .bk-p-icon, .marker-cluster").first.wait_for(timeout=timeout)
    return frame


#: The viewer account seeded next to the editors by :func:`seed_accounts`.
VIEWER = "kijker"


def password(name: str) -> str:
    """The test password of a seeded account."""
    return f"{name.lower()}-wachtwoord"


def seed_accounts(db: str, map_id: str, names: tuple[str, ...], viewer: str = VIEWER) -> None:
    """Give every name a local account with role editor on the map (``viewer``: viewer)."""
    from buurtkaart.auth import accounts
    from buurtkaart.store import open_store

    store = open_store(db)
    try:
        for name in names:
            accounts.add_user(store, name, password(name), map_id=map_id, role="editor")
        accounts.add_user(store, viewer, password(viewer), map_id=map_id, role="viewer")
    finally:
        store.close()


def login(page: Any, name: str) -> None:
    """Log in through the app's login form (local accounts) and wait until it is done."""
    from buurtkaart.i18n import t as _t

    page.get_by_label(_t("login.name", "nl")).fill(name)
    page.get_by_label(_t("login.password", "nl")).fill(password(name))
    page.get_by_role("button", name=_t("login.submit", "nl")).click()
    try:
        page.get_by_text(_t("login.logged_in", "nl", user=name)).wait_for(timeout=30_000)
    except Exception as err:  # say what the page shows instead (a refusal, an error)
        msg = f"login as {name} did not finish; the page shows: {page.inner_text('body')[:600]}"
        raise AssertionError(msg) from err


def first_clickable(locator: Any, limit: int = 60) -> Any:
    """Return the first element of ``locator`` that a real click would hit."""
    for i in range(min(locator.count(), limit)):
        item = locator.nth(i)
        try:
            item.click(trial=True, timeout=1_000)
        except Exception:  # covered by another element or off screen: try the next one
            continue
        return item
    msg = f"no clickable element among {locator.count()}"
    raise AssertionError(msg)


EMPTY_SPOT_JS = """
() => {
  const c = document.querySelector('.leaflet-container');
  const r = c.getBoundingClientRect();
  for (let fy = 0.2; fy < 0.85; fy += 0.04) {
    for (let fx = 0.6; fx < 0.92; fx += 0.04) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      const el = document.elementFromPoint(x, y);
      if (!el) continue;
      const ok = el === c || el.classList.contains('leaflet-tile') ||
        el.classList.contains('leaflet-tile-container') || el.tagName === 'CANVAS';
      if (ok) return {x: r.width * fx, y: r.height * fy};
    }
  }
  return null;
}
"""


def click_empty_map(frame: Any) -> None:
    """Click a spot of the map with no marker, line or control on it."""
    container = frame.locator(".leaflet-container").first
    spot = container.evaluate(f"(el) => ({EMPTY_SPOT_JS})()")
    assert spot, "no empty spot found on the map"
    container.click(position=spot)


def poll(func: Any, timeout: float = 30.0, interval: float = 0.3) -> Any:
    """Call ``func`` until it returns something truthy; return it (None on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = func()
        if value:
            return value
        time.sleep(interval)
    return None


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot in ``tests/artifacts/`` (to look at) and return its path.

    When the page shows a map, wait until its markers are drawn (and Streamlit has
    settled), so the picture shows what the user sees, not a map being re-rendered.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)
    if page.locator(MAP_IFRAME).count():
        # Any drawn marker will do: a zoomed-in view (presentation mode) may not show
        # the organisation itself.
        map_frame(page).locator(":is(.bk-org-icon, .bk-a-icon, .bk-p-icon, .marker-cluster)"
                                ":visible").first.wait_for(timeout=45_000)
        page.wait_for_timeout(300)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def poll_page(page: Any, func: Any, timeout: float = 30.0) -> Any:
    """Like :func:`poll` for checks on the page: waits with Playwright's own clock."""
    for _ in range(int(timeout / 0.3)):
        try:
            value = func()
        except Exception:  # the element is being re-rendered by Streamlit: retry
            value = None
        if value:
            return value
        page.wait_for_timeout(300)
    return None


def shown_osm_id(text: str) -> str | None:
    """Return ``node/123`` from the Dutch source line of a place panel, else None."""
    from buurtkaart.i18n import t as _t

    kinds = {_t(f"place.osm_{k}", "nl"): k for k in ("node", "way", "relation")}
    found = re.search(r"OpenStreetMap \(([^()]+?) (\d+)\)", text)
    if found is None or found.group(1) not in kinds:
        return None
    return f"{kinds[found.group(1)]}/{found.group(2)}"


def choose_basemap(page: Any, key: str) -> None:
    """Open the "Kaartlagen" popover above the map and pick a background (``osm``/``offline``)."""
    from buurtkaart.i18n import t as _t

    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("button", name=_t("map.layers", "nl")).click()
    page.locator('[data-testid="stPopoverBody"]').get_by_text(
        _t(f"map.basemap_{key}", "nl")).click()
    page.keyboard.press("Escape")
