"""CSV reader: points from latitude/longitude columns, any of the common names.

A CSV with no coordinate columns but an address column (:data:`ADDRESS_NAMES`)
is read too, its rows without a point: the import geocodes their address.

The delimiter (``,`` ``;`` tab ``|``) is sniffed; lines that are not UTF-8 are
read as Windows-1252 (and reported); decimal commas (``50,85``) are accepted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

from buurtkaart._errors import DataFileError
from buurtkaart.exchange.readers._common import RawFeature, ReadResult, Rejection

LAT_NAMES = ("lat", "latitude", "latitud", "breedtegraad", "y", "ycoord", "point_y")
LON_NAMES = ("lon", "lng", "long", "longitude", "longitud", "lengtegraad", "x", "xcoord",
             "point_x")
#: columns an address-only CSV may name its address column (rows then have no point)
ADDRESS_NAMES = ("address", "adres", "adresse", "addr", "straat en nummer", "rue et numéro")
_PREFIX = re.compile(r"^(geo|gps|wgs84|coord|coords|location|loc|position|pos)[_:. \-]?")


def _norm(column: str) -> str:
    col = column.strip().lower().replace("\ufeff", "")
    return _PREFIX.sub("", col)


def find_coordinate_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """Return the (latitude, longitude) column names among ``columns`` (None when absent).

    Matches ``lat``, ``latitude``, ``Latitude``, ``geo_Latitude``, ``lon``, ``lng``,
    ``longitude``, ``geo_Longitude``, ``x``/``y``... case-insensitively, preferring
    the earliest name of :data:`LAT_NAMES` / :data:`LON_NAMES`.
    """
    normed = {_norm(c): c for c in reversed(columns)}
    lat = next((normed[n] for n in LAT_NAMES if n in normed), None)
    lon = next((normed[n] for n in LON_NAMES if n in normed), None)
    return lat, lon


def parse_number(value: Any) -> float:
    """Parse a coordinate cell (``50.85``, ``50,85``, `` 4.3 ``); raise ValueError if not one."""
    text = str(value).strip().replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        msg = f"{value!r} is not a number"
        raise ValueError(msg)
    return float(text)


def _lines(text: str) -> Iterator[str]:
    """Yield the lines of ``text`` one by one (no copy of the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size - 1 if end < 0 else end
        yield text[start:end + 1]
        start = end + 1


def _dialect(text: str) -> str:
    sample = "\n".join(text[:65536].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=header.count)


def read_csv(text: str, name: str, lat_col: str | None = None,
             lon_col: str | None = None, max_rows: int | None = None) -> ReadResult:
    """Read CSV text into point features.

    Parameters
    ----------
    text : str
        The decoded file.
    name : str
        File name, for messages.
    lat_col, lon_col : str, optional
        Coordinate columns; detected from the header when not given.
    max_rows : int, optional
        Stop with an error at the first row over this count (rows are read one
        by one, never all at once).

    Raises
    ------
    DataFileError
        No header, no latitude/longitude column, or more than ``max_rows`` rows.
    """
    if not text.strip():
        msg = f"{name} is empty"
        raise DataFileError(msg)
    reader = csv.reader(_lines(text), delimiter=_dialect(text))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        msg = f"{name} is not readable CSV: {e}"
        raise DataFileError(msg) from e
    found = find_coordinate_columns(header)
    lat_col, lon_col = lat_col or found[0], lon_col or found[1]
    if lat_col not in header or lon_col not in header:
        if not any(h.lower() in ADDRESS_NAMES for h in header):
            msg = (f"{name}: no latitude/longitude columns found in header {header[:12]}; "
                   "expected names such as lat/latitude/geo_Latitude and lon/lng/longitude, "
                   "or an address column (address/adres/adresse)")
            raise DataFileError(msg)
        lat_col = lon_col = None  # rows without a point: the import geocodes the address
    ilat = header.index(str(lat_col)) if lat_col else -1
    ilon = header.index(str(lon_col)) if lon_col else -1
    result = ReadResult("csv")
    result.add_columns(h for h in header if h)
    try:
        _read_rows(reader, header, (ilat, ilon), (str(lat_col), str(lon_col)), result,
                   (name, max_rows))
    except csv.Error as e:
        msg = f"{name} is not readable CSV: {e}"
        raise DataFileError(msg) from e
    return result


def _read_rows(reader: Any, header: list[str], idx: tuple[int, int], cols: tuple[str, str],
               result: ReadResult, limit: tuple[str, int | None]) -> None:
    (ilat, ilon), (lat_col, lon_col), (name, max_rows) = idx, cols, limit
    for number, cells in enumerate(reader, start=1):
        if max_rows is not None and number > max_rows:
            msg = (f"{name} has more than {max_rows} rows, over the limit "
                   "(BUURTKAART_MAX_FEATURES); refused before reading it all")
            raise DataFileError(msg)
        if not any(c.strip() for c in cells):
            result.notes.append(f"row {number}: empty line ignored")
            continue
        if len(cells) != len(header):
            result.rejected.append(Rejection(
                number, f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        geom = None
        if ilat >= 0:
            try:
                lat, lon = parse_number(cells[ilat]), parse_number(cells[ilon])
            except ValueError as e:
                why = f"bad coordinate in {lat_col!r}/{lon_col!r}: {e}"
                result.rejected.append(Rejection(number, why))
                continue
            geom = {"type": "Point", "coordinates": [lon, lat]}
        props = {h: c for h, c in zip(header, cells, strict=True)
                 if h and h not in (lat_col, lon_col)}
        result.features.append(RawFeature(number, props, geom))
