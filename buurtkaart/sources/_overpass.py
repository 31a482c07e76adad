"""Private: the live Overpass source through OSMnx (DoH off, our User-Agent, short timeout).

OSMnx builds the queries, caches the answers under ``cache_dir()/overpass``
(keyed by the query) and parses them. We own the transport through OSMnx's
public ``settings.requests_kwargs``, passed to every ``requests.post``:

- ``hooks={"response": ...}`` checks each answer before OSMnx sees it. An
  error status raises :class:`~buurtkaart._errors.SourceUnavailable` at once,
  where OSMnx would sleep 55 s and retry on 429/504 without end. A busy answer
  (429, 503, 504) also records, per service, "not before" from ``Retry-After``.
- ``auth=...``: requests calls it on each prepared request just before sending,
  which is after OSMnx's cache lookup. While Overpass asked us to wait it
  refuses locally: cached areas are still answered, uncached ones fail at once
  with the time to retry, and Overpass is not asked early.

OSMnx's settings are process-global: :func:`osmnx_call` lets calls that need
the same settings run together (a stalled request does not block cached
areas) and makes a call needing other settings wait for them to finish.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import requests
import requests.auth

from buurtkaart import settings
from buurtkaart._errors import SourceUnavailable
from buurtkaart.core.categories import load_taxonomy
from buurtkaart.sources._http import (
    check_response,
    refuse_while_backing_off,
    run_with_deadline,
    timeout_s,
    user_agent,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

T = TypeVar("T")

#: Server-side timeout sent in every query; fixed so that cache keys do not
#: depend on our client timeout.
OVERPASS_SETTINGS = "[out:json][timeout:25]{maxsize}"


def overpass_tags() -> dict[str, bool | str | list[str]]:
    """Return the OSMnx ``tags`` query for the taxonomy (first tag of each rule)."""
    tags: dict[str, bool | str | list[str]] = {}
    for cat in load_taxonomy():
        for rule in cat.rules:
            key, values = rule[0]
            current = tags.get(key)
            if values is None or current is True:
                tags[key] = True
            else:
                merged = set(current if isinstance(current, list) else []) | set(values)
                tags[key] = sorted(merged)
    return tags


def overpass_url() -> str:
    """Return the configured Overpass endpoint (without ``/interpreter``)."""
    return settings.get("BUURTKAART_OVERPASS_URL").strip().rstrip("/")


def _what(url: str) -> str:
    return f"Overpass at {url}"


class _PolicyGate(requests.auth.AuthBase):
    """Called by requests just before sending: refuse while Overpass asked us to wait."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        refuse_while_backing_off(self.url, _what(self.url))
        return request


def _check_answer(url: str, response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """requests response hook: raise for error statuses, unparsable and unfinished answers.

    A truncated or unparsable answer is an error, never "no places found"
    (OSMnx would take it for an empty result).
    """
    check_response(url, _what(url), response)
    try:
        doc = response.json()
    except ValueError as e:
        msg = (f"{_what(url)} sent a truncated or unparsable answer "
               f"({len(response.content)} bytes): {e}")
        raise SourceUnavailable(msg) from e
    if not isinstance(doc, dict) or not isinstance(doc.get("elements"), list):
        msg = f"{_what(url)} sent an answer without an 'elements' list: not an Overpass answer"
        raise SourceUnavailable(msg)
    remark = doc.get("remark")
    if isinstance(remark, str) and "error" in remark.lower():
        first = (remark.strip().splitlines() or [""])[0][:200]
        msg = f"{_what(url)} could not finish the query: {first}"
        raise SourceUnavailable(msg)


@dataclass(frozen=True)
class _Config:
    """The OSMnx settings one call needs."""

    url: str
    user_agent: str
    timeout: float
    use_cache: bool
    cache_folder: str

    def apply(self) -> None:
        """Write these settings into ``osmnx.settings``."""
        import osmnx as ox  # heavy optional dependency, loaded on first use

        ox.settings.doh_url_template = None
        ox.settings.http_user_agent = self.user_agent
        ox.settings.use_cache = self.use_cache
        ox.settings.cache_folder = self.cache_folder
        ox.settings.requests_timeout = self.timeout
        ox.settings.overpass_rate_limit = False
        ox.settings.overpass_url = self.url
        ox.settings.overpass_settings = OVERPASS_SETTINGS
        ox.settings.log_console = False
        ox.settings.requests_kwargs = {
            "auth": _PolicyGate(self.url),
            "hooks": {"response": [functools.partial(_check_answer, self.url)]},
        }


class _SettingsGate:
    """Share OSMnx's global settings: same-settings calls together, others wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._current: _Config | None = None
        self._users = 0

    @contextmanager
    def using(self, config: _Config, deadline: float) -> Iterator[None]:
        """Hold ``config`` applied while the block runs (wait until ``deadline``)."""
        with self._cond:
            while self._users and config != self._current:
                left = deadline - time.monotonic()
                if left <= 0:
                    msg = f"{_what(config.url)} is busy with another request of this process"
                    raise SourceUnavailable(msg)
                self._cond.wait(left)
            if not self._users:
                config.apply()
                self._current = config
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._users -= 1
                self._cond.notify_all()


_GATE = _SettingsGate()


def osmnx_call(func: Callable[[], T], *, use_cache: bool = True) -> T:
    """Run an OSMnx function that queries Overpass, failing fast and politely.

    Parameters
    ----------
    func : callable
        Calls OSMnx (``features_from_polygon``, ``graph_from_point``...).
    use_cache : bool
        Let OSMnx answer from and write to ``cache_dir()/overpass``.

    Returns
    -------
    Whatever ``func`` returns.

    Raises
    ------
    SourceUnavailable
        Within ``BUURTKAART_HTTP_TIMEOUT`` + 1 s (at most 9.5 s) when Overpass
        cannot be reached, answers an error or "busy" (the message says when we
        ask again), or when it asked us to wait and that time has not come.
    """
    import osmnx  # noqa: F401  (imported here, outside the deadline)

    url = overpass_url()
    config = _Config(url, user_agent(), timeout_s(), use_cache,
                     str(settings.cache_dir() / "overpass"))
    seconds = min(timeout_s() + 1.0, 9.5)
    deadline = time.monotonic() + seconds

    def call() -> T:
        with _GATE.using(config, deadline):
            return func()

    return run_with_deadline(call, seconds, _what(url))


def fetch_features(polygon: BaseGeometry) -> gpd.GeoDataFrame:
    """Return OSMnx's features GeoDataFrame for the taxonomy tags within ``polygon``.

    Returns an empty GeoDataFrame when Overpass finds nothing. An area fetched
    before is answered from the cache, even while Overpass is down or busy.

    Raises
    ------
    SourceUnavailable
        When the area is not in the cache and Overpass cannot answer now
        (see :func:`osmnx_call`).
    """
    import geopandas as gpd  # heavy optional dependency, loaded on first use
    import osmnx as ox  # heavy optional dependency, loaded on first use
    from osmnx._errors import InsufficientResponseError  # with osmnx

    tags = overpass_tags()

    def call() -> gpd.GeoDataFrame:
        try:
            return ox.features_from_polygon(polygon, tags)
        except InsufficientResponseError:
            return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")

    try:
        return osmnx_call(call, use_cache=True)
    except SourceUnavailable as e:
        msg = f"{e}; this area is not in the cache {settings.cache_dir() / 'overpass'}"
        raise SourceUnavailable(msg) from e
