"""OSM replication diffs (minutely/hourly/daily OsmChange) with pyosmium, our User-Agent.

Private network edge of :mod:`buurtkaart.sources.osmupdate`. The server is
``BUURTKAART_REPLICATION_URL`` (a folder with ``state.txt``, e.g.
``https://planet.openstreetmap.org/replication/day/``). A first request for the
state fails fast (``BUURTKAART_HTTP_TIMEOUT`` seconds, no retries), so an offline
machine gets a clear message at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import osmium
import requests
from osmium.replication.server import ReplicationServer

from buurtkaart import settings
from buurtkaart._errors import InputError, SourceUnavailable

#: Largest amount of diffs downloaded in one update (kB, pyosmium's ``max_size``).
MAX_DOWNLOAD_KB = 50 * 1024


def replication_url() -> str:
    """Return the configured replication URL (empty when not configured)."""
    return settings.get("BUURTKAART_REPLICATION_URL").strip()


def _server(url: str) -> ReplicationServer:
    server = ReplicationServer(url)
    session = requests.Session()
    session.headers["User-Agent"] = settings.get("BUURTKAART_USER_AGENT")
    server.session = session
    server.extra_request_params = {"timeout": settings.get_float("BUURTKAART_HTTP_TIMEOUT"),
                                   "headers": {"User-Agent": session.headers["User-Agent"]}}
    return server


def _start(server: ReplicationServer, header: osmium.io.Header) -> int:
    seq = header.get("osmosis_replication_sequence_number", "")
    if seq.strip().isdigit():
        return int(seq) + 1
    stamp = header.get("osmosis_replication_timestamp", "") or header.get("timestamp", "")
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError as e:
        msg = ("the map's OSM data has no replication sequence number nor timestamp in its "
               "header; import a dated extract first")
        raise InputError(msg) from e
    found = server.timestamp_to_sequence(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
    if found is None:
        msg = f"replication server {server.baseurl} has no diffs from {stamp}"
        raise SourceUnavailable(msg)
    return int(found)


def fetch_update(url: str, base: Path, out: Path) -> tuple[int, int] | None:
    """Download the diffs after ``base``'s state and write ``base`` + diffs to ``out``.

    Returns
    -------
    tuple or None
        (last applied sequence, newest available), None when there is nothing new.

    Raises
    ------
    SourceUnavailable
        When the replication server cannot be reached.
    """
    server = _server(url)
    state = server.get_state_info(retries=0)  # pyosmium turns network errors into None
    if state is None:
        msg = (f"replication server {url} cannot be reached (or has no state.txt); "
               "are you offline? Use --changes FILE.osc.gz instead")
        raise SourceUnavailable(msg)
    reader = osmium.io.Reader(str(base), osmium.osm.osm_entity_bits.NOTHING)
    header = reader.header()
    reader.close()
    start = _start(server, header)
    if start > state.sequence:
        return None
    out.unlink(missing_ok=True)
    try:
        return server.apply_diffs_to_file(str(base), str(out), start, max_size=MAX_DOWNLOAD_KB,
                                          extra_headers={"generator": "buurtkaart"},
                                          outformat="pbf")
    except requests.RequestException as e:
        msg = f"replication server {url} failed during the download: {e}"
        raise SourceUnavailable(msg) from e
