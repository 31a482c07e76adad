"""The package stands alone: a wheel installed in a new venv serves the map from any folder.

The wheel is built from a copy of the package (``pip wheel --no-deps``, no build
isolation: setuptools comes from requirements.txt) and installed ``--no-deps``
into a new venv, which finds the other dependencies in the project's venv
through a ``.pth`` line (not its ``.pth`` files: the editable checkout stays out).
``buurtkaart app`` then runs in an empty temporary folder, with no
``.streamlit/config.toml`` and no checkout on the path.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.fixtures_app import free_port, wait_for_markers

from buurtkaart import settings

pytestmark = pytest.mark.e2e

ROOT = settings.PROJECT_ROOT


def _build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    shutil.copytree(ROOT / "buurtkaart", src / "buurtkaart",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    out = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(src)],
                   check=True, capture_output=True, cwd=tmp)
    (wheel,) = out.glob("buurtkaart-*.whl")
    return wheel


def _venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (purelib,) = (venv / "lib").glob("python3*/site-packages")
    (purelib / "project-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    return venv


@pytest.fixture(scope="module")
def installed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The wheel's ``buurtkaart app`` running from an empty folder: (venv, base URL)."""
    tmp = tmp_path_factory.mktemp("wheel")
    venv = _venv(tmp, _build_wheel(tmp))
    work = tmp / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.pop("BUURTKAART_DB", None)  # no team store: the app opens its own demo store
    env.update(BUURTKAART_DEMO_DB=str(work / "demo" / "store.db"),
               BUURTKAART_CACHE_DIR=str(work / "cache"), BUURTKAART_DEMO="1")
    port = free_port()
    log = (work / "app.log").open("wb")
    proc = subprocess.Popen([str(venv / "bin" / "buurtkaart"), "app", "--port", str(port),
                             "--address", "127.0.0.1", "--headless", "--single-user"],
                            cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        assert proc.poll() is None, (work / "app.log").read_text(errors="replace")[-3000:]
        yield venv, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def test_the_installed_package_is_the_wheel(installed_app: tuple[Path, str]) -> None:
    venv, _ = installed_app
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import buurtkaart.app, buurtkaart.views.map_assets as a; "
                          "print(buurtkaart.app.__file__); print(a.STATIC_DIR)"],
                         check=True, capture_output=True, text=True, cwd=venv).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in out), out
    assert (Path(out[1]) / "js" / "buurtkaart-map.js").is_file()


def test_static_assets_and_the_page_are_served(installed_app: tuple[Path, str]) -> None:
    _, url = installed_app
    with urllib.request.urlopen(f"{url}/app/static/vendor/leaflet/leaflet.js") as resp:
        body = resp.read()
    assert resp.status == 200 and b"Leaflet" in body[:2000] and len(body) > 100_000
    with urllib.request.urlopen(f"{url}/app/static/js/buurtkaart-map.js") as resp:
        assert b"BuurtkaartMap" in resp.read()
    with urllib.request.urlopen(f"{url}/") as resp:
        assert resp.status == 200 and b"<html" in resp.read().lower()


def test_the_map_renders_with_markers(installed_app: tuple[Path, str],
                                      page_factory: Any) -> None:
    _, url = installed_app
    page = page_factory()
    page.goto(url)
    frame = wait_for_markers(page, timeout=90_000)
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(".bk-a-icon, .bk-p-icon, .marker-cluster").count() > 5
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not page.external or all("tile" in u for u in page.external), page.external
