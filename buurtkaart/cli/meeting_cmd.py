"""``buurtkaart diff | agenda ics | meeting report|since | osm update``: team meeting commands.

Exit codes: 0 success, 2 bad value (area, RRULE, unknown map), 4 unreadable
extract, 8 address not found, 9 store unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.auth.guard import GuardedStore, open_guarded
from buurtkaart.cli import osm_cmd
from buurtkaart.core.area import Area
from buurtkaart.geocode import geocode
from buurtkaart.i18n import t
from buurtkaart.meeting.actor_osm import actor_changes, kept_keys
from buurtkaart.meeting.agenda import to_ics
from buurtkaart.meeting.collect import MeetingView, gather
from buurtkaart.meeting.diff import DiffResult, diff_places, ensure_newer
from buurtkaart.meeting.sentences import sentence
from buurtkaart.meeting.signals import draft_signals
from buurtkaart.places import read_places
from buurtkaart.sources.extent import ensure_file_covers, is_osm_extract
from buurtkaart.sources.osmtime import extract_time
from buurtkaart.views.meeting_report import meeting_pdf

_OSM_SUFFIXES = (".pbf", ".osm", ".bz2", ".gz")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``diff``, ``agenda`` and ``meeting``."""
    d = sub.add_parser("diff", help="new, gone and changed places between two OSM extracts",
                       description="Compare two extracts (or GeoJSON exports) of one area.")
    d.add_argument("old", type=Path, metavar="OLD", help="previous extract or GeoJSON")
    d.add_argument("new", type=Path, metavar="NEW", help="newer extract or GeoJSON")
    where = d.add_mutually_exclusive_group(required=True)
    where.add_argument("--lat", type=float, metavar="LAT", help="centre latitude (with --lon)")
    where.add_argument("--address", metavar="TEXT",
                       help="centre address (geocoded offline on an OSM extract)")
    d.add_argument("--lon", type=float, metavar="LON", help="centre longitude (with --lat)")
    d.add_argument("--radius", type=float, default=1000.0, metavar="METRES",
                   help="circle radius (default 1000)")
    d.add_argument("--format", choices=("json", "table"), default="json")
    d.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    d.add_argument("--drafts", action="store_true",
                   help="print draft signals (JSON list) instead of the diff")
    d.set_defaults(func=cmd_diff)

    a = sub.add_parser("agenda", help="neighbourhood agenda").add_subparsers(
        dest="agenda_command", metavar="ACTION", required=True)
    ics = a.add_parser("ics", help="export a map's agenda as an iCalendar file")
    _store_args(ics)
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    ics.set_defaults(func=cmd_agenda_ics)

    m = sub.add_parser("meeting", help="team meeting").add_subparsers(
        dest="meeting_command", metavar="ACTION", required=True)
    rep = m.add_parser("report", help="print the meeting report as PDF (offline)")
    _store_args(rep)
    _view_args(rep)
    rep.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    rep.add_argument("--osm-file", type=Path, metavar="PATH",
                     help="extract for the streets under the map image")
    rep.set_defaults(func=cmd_meeting_report)
    since = m.add_parser("since", help="what changed since the previous meeting")
    _store_args(since)
    _view_args(since)
    since.add_argument("--format", choices=("json", "table"), default="table")
    since.set_defaults(func=cmd_meeting_since)
    osm_cmd.register(sub)


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", default=None,
                   help="store URL or file (default: BUURTKAART_DB)")
    p.add_argument("--map", required=True, metavar="NAME", help="map name or id")
    p.add_argument("--user", metavar="NAME", default=None,
                   help="acting user (default: BUURTKAART_USER)")


def _view_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None,
                   help="day of the meeting (default today)")
    p.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    p.add_argument("--worker", metavar="NAME", default=None, help="only this worker's changes")
    p.add_argument("--months", type=int, default=3,
                   help="follow up actors without contact for longer (default 3)")


def _area(args: argparse.Namespace) -> Area:
    if args.address is not None:
        osm = [p for p in (args.new, args.old) if p.name.lower().endswith(_OSM_SUFFIXES)]
        hit = geocode(args.address, osm_file=osm[0] if osm else None)
        return Area.circle(hit.lat, hit.lon, args.radius)
    if args.lon is None:
        msg = "--lat needs --lon (or give --address)"
        raise InputError(msg)
    return Area.circle(args.lat, args.lon, args.radius)


