"""Attack the shipped server: ``buurtkaart app`` itself, and nginx with the docs' recipe in front.

One server per module, started as an operator would (``buurtkaart app``'s
own command line: the ``st.App`` of ``app/asgi.py`` with the production
flags), its stdout and stderr captured in a file. In front of it Debian's
nginx with the "Production hardening" recipe of docs/deploy.md
(``support/balancer.py``, ``hardened=True``). A headless Chromium logs in
through nginx, fails a login, opens the map and another page; then:

- ``/_stcore/metrics`` is 404, on the server itself and through nginx
  (``/_stcore/health`` answers, as control);
- every answer through nginx carries the recipe's headers (CSP,
  X-Frame-Options, ...), and the map renders under that CSP with no
  violation in the console;
- the server's output holds neither the session ids (read from the
  websocket's ``new_session`` message) nor any password typed.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e]

WRONG = "fout-Wachtwoord-17"


def _start_shipped(tmp: Path, env: dict[str, str], timeout: float = 120) -> tuple[Any, str]:
    from support.fixtures_app import free_port

    from buurtkaart.cli import app_cmd

    port = free_port()
    cmd = app_cmd.streamlit_command(port, "127.0.0.1", headless=True)
    cmd += ["--server.fileWatcherType", "none"]
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=tmp, env={**os.environ, **env}, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    msg = f"buurtkaart app did not start: {(tmp / 'server.log').read_text()[-2000:]}"
    raise RuntimeError(msg)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from support.balancer import NGINX, start_balancer
    from support.fixtures_app import seed_accounts

    from buurtkaart.store import open_store

    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: .ci/run installs nginx-light")
    tmp = tmp_path_factory.mktemp("shipped")
    db = str(tmp / "store.db")
    with open_store(db) as store:
        the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw De Brug",
                                   lat=50.8552, lon=4.3387)
        store.add_actor("setup", the_map["id"], name="Jeugdhuis De Klup", roles=["partner"],
                        lat=50.8561, lon=4.3395)
    seed_accounts(db, the_map["id"], ("Amina",))
    env = {"BUURTKAART_DB": db, "BUURTKAART_SINGLE_USER": "0", "BUURTKAART_BASEMAP": "none",
           "BUURTKAART_CACHE_DIR": str(tmp / "cache")}
    proc, url = _start_shipped(tmp, env)
    balancer = None
    try:
        balancer = start_balancer(tmp_path_factory.mktemp("nginx"),
                                  [url.removeprefix("http://")], hardened=True)
        yield {"url": url, "lb": balancer.url, "log": tmp / "server.log"}
    finally:
        if balancer is not None:
            balancer.stop()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _status(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


def test_metrics_are_not_served_anonymously(world: dict[str, Any]) -> None:
    for base in (world["url"], world["lb"]):
        assert _status(base + "/_stcore/health")[0] == 200
        for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?families=x"):
            code, _ = _status(base + path)
            assert code == 404, (base, path, code)


def test_the_recipe_headers_are_on_every_answer(world: dict[str, Any]) -> None:
    from support.balancer import HEADERS

    expected = {}
    for line in HEADERS:
        name, value = re.fullmatch(r'add_header (\S+) "(.*)" always;', line).groups()
        expected[name] = value
    assert {"Content-Security-Policy", "X-Frame-Options"} <= set(expected)
    for path in ("/", "/_stcore/health", "/app/static/js/buurtkaart-map.js",
                 "/no-such-page"):
        _code, headers = _status(world["lb"] + path)
        for name, value in expected.items():
            assert headers[name] == value, (path, name, headers[name])
    assert "frame-ancestors 'self'" in expected["Content-Security-Policy"]


def test_the_docs_hold_the_recipe_verbatim() -> None:
    from support.balancer import HARDENING_HTTP, HARDENING_SERVER, HEADERS

    from buurtkaart import settings

    docs = (settings.PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    missing = [line for line in (*HARDENING_HTTP, *HARDENING_SERVER, *HEADERS)
               if line not in docs]
    assert not missing


def _session_ids(page: Any) -> list[str]:
    """Collect the session ids the server sends over the websocket (``new_session``)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found: list[str] = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            try:
                msg = ForwardMsg.FromString(payload)
            except Exception:  # not a ForwardMsg: nothing to collect
                return
            if msg.WhichOneof("type") == "new_session":
                found.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return found


@pytest.mark.timeout(300)
def test_the_app_behind_the_recipe_renders_and_logs_no_secret(
        world: dict[str, Any], page_factory: Any) -> None:
    from support.fixtures_app import login, password, wait_for_markers

    from buurtkaart.i18n import t

    page = page_factory()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    ids = _session_ids(page)
    page.goto(world["lb"])
    name_box = page.get_by_label(t("login.name", "nl"))
    name_box.wait_for(timeout=120_000)
    name_box.fill("Amina")
    page.get_by_label(t("login.password", "nl")).fill(WRONG)
    page.get_by_role("button", name=t("login.submit", "nl")).click()
    page.get_by_text(t("login.wrong", "nl")).first.wait_for(timeout=30_000)
    login(page, "Amina")
    frame = wait_for_markers(page)
    assert frame.locator(".leaflet-container").count() == 1  # the map rendered
    page.locator('[data-testid="stSidebarNav"] a[href$="/actoren"]').first.click()
    page.get_by_text("Jeugdhuis De Klup").first.wait_for(state="attached", timeout=60_000)
    with page.expect_response(lambda r: "/_bk/live" in r.url, timeout=20_000) as asked:
        pass  # the live watcher runs under the recipe's CSP and asks through nginx
    assert asked.value.status == 200 and set(asked.value.json()) == {"seq", "here"}
    assert asked.value.headers["cache-control"] == "no-store"
    violations = [line for line in console
                  if "Content Security Policy" in line or "Refused to" in line]
    assert not violations, violations
    assert ids and all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids), ids
    log = world["log"].read_text(encoding="utf-8", errors="replace")
    assert "You can now view your Streamlit app" in log  # the output really is captured
    for secret in (*ids, password("Amina"), WRONG):
        assert secret not in log, secret
