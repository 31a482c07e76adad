"""CSV export: one UTF-8 table, comma or semicolon, safe to open in Excel.

Rows are the organisation, the actors, the signals and the places, told apart by
the ``layer`` column; positions are ``lat``/``lon`` columns. Lists are joined
with ``|``. Every row repeats the provenance (profile, map, time, licence,
attribution). Text cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading apostrophe so spreadsheets show them as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from buurtkaart._errors import InputError

DELIMITERS = (",", ";")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE]-?\d+)?$")
_META_COLUMNS = ("export_profile", "export_map", "exported_at", "licence", "attribution")


def neutralise(value: str) -> str:
    """Return ``value`` made inert for spreadsheets (leading ``'`` before a formula start).

    Plain numbers such as ``-0.13`` are left alone.
    """
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def cell(value: Any) -> str:
    """Return the CSV text of one value (lists joined by ``|``, dicts as JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple):
        return neutralise("|".join(str(v) for v in value))
    if isinstance(value, dict):
        return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return neutralise(str(value))


def rows(collection: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Return (columns, rows) for the point features of a GeoJSON export collection."""
    meta = collection["buurtkaart"]
    columns: list[str] = ["layer", "id", "name"]
    out = []
    for feat in collection["features"]:
        geom = feat.get("geometry")
        if geom is not None and geom["type"] != "Point":
            continue  # relation lines and signal areas do not fit a table
        row = dict(feat["properties"])
        row["lon"], row["lat"] = geom["coordinates"] if geom else (None, None)
        for key in row:
            if key not in columns:
                columns.append(key)
        out.append(row)
    columns = [c for c in columns if c not in ("lat", "lon")] + ["lat", "lon"]
    stamp = {"export_profile": meta["profile"], "export_map": meta["map"].get("name"),
             "exported_at": meta["exported_at"], "licence": meta["licence"],
             "attribution": meta["attribution"]}
    for row in out:
        row.update(stamp)
    return columns + list(_META_COLUMNS), out


def to_csv_text(collection: dict[str, Any], delimiter: str = ",") -> str:
    """Return the CSV text of an export collection."""
    if delimiter not in DELIMITERS:
        msg = f"CSV delimiter {delimiter!r} is not supported: use ',' or ';'"
        raise InputError(msg)
    columns, table = rows(collection)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in table:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buf.getvalue()
