"""Private HTTP helpers shared by the live OSM services (Overpass, Nominatim).

Everything that touches the network goes through here or through
:mod:`buurtkaart._overpass` / :mod:`buurtkaart._nominatim`. Calls run under a
wall-clock deadline so that a dead network (blocked DNS, dropped packets)
fails fast with :class:`~buurtkaart._errors.SourceUnavailable`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import requests

from buurtkaart import settings
from buurtkaart._errors import SourceUnavailable

T = TypeVar("T")

#: Errors that mean "the service could not be reached or answered badly".
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.RequestException, OSError, socket.timeout, ConnectionError,
)


def user_agent() -> str:
    """Return our HTTP User-Agent."""
    return settings.get("BUURTKAART_USER_AGENT")


def timeout_s() -> float:
    """Return the per-request timeout in seconds (capped at 9 s: fail within 10 s)."""
    return max(0.5, min(settings.get_float("BUURTKAART_HTTP_TIMEOUT"), 9.0))


def headers() -> dict[str, str]:
    """Return the headers sent to OSM services."""
    return {"User-Agent": user_agent(), "Accept": "application/json"}


def run_with_deadline(func: Callable[[], T], seconds: float, what: str) -> T:
    """Run ``func`` in a daemon thread and give up after ``seconds``.

    Raises
    ------
    SourceUnavailable
        On timeout or on a network error raised by ``func``.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as e:  # re-raised in the caller's thread
            box["error"] = e

    worker = threading.Thread(target=target, name=f"buurtkaart-{what}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        msg = f"{what} did not answer within {seconds:g} s (no network?)"
        raise SourceUnavailable(msg)
    if "error" in box:
        err = box["error"]
        if isinstance(err, NETWORK_ERRORS):
            msg = f"{what} is unreachable: {_first_line(err)}"
            raise SourceUnavailable(msg) from err
        raise err
    return box["value"]  # type: ignore[no-any-return]


def _first_line(err: BaseException) -> str:
    """Return a short reason: requests' long messages become e.g. ``connection failed (...)``."""
    if isinstance(err, requests.exceptions.Timeout):
        return "timed out"
    text = str(err).strip()
    if isinstance(err, requests.exceptions.ConnectionError):
        cause = re.search(r"Caused by (\w+)\(", text)
        return f"connection failed ({cause.group(1) if cause else type(err).__name__})"
    lines = text.splitlines()
    return (lines[0] if lines else type(err).__name__)[:200]


def cache_path(kind: str, key: str) -> Path:
    """Return the cache file for ``key`` under ``cache_dir()/kind``."""
    folder = settings.cache_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".json")


def read_cache(kind: str, key: str) -> Any | None:
    """Return the cached JSON for ``key`` or None."""
    path = cache_path(kind, key)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(kind: str, key: str, value: Any) -> None:
    """Store JSON for ``key`` atomically."""
    path = cache_path(kind, key)
    tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only cache only costs speed
