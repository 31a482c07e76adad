"""``buurtkaart places`` and ``buurtkaart geocode``: the scriptable contract (docs/places.md).

Exit codes: 0 success (also for zero places), 2 usage or bad value, 4 missing or
unreadable file, 6 live source unreachable, 7 unknown area, 8 address not found.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.area import Area
from buurtkaart.geocode import GeocodeResult, geocode, geocode_batch
from buurtkaart.i18n import LANGS
from buurtkaart.places import (
    Place,
    category_counts,
    find_places,
    place_properties,
    places_to_geojson,
)
from buurtkaart.sources.boundaries import area_from_boundaries

CSV_FIELDS = ["osm_id", "name", "name_nl", "name_fr", "category", "category_label",
              "distance_m", "lat", "lon", "source", "tags"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``places`` and ``geocode``."""
    p = sub.add_parser("places", help="list the places around an address or point",
                       description="List categorised OSM places around a point, as GeoJSON or CSV.")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--address", metavar="TEXT", help="address to geocode")
    where.add_argument("--lat", type=float, metavar="LAT", help="latitude (WGS84)")
    p.add_argument("--lon", type=float, metavar="LON", help="longitude (with --lat)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--radius", type=float, default=None, metavar="METRES",
                      help="circle radius in metres (default 1000)")
    size.add_argument("--area", metavar="NAME", help="commune or quarter name (with --areas)")
    p.add_argument("--areas", type=Path, metavar="FILE", help="boundaries GeoJSON for --area")
    p.add_argument("--osm-file", type=Path, metavar="PATH",
                   help=".osm.pbf, .osm or GeoJSON; without it the live Overpass source is used")
    p.add_argument("--lang", choices=LANGS, default="nl", help="label language (default nl)")
    p.add_argument("--format", choices=("geojson", "csv"), default="geojson")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="output file (default stdout)")
    p.set_defaults(func=cmd_places)

    g = sub.add_parser("geocode", help="turn an address (or a file of them) into points",
                       description="Geocode an address offline (--osm-file) or with Nominatim. "
                       "With --batch FILE: one address per line, or a CSV column; one output "
                       "row per input with lat, lon, precision, label and the reason of a miss.")
    what = g.add_mutually_exclusive_group(required=True)
    what.add_argument("address", metavar="ADDRESS", nargs="?")
    what.add_argument("--batch", type=Path, metavar="FILE",
                      help="text file (one address per line) or CSV file (see --column)")
    g.add_argument("--column", metavar="NAME",
                   help="CSV column of the addresses (default: address/adres/adresse)")
    g.add_argument("--osm-file", type=Path, metavar="PATH", help="offline index source")
    g.add_argument("--json", action="store_true", help="print JSON (one object, or a list)")
    g.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="batch output file (default stdout)")
    g.set_defaults(func=cmd_geocode)


def _area(args: argparse.Namespace) -> Area | None:
    if args.area is None:
        if args.areas is not None:
            msg = "--areas FILE needs --area NAME"
            raise InputError(msg)
        return None
    if args.areas is None:
        msg = f"--area {args.area!r} needs --areas FILE (a boundaries GeoJSON)"
        raise InputError(msg)
    return area_from_boundaries(args.areas, args.area)


def cmd_places(args: argparse.Namespace) -> int:
    """Handle ``buurtkaart places``."""
    if (args.lat is None) != (args.lon is None) or (args.address and args.lon is not None):
        msg = "give --lat and --lon together, or --address alone"
        raise InputError(msg)
    area = _area(args)
    radius = 1000.0 if args.radius is None else args.radius
    places = find_places(args.lat, args.lon, address=args.address, radius_m=radius,
                         area=area, osm_file=args.osm_file)
    text = _render(places, args.format, args.lang)
    _write(text, args.output)
    _summary(places, args.output)
    return 0


def _render(places: list[Place], fmt: str, lang: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for p in places:
            row = {**place_properties(p, lang), "lat": p.lat, "lon": p.lon}
            row["tags"] = json.dumps(p.tags, ensure_ascii=False, sort_keys=True)
            writer.writerow(row)
        return buf.getvalue()
    return json.dumps(places_to_geojson(places, lang), ensure_ascii=False) + "\n"


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        msg = f"cannot write output file {output}: {e.strerror or e}"
        raise DataFileError(msg) from e


def _summary(places: list[Place], output: Path | None) -> None:
    if not places:
        print("buurtkaart: no places found in this area (empty collection written)",
              file=sys.stderr)
        return
    counts = ", ".join(f"{k} {v}" for k, v in category_counts(places).items())
    target = f" to {output}" if output else ""
    print(f"buurtkaart: {len(places)} places{target} ({counts})", file=sys.stderr)


def cmd_geocode(args: argparse.Namespace) -> int:
    """Handle ``buurtkaart geocode``: print latitude, longitude, precision and label."""
    if args.batch is not None:
        return _geocode_batch(args)
    hit = geocode(args.address, osm_file=args.osm_file)
    if args.json:
        print(json.dumps(_hit_dict(hit), ensure_ascii=False))
    else:
        print(f"{hit.lat:.7f}\t{hit.lon:.7f}\t{hit.precision}\t{hit.label}")
    return 0


def _hit_dict(hit: GeocodeResult) -> dict[str, object]:
    return {"lat": hit.lat, "lon": hit.lon, "precision": hit.precision, "label": hit.label,
            "commune": hit.commune, "source": hit.source}


BATCH_FIELDS = ["address", "lat", "lon", "precision", "label", "commune", "reason"]
ADDRESS_COLUMNS = ("address", "adres", "adresse", "addr")


def read_batch(path: Path, column: str | None) -> list[str]:
    """Return the addresses of a batch file: a CSV column, or one address per line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        msg = f"cannot read batch file {path}: {e.strerror or e}"
        raise DataFileError(msg) from e
    if column is None and path.suffix.lower() != ".csv":
        return [line.strip() for line in text.splitlines() if line.strip()]
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    wanted = column or next((f for f in fields if f.strip().lower() in ADDRESS_COLUMNS), None)
    if wanted is None or wanted not in fields:
        msg = (f"batch file {path} has no column {column or 'address'!r} "
               f"(columns: {', '.join(fields) or 'none'}); name it with --column")
        raise InputError(msg)
    return [(row.get(wanted) or "").strip() for row in reader]


def _geocode_batch(args: argparse.Namespace) -> int:
    rows = geocode_batch(read_batch(args.batch, args.column), osm_file=args.osm_file)
    records = []
    for row in rows:
        hit = row.result
        rec: dict[str, object] = {"address": row.query, "lat": "", "lon": "", "precision": "",
                                  "label": "", "commune": "", "reason": row.reason}
        if hit is not None:
            rec.update(lat=hit.lat, lon=hit.lon, precision=hit.precision, label=hit.label,
                       commune=hit.commune)
        records.append(rec)
    if args.json:
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=BATCH_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        text = buf.getvalue()
    _write(text, args.output)
    counts = Counter(r.result.precision if r.result else "miss" for r in rows)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"buurtkaart: {len(rows)} addresses ({summary or 'none'})", file=sys.stderr)
    return 0
