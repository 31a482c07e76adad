"""Importers' parsers: detect the format, enforce the caps, read raw features (pure).

:func:`read_bytes` parses an upload or a file's bytes (read with
:func:`buurtkaart.sources.files.read_capped`). It raises
:class:`~buurtkaart._errors.DataFileError` for a file that cannot be used at
all (unreadable, not JSON, not GeoJSON, over the size or feature cap, empty) and
:class:`~buurtkaart._errors.InputError` for a bad ``fmt``; anything
wrong with a single feature or row becomes a :class:`Rejection` instead.
"""

from __future__ import annotations

from pathlib import Path

from buurtkaart import settings
from buurtkaart._errors import DataFileError, InputError
from buurtkaart.exchange.readers._common import (
    GeometryProblem,
    RawFeature,
    ReadResult,
    Rejection,
    decode_text,
    representative_point,
)
from buurtkaart.exchange.readers.csvfile import find_coordinate_columns, read_csv
from buurtkaart.exchange.readers.jsonfiles import (
    json_kind,
    parse_json,
    read_geojson,
    read_overpass,
    read_umap,
)

__all__ = [
    "FORMATS", "GeometryProblem", "RawFeature", "ReadResult", "Rejection",
    "find_coordinate_columns", "max_features", "max_upload_bytes", "read_bytes",
    "representative_point",
]

FORMATS = ("auto", "geojson", "csv", "umap", "overpass")
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
#: Formats we recognise but do not read (GPS and Google Earth files).
_UNSUPPORTED = {".kml": "KML", ".kmz": "KMZ", ".gpx": "GPX", ".shp": "Shapefile",
                ".xml": "XML"}


def max_upload_bytes() -> int:
    """Return the size cap in bytes (``BUURTKAART_MAX_UPLOAD_MB``)."""
    return int(settings.get_float("BUURTKAART_MAX_UPLOAD_MB") * 1024 * 1024)


def max_features() -> int:
    """Return the feature cap (``BUURTKAART_MAX_FEATURES``)."""
    return int(settings.get_float("BUURTKAART_MAX_FEATURES"))


def _check_size(size: int, name: str) -> None:
    cap = max_upload_bytes()
    if size > cap:
        msg = (f"{name} is {size / 1048576:.1f} MB, over the upload limit of "
               f"{cap / 1048576:.0f} MB (BUURTKAART_MAX_UPLOAD_MB)")
        raise DataFileError(msg)


def _refuse_unsupported(name: str, text: str) -> None:
    """KML, GPX and other XML are refused by name, never parsed as CSV."""
    label = _UNSUPPORTED.get(Path(name).suffix.lower())
    if label is None and text.lstrip()[:1] == "<":
        label = "XML (KML/GPX?)"
    if label is not None:
        msg = (f"{name}: unsupported format {label}; import GeoJSON, CSV, uMap or "
               "Overpass JSON (convert KML/GPX to GeoJSON first, e.g. with ogr2ogr)")
        raise DataFileError(msg)


def _guess(name: str, text: str) -> str:
    if Path(name).suffix.lower() == ".umap":
        return "umap"
    if Path(name).suffix.lower() in _CSV_SUFFIXES:
        return "csv"
    head = text.lstrip()[:1]
    return "json" if head in ("{", "[") else "csv"


def read_bytes(data: bytes, name: str, fmt: str = "auto", lat_col: str | None = None,
               lon_col: str | None = None) -> ReadResult:
    """Read an uploaded file's bytes.

    Parameters
    ----------
    data : bytes
        File content.
    name : str
        File name (its suffix helps detection; used in messages).
    fmt : str
        ``auto``, ``geojson``, ``csv``, ``umap`` or ``overpass``.
    lat_col, lon_col : str, optional
        CSV coordinate columns (detected when not given).

    Returns
    -------
    ReadResult
    """
    if fmt not in FORMATS:
        msg = f"unknown import format {fmt!r}: expected one of {', '.join(FORMATS)}"
        raise InputError(msg)
    _check_size(len(data), name)
    text, cp1252_lines = decode_text(data, name)
    del data  # only the text is kept from here
    _refuse_unsupported(name, text)
    kind = fmt if fmt != "auto" else _guess(name, text)
    if kind == "csv":
        result = read_csv(text, name, lat_col, lon_col, max_rows=max_features())
    else:
        result = _read_json(text, name, kind)
    if cp1252_lines:
        shown = ", ".join(str(n) for n in cp1252_lines[:10])
        more = "..." if len(cp1252_lines) > 10 else ""
        result.notes.append(f"lines {shown}{more} are not UTF-8 and were read as "
                            "Windows-1252")
    _check_count(result, name)
    return result


def _read_json(text: str, name: str, kind: str) -> ReadResult:
    doc = parse_json(text, name, max_features())
    found = json_kind(doc)
    if kind == "json":
        kind = found or "geojson"
    if kind != found and found is not None:
        msg = f"{name} looks like {found}, not {kind}: use --format {found} or auto"
        raise DataFileError(msg)
    readers = {"geojson": read_geojson, "umap": read_umap, "overpass": read_overpass}
    if found is None and kind in ("umap", "overpass"):
        msg = f"{name} is JSON but not a {kind} file"
        raise DataFileError(msg)
    return readers[kind](doc, name)


def _check_count(result: ReadResult, name: str) -> None:
    total = len(result.features) + len(result.rejected)
    cap = max_features()
    if total > cap:
        msg = f"{name} has {total} features, over the limit of {cap} (BUURTKAART_MAX_FEATURES)"
        raise DataFileError(msg)
    if total == 0:
        msg = f"{name} contains no features"
        raise DataFileError(msg)
