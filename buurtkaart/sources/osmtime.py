"""How old an OSM extract is: the file header's timestamp, else its newest object.

Used to refuse an older extract given as the "newer" one (see
:func:`buurtkaart.meeting.diff.ensure_newer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import osmium

from buurtkaart._errors import DataFileError

#: Header keys that hold the data's time, in the order they are trusted.
HEADER_KEYS = ("osmosis_replication_timestamp", "timestamp")
#: Timestamps at or before this are "no timestamp" (stripped metadata gives 1970).
_NO_TIME = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ExtractTime:
    """The time of an extract and where it came from.

    Attributes
    ----------
    when : datetime or None
        UTC time of the data; None when neither the header nor the objects have one.
    basis : str
        ``"header"`` (the file header's timestamp), ``"data"`` (the newest
        object's timestamp) or ``"none"``.
    """

    when: dt.datetime | None
    basis: str


def _parse(value: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def header_time(path: Path) -> dt.datetime | None:
    """Return the header's replication timestamp (or ``timestamp``), None when absent."""
    reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
    try:
        header = reader.header()
        for key in HEADER_KEYS:
            when = _parse(header.get(key, ""))
            if when is not None and when > _NO_TIME:
                return when
    finally:
        reader.close()
    return None


def newest_object_time(path: Path) -> dt.datetime | None:
    """Return the newest timestamp of any node, way or relation; None when all are unset."""
    newest: dt.datetime | None = None
    kinds = osmium.osm.NODE | osmium.osm.WAY | osmium.osm.RELATION
    for obj in osmium.FileProcessor(str(path), kinds):
        stamp = obj.timestamp  # type: ignore[union-attr]
        if stamp > _NO_TIME and (newest is None or stamp > newest):
            newest = stamp
    return newest


def extract_time(path: str | Path) -> ExtractTime:
    """Return the time of an OSM extract: header timestamp first, else the newest object.

    Raises
    ------
    DataFileError
        When the file is missing or unreadable.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"extract {path} does not exist"
        raise DataFileError(msg)
    try:
        when = header_time(path)
        if when is not None:
            return ExtractTime(when, "header")
        when = newest_object_time(path)
    except RuntimeError as e:
        msg = f"cannot read OSM extract {path}: {e}"
        raise DataFileError(msg) from e
    return ExtractTime(when, "data" if when is not None else "none")