def check_order(old: Path, new: Path) -> str:
    """Refuse ``new`` when it is an older OSM extract than ``old``; return the basis used.

    The basis is ``"header"`` (file header timestamps), ``"data"`` (newest
    object), mixed, or ``"none"`` (no timestamps, or a GeoJSON: not checked).
    """
    if not (is_osm_extract(old) and is_osm_extract(new)):
        return "none"
    a, b = extract_time(old), extract_time(new)
    return ensure_newer((old.name, a.when, a.basis), (new.name, b.when, b.basis))


def run_diff(old: Path, new: Path, area: Area) -> DiffResult:
    """Check both files cover ``area`` and ``new`` is not older, read them, return the diff."""
    for path in (old, new):
        ensure_file_covers(path, area)
    basis = check_order(old, new)
    if basis == "none" and is_osm_extract(old) and is_osm_extract(new):
        print("buurtkaart: warning: neither the file headers nor the objects carry a "
              "timestamp; cannot check which extract is newer", file=sys.stderr)
    elif basis != "none":
        print(f"buurtkaart: extracts compared by {basis} timestamp", file=sys.stderr)
    return diff_places(read_places(old, area), read_places(new, area), area)


def cmd_diff(args: argparse.Namespace) -> int:
    """Handler of ``buurtkaart diff``."""
    result = run_diff(args.old, args.new, _area(args))
    if args.drafts:
        print(json.dumps(draft_signals(result, args.lang), ensure_ascii=False, indent=2))
    elif args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(result, args.lang)
    return 0


def _print_table(result: DiffResult, lang: str = "nl") -> None:
    rows = [("new", p.osm_id or "", p.category, p.name or "", "") for p in result.new]
    rows += [("gone", p.osm_id or "", p.category, p.name or "", "") for p in result.gone]
    rows += [(kind, c.new.osm_id or "", c.new.category, c.new.name or "",
              (f"{c.old.osm_id} -> " if c.old.osm_id != c.new.osm_id else "")
              + sentence(c, lang))
             for kind, changes in (("changed", result.changed), ("redrawn", result.redrawn),
                                   ("merged", result.merged))
             for c in changes]
    header = ("change", "osm_id", "category", "name", "details")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row[:4], widths, strict=True))
              + "  " + row[4])
    counts = result.counts()
    print(f"\n{counts['new']} new, {counts['gone']} gone, {counts['changed']} changed, "
          f"{counts['redrawn']} redrawn, {counts['merged']} merged, "
          f"{counts['unchanged']} unchanged")


def _day(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        msg = f"--date {value!r} is not a YYYY-MM-DD date"
        raise InputError(msg) from e


def cmd_agenda_ics(args: argparse.Namespace) -> int:
    """Handler of ``buurtkaart agenda ics``."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        the_map = store.get_map(args.map)
        data = to_ics(store.list_agenda(the_map["id"]), f"Buurtagenda {the_map['name']}")
    _write(args.output, data)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as e:
        msg = f"cannot write {path}: {e}"
        raise DataFileError(msg) from e


def _gather(args: argparse.Namespace, store: GuardedStore) -> MeetingView:
    view = gather(store, args.map, _day(args.date), lang=args.lang, worker=args.worker,
                  months=args.months)
    if view.osm_error:
        print(f"buurtkaart: warning: {view.osm_error}", file=sys.stderr)
    return view


def cmd_meeting_report(args: argparse.Namespace) -> int:
    """Handler of ``buurtkaart meeting report``."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        view = _gather(args, store)
        meetings = [m for m in store.list_meetings(view.map["id"])
                    if str(m["date"])[:10] == view.today.isoformat()]
    pdf = meeting_pdf(view, meetings[-1] if meetings else None, lang=args.lang,
                      osm_file=args.osm_file)
    _write(args.output, pdf)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def cmd_meeting_since(args: argparse.Namespace) -> int:
    """Handler of ``buurtkaart meeting since``."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        view = _gather(args, store)
        kept = kept_keys(store.list_signals(view.map["id"]))
    report = view.since
    touched = actor_changes(view.actors, view.diff, kept, args.lang)
    if args.format == "json":
        out = {"since": report.since, "first_meeting": report.first_meeting,
               "items": [vars(i) | {"users": list(i.users)} for i in report.items],
               "actor_changes": [{"actor_id": c.actor_id, "kind": c.kind, "key": c.key,
                                  "text": c.text, "distance_m": c.distance_m}
                                 for c in touched]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if touched:
        print(f"{t('osm_update.actors_heading', args.lang)} ({len(touched)})")
        for change in touched:
            print(f"  {change.text}")
    if report.message():
        print(report.message())
    for section, items in report.by_section().items():
        print(f"\n{t(f'since.section.{section}', args.lang)} ({len(items)})")
        for item in items:
            print(f"  {item.title}" + (f": {item.detail}" if item.detail else ""))
    return 0
