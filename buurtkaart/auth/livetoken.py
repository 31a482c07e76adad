"""Signed tokens for the live endpoint: "this session may ask for this map's news".

A page run that may read a map (its guard said so) hands the browser a token for
that map (:func:`issue`). The browser's live watcher sends it with every poll of
the app's ``/_bk/live`` endpoint (:mod:`buurtkaart.app.live_http`), which checks
it (:func:`verify`) without a login, a database read or a Streamlit run: the
endpoint answers only the map's newest event number and a fingerprint of who is
on it, nothing of the map's content.

The key is random per app process (:func:`process_key`): the watcher's requests
carry the sticky-session cookie and reach the replica that served the page; a
token from another replica, or from before a restart, is refused and the watcher
falls back to asking its page's fragment (``docs/deploy.md``). Pure functions
apart from :func:`process_key`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading

from buurtkaart._errors import PermissionDenied

#: Seconds a token holds. A page hands out a fresh one at every run of its live
#: fragment (at least every ``store.presence.BEAT_S``), so this only bounds how long a
#: token copied out of a page stays good after its role was taken away.
TOKEN_TTL_S = 600.0

_KEY: list[bytes] = []
_KEY_LOCK = threading.Lock()


def process_key() -> bytes:
    """Return this process's random signing key (made on first use, never stored)."""
    with _KEY_LOCK:
        if not _KEY:
            _KEY.append(secrets.token_bytes(32))
        return _KEY[0]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()[:18])


def issue(key: bytes, map_id: str, user: str, now: float, ttl_s: float = TOKEN_TTL_S) -> str:
    """Return a token that lets its holder ask for ``map_id``'s news until ``now + ttl_s``.

    Parameters
    ----------
    key : bytes
        The signing key (:func:`process_key`).
    map_id, user : str
        The map, and who the page runs for (logged with a refused token).
    now : float
        Seconds since the epoch.
    ttl_s : float
        Seconds the token holds.

    Returns
    -------
    str
        ``body.mac``, URL-safe.
    """
    body = _b64(json.dumps([map_id, user, int(now + ttl_s)], separators=(",", ":"))
                .encode("utf-8"))
    return f"{body}.{_mac(key, body)}"


def verify(key: bytes, token: str, now: float) -> tuple[str, str]:
    """Return ``(map_id, user)`` of a good token.

    Raises
    ------
    PermissionDenied
        The token is malformed, was signed with another key (another replica, an
        earlier process) or has expired.
    """
    body, _, mac = token.partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _mac(key, body)):
        msg = "live token: not signed by this app process"
        raise PermissionDenied(msg)
    try:
        map_id, user, until = json.loads(_unb64(body))
    except (ValueError, TypeError) as exc:
        msg = "live token: unreadable"
        raise PermissionDenied(msg) from exc
    if not isinstance(until, int) or until < now:
        msg = "live token: expired"
        raise PermissionDenied(msg)
    return str(map_id), str(user)
