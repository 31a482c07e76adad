"""``buurtkaart osm update``: apply OsmChange files (or replication diffs) to a map's area.

Exit codes: 0 success (also when nothing is new), 2 bad value (no import, no
base, no replication URL), 4 unreadable file, 6 replication server unreachable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from buurtkaart.auth.guard import open_guarded
from buurtkaart.meeting.osm_update import UpdateResult, apply_change_files, apply_replication


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``osm update``."""
    o = sub.add_parser("osm", help="keep a map's OSM places up to date").add_subparsers(
        dest="osm_command", metavar="ACTION", required=True)
    u = o.add_parser("update", help="apply an OsmChange file (or the replication diffs) "
                     "to the map's last import, as draft signals",
                     description="Apply OsmChange files to the OSM data of the map's last "
                     "import (its area only), keep the result as the next import and print "
                     "its draft signals. With --online, fetch the replication diffs from "
                     "BUURTKAART_REPLICATION_URL instead.")
    what = u.add_mutually_exclusive_group(required=True)
    what.add_argument("--changes", type=Path, nargs="+", metavar="FILE.osc[.gz]",
                      help="OsmChange files, oldest first")
    what.add_argument("--online", action="store_true",
                      help="fetch the replication diffs (BUURTKAART_REPLICATION_URL)")
    u.add_argument("--base", type=Path, metavar="FILE",
                   help="the extract the last import was read from (when none is kept)")
    u.add_argument("--db", metavar="URL", default=None,
                   help="store URL or file (default: BUURTKAART_DB)")
    u.add_argument("--map", required=True, metavar="NAME", help="map name or id")
    u.add_argument("--user", metavar="NAME", default=None,
                   help="acting user (default: BUURTKAART_USER)")
    u.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    u.add_argument("--format", choices=("drafts", "diff"), default="drafts",
                   help="print the draft signals (default) or the diff JSON")
    u.set_defaults(func=cmd_osm_update)


def cmd_osm_update(args: argparse.Namespace) -> int:
    """Handler of ``buurtkaart osm update``."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        user = store.user
        if args.online:
            result = apply_replication(store, user, args.map, base=args.base, lang=args.lang)
        else:
            result = apply_change_files(store, user, args.map, args.changes, base=args.base,
                                        lang=args.lang)
    _report(result, args.format)
    return 0


def _report(result: UpdateResult, fmt: str) -> None:
    if result.diff is None:
        print("buurtkaart: nothing new on the replication server", file=sys.stderr)
        print("[]")
        return
    out = result.drafts if fmt == "drafts" else result.diff.to_json()
    print(json.dumps(out, ensure_ascii=False, indent=2))
    counts = result.diff.counts()
    seq = f", replication sequence {result.sequence}" if result.sequence is not None else ""
    print(f"buurtkaart: import {result.import_id}: {counts['new']} new, {counts['gone']} "
          f"gone, {counts['changed']} changed, {counts['redrawn']} redrawn{seq}",
          file=sys.stderr)
