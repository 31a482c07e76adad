"""``buurtkaart report``: the insights of a map as JSON or Markdown.

::

    buurtkaart report --db URL --map NAME [--format json|md] [--walk-minutes 5,10,15]
                      [--osm-file PATH] [--speed KMH] [--months N] [--today YYYY-MM-DD]
                      [--lang nl|fr|en] [--output FILE]

The JSON shape is documented in ``docs/insights.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from buurtkaart import settings
from buurtkaart._errors import DataFileError, InputError
from buurtkaart.auth.guard import open_guarded
from buurtkaart.core import vocab
from buurtkaart.insights import build_report, load_map_data, render_markdown, safe_walking
from buurtkaart.walk import parse_minutes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``report``."""
    p = sub.add_parser("report", help="insights of a map: island score, coverage, bridges...",
                       description="Who are we missing, are we an island, how far do we "
                                   "reach on foot: the insights of one map.")
    p.add_argument("--db", default=None, help="store URL (default: BUURTKAART_DB)")
    p.add_argument("--user", default=None, help="acting user (default: BUURTKAART_USER)")
    p.add_argument("--map", required=True, help="map name or id")
    p.add_argument("--format", choices=("json", "md"), default="json")
    p.add_argument("--walk-minutes", default="5,10,15",
                   help="walking times in minutes, comma-separated (default 5,10,15); "
                        "'none' to skip walking areas")
    p.add_argument("--osm-file", type=Path, default=None,
                   help="extract for the street network (and places when the map has no "
                        "import); default BUURTKAART_OSM_FILE or the demo extract")
    p.add_argument("--speed", type=float, default=None,
                   help="walking speed in km/h (default BUURTKAART_WALK_SPEED_KMH; 3 for seniors)")
    p.add_argument("--months", type=int, default=6,
                   help="a tie is neglected after this many months without contact (default 6)")
    p.add_argument("--today", default=None, help="reference date YYYY-MM-DD (default today)")
    p.add_argument("--lang", choices=vocab.LANGS, default=None,
                   help="language of the Markdown (default: the map's language)")
    p.add_argument("--output", "-o", type=Path, default=None, help="write to FILE, not stdout")
    p.set_defaults(func=handle)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        msg = f"--today {value!r} is not a date YYYY-MM-DD"
        raise InputError(msg) from err


def handle(args: argparse.Namespace) -> int:
    """Build the report and print or write it."""
    today = _today(args.today)
    if args.months < 0:
        msg = f"--months {args.months} must be 0 or more"
        raise InputError(msg)
    if args.speed is not None and not 0.5 <= args.speed <= 10:
        msg = f"--speed {args.speed:g} km/h is not a walking speed between 0.5 and 10"
        raise InputError(msg)
    if args.osm_file is not None and not args.osm_file.is_file():
        msg = f"--osm-file {args.osm_file} does not exist"
        raise DataFileError(msg)
    skip_walk = args.walk_minutes.strip().lower() in {"none", "0", ""}
    minutes = () if skip_walk else parse_minutes(args.walk_minutes)
    store = open_guarded(args.db or settings.get("BUURTKAART_DB"), getattr(args, "user", None))
    data = load_map_data(store, args.map, args.osm_file)
    areas, error = ([], "skipped") if skip_walk else safe_walking(
        data, minutes, args.osm_file, args.speed)
    report = build_report(data, today=today, months=args.months, walking=areas,
                          walking_error=error)
    if args.format == "md":
        text = render_markdown(report, args.lang or str(data.map.get("lang") or "nl"))
    else:
        text = json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
