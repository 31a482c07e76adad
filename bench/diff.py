"""Benchmark: the OSM diff (id + redrawn matching) against two peers, in one run.

Same two region extracts (Brussels 2012 and 2013), same circle, places read once:

* ``read``: reading the places of both extracts in the circle (``read_places``);
* ``diff``: :func:`buurtkaart.meeting.diff.diff_places` (id, then redrawn pairs);
* ``id-only``: the previous diff (id match + name match of id-less places only);
* ``naive``: the same redrawn rules checked on every old x new pair (O(n*m)).

Usage: ``python bench/diff.py [--radius 1000] [--repeat 5] [--lat LAT --lon LON]``.
Needs the shared Brussels data (``../shared/data``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buurtkaart import settings  # noqa: E402
from buurtkaart.core.area import Area  # noqa: E402
from buurtkaart.core.geo import distance_m  # noqa: E402
from buurtkaart.core.place import Place  # noqa: E402
from buurtkaart.meeting import match  # noqa: E402
from buurtkaart.meeting.diff import diff_places  # noqa: E402
from buurtkaart.places import read_places  # noqa: E402

BOURSE = (50.8484, 4.3497)


def best_of(func: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Return (best, median, last result) of ``repeat`` timed calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def id_only(old: list[Place], new: list[Place]) -> tuple[int, int]:
    """The previous diff: id match, then name + category for id-less places."""
    _pairs, rest_old, rest_new = match.match_by_id(old, new)
    _pairs, gone, added = match.match_by_name(rest_old, rest_new, 30.0)
    return len(gone), len(added)


def naive(old: list[Place], new: list[Place]) -> tuple[int, int]:
    """The redrawn rules on every pair of leftovers (no buckets), nearest first."""
    _pairs, rest_old, rest_new = match.match_by_id(old, new)
    shapes = match.Shapes()
    cands = []
    for i, a in enumerate(rest_old):
        for j, b in enumerate(rest_new):
            dist = distance_m(a.lat, a.lon, b.lat, b.lon)
            if a.osm_id != b.osm_id and match.same_place(a, b, shapes, dist):
                cands.append((dist, i, j))
    _pairs, gone, added = match.greedy(rest_old, rest_new, cands)
    return len(gone), len(added)


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--radius", type=float, default=1000.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lat", type=float, default=BOURSE[0])
    ap.add_argument("--lon", type=float, default=BOURSE[1])
    args = ap.parse_args()
    data = settings.shared_data_dir() / "brussels"
    files = [data / f"brussels-{y}-01-01.osm.pbf" for y in (2012, 2013)]
    if not all(f.exists() for f in files):
        print(f"shared data absent in {data}", file=sys.stderr)
        return 1
    area = Area.circle(args.lat, args.lon, args.radius)
    t_read, m_read, both = best_of(lambda: [read_places(f, area) for f in files],
                                   max(1, args.repeat // 2))
    old, new = both  # type: ignore[misc]
    rows = [("read both extracts (circle)", t_read, m_read, f"{len(old)} / {len(new)} places")]
    t, m, d = best_of(lambda: diff_places(old, new, area), args.repeat)
    counts = d.counts()  # type: ignore[attr-defined]
    rows.append(("diff_places (id + redrawn)", t, m,
                 f"gone {counts['gone']}, new {counts['new']}, redrawn "
                 f"{counts['redrawn']} + changed {counts['changed']}"))
    t_id, m_id, r_id = best_of(lambda: id_only(old, new), args.repeat)
    rows.append(("peer: id-only diff (before)", t_id, m_id, f"gone/new {r_id}"))
    t_nv, m_nv, r_nv = best_of(lambda: naive(old, new), max(1, args.repeat // 2))
    rows.append(("peer: naive O(n*m) redrawn", t_nv, m_nv, f"gone/new {r_nv}"))
    print(f"radius {args.radius:.0f} m at {args.lat}, {args.lon}; best of {args.repeat}\n")
    print("| step | best s | median s | result |\n|---|---:|---:|---|")
    for name, best, med, what in rows:
        print(f"| {name} | {best:.4f} | {med:.4f} | {what} |")
    print(f"\ndiff_places / id-only: {t / t_id:.1f}x; naive / diff_places: {t_nv / t:.1f}x; "
          f"read + diff: {t_read + t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
