"""Private probe: can this machine reach the OSM raster tile server?

The map offers OSM raster tiles when online and a basemap drawn from the local
extract when not. :func:`default_basemap` picks between them from the setting
``BUURTKAART_BASEMAP`` (``auto``, ``osm`` or ``offline``); in ``auto`` mode it
opens one TCP connection to the tile host under a short deadline and remembers
the answer for a few minutes, so a machine without internet never waits long.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

from buurtkaart import settings
from buurtkaart._errors import SourceUnavailable
from buurtkaart.sources._http import run_with_deadline

#: Seconds an answer of the probe is reused.
PROBE_TTL_S = 300.0
#: Seconds the probe may take (DNS + TCP connect) before "offline" is assumed.
PROBE_TIMEOUT_S = 1.5

_LOCK = threading.Lock()
_ANSWERS: dict[tuple[str, int], tuple[float, bool]] = {}


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url.replace("{s}", "a"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "", port


def _connect(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
        return True


def tiles_reachable(url: str | None = None) -> bool:
    """Return whether the tile server of ``url`` accepts a TCP connection.

    Parameters
    ----------
    url : str, optional
        Tile URL template; default the setting ``BUURTKAART_TILE_URL``.

    Returns
    -------
    bool
        False when DNS or the connection fails or takes over
        :data:`PROBE_TIMEOUT_S`; the answer is cached for :data:`PROBE_TTL_S`.
    """
    key = _host_port(url or settings.get("BUURTKAART_TILE_URL"))
    now = time.monotonic()
    with _LOCK:
        cached = _ANSWERS.get(key)
        if cached and now - cached[0] < PROBE_TTL_S:
            return cached[1]
    try:
        ok = bool(key[0]) and run_with_deadline(lambda: _connect(*key), PROBE_TIMEOUT_S,
                                                 "tile server")
    except SourceUnavailable:
        ok = False
    with _LOCK:
        _ANSWERS[key] = (time.monotonic(), ok)
    return ok


def default_basemap() -> str:
    """Return ``"osm"`` or ``"offline"`` following ``BUURTKAART_BASEMAP`` (auto: probe)."""
    choice = settings.get("BUURTKAART_BASEMAP").strip().lower()
    if choice in {"osm", "offline"}:
        return choice
    return "osm" if tiles_reachable() else "offline"


def forget_probes() -> None:
    """Forget cached probe answers (tests)."""
    with _LOCK:
        _ANSWERS.clear()
