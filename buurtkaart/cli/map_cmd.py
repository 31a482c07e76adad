"""``buurtkaart map create|list|update|import|archive|delete`` (docs/store.md).

``map create ... --osm-file F --radius M|--walk MIN|--area NAME`` creates the map
and imports the places of its area in one command; ``map import`` makes a NEW
import of a map's area (so the OSM change detection compares two imports).
Exit codes as for the other store commands (2 bad value or refused, 9 store unusable).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from buurtkaart import walk
from buurtkaart._errors import InputError
from buurtkaart.auth.guard import GuardedStore, open_guarded
from buurtkaart.cli.store_cmd import (
    _common,
    _format,
    _print_json,
    _print_table,
    _sets,
    _user,
    _written,
    map_action,
)
from buurtkaart.core.area import Area
from buurtkaart.geocode import geocode
from buurtkaart.places import read_places
from buurtkaart.sources.boundaries import area_from_boundaries
from buurtkaart.store.types import Map


def _area_options(p: argparse.ArgumentParser) -> None:
    size = p.add_mutually_exclusive_group()
    size.add_argument("--radius", type=float, metavar="METRES", help="circle around the point")
    size.add_argument("--walk", type=int, metavar="MIN",
                      help="walking time from the point (streets of --osm-file)")
    size.add_argument("--area", metavar="NAME", help="commune or quarter of --areas FILE")
    p.add_argument("--areas", type=Path, metavar="FILE", help="boundaries GeoJSON for --area")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``map`` and its actions."""
    m = sub.add_parser("map", help="create, change, archive and delete maps").add_subparsers(
        dest="map_command", metavar="ACTION", required=True)
    c = m.add_parser("create", help="create a map for an organisation (and import its places)")
    _common(c, write=True)
    c.add_argument("--name", required=True, metavar="NAME")
    c.add_argument("--org-name", metavar="TEXT", default=None, help="default: --name")
    c.add_argument("--address", metavar="TEXT")
    c.add_argument("--osm-file", metavar="PATH",
                   help="extract: offline geocoding of --address, and the places of the area")
    c.add_argument("--lat", type=float, metavar="LAT")
    c.add_argument("--lon", type=float, metavar="LON")
    c.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    _area_options(c)
    c.set_defaults(func=cmd_map_create)
    ls = m.add_parser("list", help="list the maps of a store")
    _common(ls, write=False)
    ls.add_argument("--archived", action="store_true", help="also list archived maps")
    _format(ls)
    ls.set_defaults(func=cmd_map_list)
    _register_changes(m)


def _register_changes(m: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    up = map_action(m, "update", "move the organisation, change name, address or area",
                    cmd_map_update, write=True)
    up.add_argument("--name", metavar="NAME", help="new map name")
    up.add_argument("--org-name", metavar="TEXT")
    up.add_argument("--address", metavar="TEXT",
                    help="new address; geocoded with --osm-file unless --lat/--lon are given")
    up.add_argument("--osm-file", metavar="PATH", help="extract for geocoding and --walk")
    up.add_argument("--lat", type=float, metavar="LAT")
    up.add_argument("--lon", type=float, metavar="LON")
    up.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="any other map field (lang...)")
    up.add_argument("--if-version", type=int, metavar="N")
    _area_options(up)
    imp = map_action(m, "import", "import the places of the map's area again (a new import)",
                     cmd_map_import, write=True)
    imp.add_argument("--osm-file", required=True, metavar="PATH")
    arc = map_action(m, "archive", "archive a map (hidden, kept whole; admin)",
                     cmd_map_archive, write=True)
    arc.add_argument("--undo", action="store_true", help="bring an archived map back")
    dl = map_action(m, "delete", "delete a map, everything in it and its history (admin)",
                    cmd_map_delete, write=True)
    dl.add_argument("--confirm", metavar="NAME", help="the map's name, to confirm")


def area_of(args: argparse.Namespace, lat: float, lon: float, lang: str = "nl") -> Area | None:
    """Return the area asked for with ``--radius``/``--walk``/``--area`` (None: none asked)."""
    if args.radius is not None:
        return Area.circle(lat, lon, float(args.radius))
    if args.walk is not None:
        if not args.osm_file:
            msg = "--walk MIN needs --osm-file PATH (the streets to walk)"
            raise InputError(msg)
        found = walk.walking_areas(lat, lon, (args.walk,), osm_file=Path(args.osm_file))[0]
        if found.geometry.is_empty:
            msg = f"no street within {args.walk} minutes' walk of {lat:.5f}, {lon:.5f}"
            raise InputError(msg)
        return found.to_area(lang)
    if args.area is not None:
        if args.areas is None:
            msg = f"--area {args.area!r} needs --areas FILE (a boundaries GeoJSON)"
            raise InputError(msg)
        return area_from_boundaries(args.areas, args.area)
    if args.areas is not None:
        msg = "--areas FILE needs --area NAME"
        raise InputError(msg)
    return None


