"""Private: online geocoding with Nominatim (rate-limited, cached, our User-Agent).

At most one request per ``BUURTKAART_NOMINATIM_MIN_INTERVAL`` seconds in this
process, counted from the end of the previous request (Nominatim's usage policy
asks for 1 s). Answers, including "not found", are cached as JSON under
``cache_dir()/nominatim``. After a busy answer (429, 503, 504) Nominatim is not
asked again before the time its ``Retry-After`` names: until then uncached
addresses are refused locally with that time, cached ones still answer.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from buurtkaart import settings
from buurtkaart._errors import GeocodeError, SourceUnavailable
from buurtkaart.core.address import GeocodeResult
from buurtkaart.sources import cache
from buurtkaart.sources._http import (
    check_response,
    headers,
    refuse_while_backing_off,
    run_with_deadline,
    timeout_s,
)

_LOCK = threading.Lock()
_LAST_REQUEST = [0.0]


def _wait_turn() -> None:
    """Sleep until the minimum interval since the previous request has passed."""
    interval = settings.get_float("BUURTKAART_NOMINATIM_MIN_INTERVAL")
    wait = _LAST_REQUEST[0] + interval - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def _base_url() -> str:
    return settings.get("BUURTKAART_NOMINATIM_URL").strip().rstrip("/")


def _request(query: str) -> list[dict[str, Any]]:
    base = _base_url()
    url = base + "/search"
    params = {"q": query, "format": "jsonv2", "limit": "5", "addressdetails": "0"}
    with _LOCK:
        refuse_while_backing_off(base, f"Nominatim at {base}")
        _wait_turn()
        try:
            response = requests.get(url, params=params, headers=headers(), timeout=timeout_s())
        finally:
            # count the interval from the end of this request: conservative for the policy
            _LAST_REQUEST[0] = time.monotonic()
        check_response(base, f"Nominatim at {base}", response)  # records any back-off in turn
    if response.status_code != 200:
        msg = f"Nominatim at {url} answered HTTP {response.status_code}, not a result list"
        raise SourceUnavailable(msg)
    try:
        data = response.json()
    except ValueError as e:
        msg = f"Nominatim at {url} did not answer JSON"
        raise SourceUnavailable(msg) from e
    if not isinstance(data, list):
        msg = f"Nominatim at {url} answered an unexpected {type(data).__name__}"
        raise SourceUnavailable(msg)
    return data


def nominatim_search(address: str) -> GeocodeResult:
    """Geocode ``address`` with Nominatim (cached).

    Raises
    ------
    GeocodeError
        Nothing found (with the other candidates' names, if any).
    SourceUnavailable
        Nominatim unreachable and the address is not cached.
    """
    key = " ".join(address.split()).lower()
    data = cache.read_json("nominatim", cache.make_key(key))
    if data is None:
        data = run_with_deadline(lambda: _request(address), min(timeout_s() + 2.0, 9.5),
                                 f"Nominatim at {_base_url()}")
        cache.write_json("nominatim", cache.make_key(key), data)
    hits = [h for h in data if isinstance(h, dict) and "lat" in h and "lon" in h]
    if not hits:
        msg = f"address {address!r} not found by Nominatim"
        raise GeocodeError(msg)
    best = hits[0]
    return GeocodeResult(float(best["lat"]), float(best["lon"]), _precision(best),
                         str(best.get("display_name", address)), "nominatim")


def _precision(hit: dict[str, Any]) -> str:
    """Map Nominatim's ``addresstype`` to ``housenumber``, ``street`` or ``place``."""
    kind = str(hit.get("addresstype") or hit.get("type") or "")
    if kind in {"house", "building", "house_number", "amenity"}:
        return "housenumber"
    if kind in {"road", "street", "pedestrian", "residential", "square"}:
        return "street"
    return "place"
