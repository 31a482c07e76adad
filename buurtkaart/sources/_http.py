"""Private HTTP helpers shared by the live OSM services (Overpass, Nominatim).

Everything that touches the network goes through here or through
:mod:`buurtkaart.sources._overpass` / :mod:`buurtkaart.sources._nominatim`. Calls run under a
wall-clock deadline so that a dead network (blocked DNS, dropped packets)
fails fast with :class:`~buurtkaart._errors.SourceUnavailable`.

A service that answers "busy" (HTTP 429, 503, 504) is not asked again before
the time its ``Retry-After`` header names (or :data:`DEFAULT_BACKOFF_S` when it
names none): until then :func:`refuse_while_backing_off` refuses locally, in
this process, so that we never hammer Overpass or Nominatim.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

from buurtkaart import settings
from buurtkaart._errors import SourceUnavailable

T = TypeVar("T")

#: Errors that mean "the service could not be reached or answered badly".
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.RequestException, OSError, socket.timeout, ConnectionError,
)


#: HTTP statuses meaning "busy, come back later": we back off before asking again.
BUSY_STATUSES = frozenset({429, 503, 504})
#: Seconds to back off after a busy answer without ``Retry-After`` (OSMnx waits 55 s).
DEFAULT_BACKOFF_S = 60.0
#: Longest wait accepted from a ``Retry-After`` header (one day).
MAX_BACKOFF_S = 86_400.0

_BACKOFF_LOCK = threading.Lock()
#: service URL -> (monotonic time before which we do not ask, HTTP status that asked)
_NOT_BEFORE: dict[str, tuple[float, int]] = {}


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


def service_key(url: str) -> str:
    """Return the key under which a service's back-off is remembered (its base URL)."""
    return url.strip().rstrip("/")


def retry_after_s(value: str | None, now: dt.datetime) -> float | None:
    """Parse a ``Retry-After`` header into seconds from ``now`` (RFC 9110, section 10.2.3).

    Parameters
    ----------
    value : str or None
        The header: delta-seconds (``"120"``) or an HTTP-date
        (``"Sat, 28 Nov 2026 16:00:00 GMT"``).
    now : datetime.datetime
        The current time, timezone-aware.

    Returns
    -------
    float or None
        Seconds to wait (0 for a date in the past, at most :data:`MAX_BACKOFF_S`),
        or None when the header is absent or unreadable.
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return min(float(text), MAX_BACKOFF_S)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_BACKOFF_S)


def _clock_text(wait_s: float) -> str:
    """Return e.g. ``16:42:07 UTC (in 3 s)`` for a moment ``wait_s`` seconds from now."""
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait_s)
    return f"{when:%H:%M:%S} UTC (in {math.ceil(max(wait_s, 0.0))} s)"


def back_off(url: str, status: int, wait_s: float) -> None:
    """Remember not to ask the service at ``url`` again for ``wait_s`` seconds."""
    until = time.monotonic() + wait_s
    with _BACKOFF_LOCK:
        previous = _NOT_BEFORE.get(service_key(url))
        if previous is None or previous[0] < until:
            _NOT_BEFORE[service_key(url)] = (until, status)


def refuse_while_backing_off(url: str, what: str) -> None:
    """Refuse locally while the service at ``url`` asked us to wait.

    Raises
    ------
    SourceUnavailable
        Naming ``what``, the status that asked us to wait and when we ask again.
    """
    with _BACKOFF_LOCK:
        until, status = _NOT_BEFORE.get(service_key(url), (0.0, 0))
    wait = until - time.monotonic()
    if wait > 0:
        msg = (f"{what} asked us to wait (HTTP {status}): not asking again before "
               f"{_clock_text(wait)}")
        raise SourceUnavailable(msg)


def check_response(url: str, what: str, response: requests.Response) -> None:
    """Raise for an HTTP error answer; remember when to ask again after a busy one.

    Parameters
    ----------
    url : str
        The service's base URL (the back-off key).
    what : str
        The service for messages, e.g. ``"Overpass at https://overpass-api.de/api"``.
    response : requests.Response
        The answer.

    Raises
    ------
    SourceUnavailable
        For a status of 400 or more; for 429/503/504 (or any error with
        ``Retry-After``) the message says when we ask again.
    """
    status = response.status_code
    if status < 400:
        return
    reason = f"HTTP {status} {response.reason or ''}".strip()
    header = response.headers.get("Retry-After")
    wait = retry_after_s(header, dt.datetime.now(dt.UTC))
    if status in BUSY_STATUSES or wait is not None:
        wait = DEFAULT_BACKOFF_S if wait is None else wait
        back_off(url, status, wait)
        msg = f"{what} answered {reason} (busy): not asking again before {_clock_text(wait)}"
        raise SourceUnavailable(msg)
    msg = f"{what} answered {reason}"
    raise SourceUnavailable(msg)


def busy_until(url: str) -> dt.datetime | None:
    """Return when the service at ``url`` may be asked again (UTC), or None if it may now.

    For the UI: show "try again after HH:MM" next to a :class:`SourceUnavailable`.
    """
    with _BACKOFF_LOCK:
        until, _status = _NOT_BEFORE.get(service_key(url), (0.0, 0))
    wait = until - time.monotonic()
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait) if wait > 0 else None


def forget_back_off(url: str | None = None) -> None:
    """Forget the back-off of the service at ``url`` (all services when None).

    For tests and for an administrator who knows the service is back; never
    called by the live sources themselves.
    """
    with _BACKOFF_LOCK:
        if url is None:
            _NOT_BEFORE.clear()
        else:
            _NOT_BEFORE.pop(service_key(url), None)
