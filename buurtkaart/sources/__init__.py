"""Sources: the only code that reads places from files or services.

:func:`read_file` sniffs the file content (PBF, OSM XML, GeoJSON) and
dispatches to :mod:`.osmfile` or :mod:`.geojson`; :mod:`.live` queries Overpass.
"""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

from buurtkaart._errors import DataFileError
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.sources.geojson import read_geojson
from buurtkaart.sources.osmfile import read_osm


def _head(path: Path, size: int = 512) -> bytes:
    name = path.name.lower()
    opener = bz2.open if name.endswith(".bz2") else gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            return bytes(fh.read(size))
    except FileNotFoundError as e:
        msg = f"OSM file {path} does not exist"
        raise DataFileError(msg) from e
    except IsADirectoryError as e:
        msg = f"OSM file {path} is a directory, not a file"
        raise DataFileError(msg) from e
    except (OSError, EOFError) as e:
        msg = f"OSM file {path} is not readable: {e}"
        raise DataFileError(msg) from e


def sniff_format(path: Path) -> str:
    """Return ``"pbf"``, ``"osm"`` or ``"geojson"`` from the file's first bytes.

    Raises
    ------
    DataFileError
        Missing, unreadable, empty or not OSM data.
    """
    head = _head(path)
    if not head:
        msg = f"OSM file {path} is empty"
        raise DataFileError(msg)
    if b"OSMHeader" in head[:32]:
        return "pbf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith(b"<") and (b"<osm" in head or b"<osmChange" in head):
        return "osm"
    msg = (f"file {path} is not OSM data: expected .osm.pbf, .osm XML or GeoJSON, "
           f"starts with {head[:16]!r}")
    raise DataFileError(msg)


def read_file(path: Path, area: Area | None = None) -> list[Place]:
    """Read the places of an OSM/GeoJSON file (see :func:`buurtkaart.places.read_places`)."""
    fmt = sniff_format(path)
    if fmt == "geojson":
        return read_geojson(path, area)
    return read_osm(path, fmt, area)
