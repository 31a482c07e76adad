"""CLI: ``buurtkaart export`` and ``buurtkaart import``.

::

    buurtkaart export --db URL --map NAME --profile public|team|full
                      --format geojson|gpkg|csv [--relations] [--delimiter ,|;] -o FILE
    buurtkaart import FILE --db URL --map NAME [--dry-run]
                      [--format auto|geojson|csv|umap|overpass]
                      [--on-duplicate merge|skip] [--user NAME] [--osm-file PATH]

A CSV with an address column instead of latitude/longitude is geocoded with
the offline index of ``--osm-file`` (default ``BUURTKAART_OSM_FILE``); each
row's precision is printed, rows found only on the street or a square are
flagged to check, and addresses not found are skipped with their reason.

Exit codes: 0 done, 2 usage or bad value, 4 unreadable file or no valid
feature, 5 permission refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from buurtkaart import settings
from buurtkaart._errors import DataFileError
from buurtkaart.auth.guard import GuardedStore, open_guarded
from buurtkaart.exchange import profiles
from buurtkaart.exchange.dedupe import ON_DUPLICATE
from buurtkaart.exchange.readers import FORMATS
from buurtkaart.exchange.service import (
    EXPORT_FORMATS,
    export_map,
    import_file,
    offline_geocoder,
)

if TYPE_CHECKING:
    from buurtkaart.auth.guard import GuardedStore


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``export`` and ``import``."""
    exp = sub.add_parser("export", help="export a map as GeoJSON, GeoPackage or CSV")
    exp.add_argument("--db", default=None, help="store URL (default: BUURTKAART_DB)")
    exp.add_argument("--map", required=True, help="map name or id")
    exp.add_argument("--profile", required=True, choices=profiles.PROFILES)
    exp.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="fmt")
    exp.add_argument("--relations", action="store_true",
                     help="GeoJSON: add relation lines (organisation -> actor, actor -> actor)")
    exp.add_argument("--delimiter", default=",", choices=(",", ";"),
                     help="CSV delimiter (';' for Belgian Excel)")
    exp.add_argument("--user", default=None, help="acting user (default: BUURTKAART_USER)")
    exp.add_argument("-o", "--output", required=True, help="output file")
    exp.set_defaults(func=run_export)

    imp = sub.add_parser("import", help="import GeoJSON, CSV, uMap or Overpass data as actors")
    imp.add_argument("file", help="file to import")
    imp.add_argument("--db", default=None, help="store URL (default: BUURTKAART_DB)")
    imp.add_argument("--map", required=True, help="map name or id")
    imp.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    imp.add_argument("--format", default="auto", choices=FORMATS, dest="fmt")
    imp.add_argument("--on-duplicate", default="merge", choices=ON_DUPLICATE)
    imp.add_argument("--user", default=None, help="acting user (default: BUURTKAART_USER)")
    imp.add_argument("--osm-file", type=Path, default=None, metavar="PATH",
                     help="OSM extract whose offline index geocodes a CSV address column "
                          "(default: BUURTKAART_OSM_FILE)")
    imp.set_defaults(func=run_import)


def _open(db: str | None, user: str | None) -> tuple[GuardedStore, str]:
    """Open the store seen through the rule table for the acting user."""
    store = open_guarded(db, user)
    return store, store.user


def run_export(args: argparse.Namespace) -> int:
    """Handle ``buurtkaart export``."""
    store, _ = _open(args.db, args.user)
    try:
        data = export_map(store, args.map, args.profile, args.fmt, args.relations,
                          args.delimiter)
    finally:
        store.close()
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as e:
        msg = f"cannot write {out}: {e.strerror or e}"
        raise DataFileError(msg) from e
    print(f"{out}: {args.profile} {args.fmt} export of map {args.map!r} ({len(data)} bytes)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Handle ``buurtkaart import``: print imported / skipped (with reasons) / merged."""
    osm_file = args.osm_file or settings.get("BUURTKAART_OSM_FILE") or None
    geocode = offline_geocoder(osm_file) if osm_file else None
    store, user = _open(args.db, args.user)
    try:
        report = import_file(store, args.map, args.file, user, args.dry_run, args.fmt,
                             args.on_duplicate, geocode=geocode)
    finally:
        store.close()
    for line in report.lines():
        print(line, file=sys.stdout)
    return 0