def import_area(store: GuardedStore, user: str, the_map: Map, osm_file: str,
                area: Area | None = None) -> tuple[str, int]:
    """Import the places of ``area`` (default the map's own) from ``osm_file``: a new import."""
    if area is None:
        if not the_map.get("area"):
            msg = f"map {the_map['name']!r} has no area: give --radius, --walk or --area"
            raise InputError(msg)
        area = Area.from_dict(the_map["area"])
    places = read_places(Path(osm_file), area=area)
    import_id = store.import_places(user, the_map["id"], places,
                                    source=f"file:{Path(osm_file).name}", area=area.to_dict())
    return import_id, len(places)


def _point(args: argparse.Namespace) -> tuple[float | None, float | None]:
    if args.lat is not None and args.lon is not None:
        return args.lat, args.lon
    if (args.lat is None) != (args.lon is None):
        msg = "give both --lat LAT and --lon LON"
        raise InputError(msg)
    if args.address is not None:
        if args.osm_file is None:
            msg = "--address needs --osm-file PATH (offline geocoding), or --lat and --lon"
            raise InputError(msg)
        found = geocode(args.address, args.osm_file)
        return found.lat, found.lon
    return None, None


def cmd_map_create(args: argparse.Namespace) -> int:
    """Create a map from a point or a geocoded address; import its places with an area."""
    lat, lon = _point(args)
    if lat is None or lon is None:
        msg = "give --lat LAT --lon LON, or --address TEXT --osm-file PATH"
        raise InputError(msg)
    area = area_of(args, lat, lon, args.lang)
    if area is not None and not args.osm_file:
        msg = "importing the places of an area needs --osm-file PATH"
        raise InputError(msg)
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        record = store.create_map(_user(args), name=args.name, org_name=args.org_name or args.name,
                                  lat=lat, lon=lon, address=args.address, lang=args.lang,
                                  area=area.to_dict() if area is not None else None)
        _written(record)
        if area is not None:
            import_id, count = import_area(store, _user(args), record, args.osm_file, area)
            print(f"import={import_id} places={count}")
    return 0


def cmd_map_list(args: argparse.Namespace) -> int:
    """List maps (archived ones with --archived)."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        maps = store.list_maps(include_archived=args.archived)
    if args.format == "json":
        _print_json(maps)
    else:
        _print_table(maps, ("id", "name", "org_name", "lat", "lon", "version", "archived_at"))
    return 0


def map_changes(args: argparse.Namespace, the_map: Map) -> dict[str, Any]:
    """Return the changes asked for by ``map update`` (point, texts, area, ``--set``)."""
    changes: dict[str, Any] = dict(_sets(args.set))
    for option, field in (("name", "name"), ("org_name", "org_name"), ("address", "address")):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    lat, lon = _point(args)
    if lat is not None and lon is not None:
        changes.update(lat=lat, lon=lon)
        if args.address is None:  # a moved point no longer sits at the typed address
            changes["address"] = f"{lat:.6f}, {lon:.6f}"
    centre_lat = changes.get("lat", the_map.get("lat"))
    centre_lon = changes.get("lon", the_map.get("lon"))
    area = None
    if centre_lat is not None and centre_lon is not None:
        area = area_of(args, float(centre_lat), float(centre_lon), str(the_map.get("lang") or "nl"))
    if area is not None:
        changes["area"] = area.to_dict()
    if not changes:
        msg = "nothing to change: give --name, --org-name, --address, --lat/--lon, an area or --set"
        raise InputError(msg)
    return changes


def cmd_map_update(args: argparse.Namespace) -> int:
    """Change a map: move the organisation, rename, new address or area (one event)."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        the_map = store.get_map(args.map)
        record = store.update_map(_user(args), the_map["id"], map_changes(args, the_map),
                                  if_version=args.if_version)
    return _written(record)


def cmd_map_import(args: argparse.Namespace) -> int:
    """Import the places of the map's area again from an extract (a new import)."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        the_map = store.get_map(args.map)
        import_id, count = import_area(store, _user(args), the_map, args.osm_file)
    print(f"import={import_id} places={count}")
    return 0


def cmd_map_archive(args: argparse.Namespace) -> int:
    """Archive a map, or bring it back with --undo."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        the_map = store.get_map(args.map)
        record = store.archive_map(_user(args), the_map["id"], archived=not args.undo)
    return _written(record)


def cmd_map_delete(args: argparse.Namespace) -> int:
    """Delete a map with everything in it; without --confirm, say what would be removed."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        the_map = store.get_map(args.map)
        if args.confirm is None:
            counts = store.map_contents(the_map["id"])
            what = ", ".join(f"{n} {k}" for k, n in counts.items())
            msg = (f"refused: deleting map {the_map['name']!r} removes {what}; "
                   f"repeat with --confirm {the_map['name']!r}")
            raise InputError(msg)
        summary = store.delete_map(_user(args), the_map["id"], confirm=args.confirm)
    removed = " ".join(f"{k}={n}" for k, n in summary["removed"].items())
    print(f"deleted={summary['id']} {removed}")
    return 0
