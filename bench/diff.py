"""Benchmark: the OSM diff (id + redrawn matching) against two peers, in one run.

Same two region extracts (Brussels 2012 and 2013), same circle, places read once:

* ``read``: reading the places of both extracts in the circle (``read_places``);
* ``diff``: :func:`buurtkaart.meeting.diff.diff_places` (id, then redrawn pairs);
* ``id-only``: the previous diff (id match + name match of id-less places only);
* ``naive``: the same redrawn rules checked on every old x new pair (O(n*m));
* ``osc``: applying an OsmChange file to a map's area cut (``osm update --changes``):
  the 2012 -> 2013 change of the circle's box (``osmium extract`` + ``osmium
  derive-changes``, after marking changed objects with version 1: the shared files
  have no versions) -- a year of edits, far more than a day's -- merged into the
  2012 cut, cut again to the area, its places read and diffed with the 2012 places.

Usage: ``python bench/diff.py [--radius 1000] [--repeat 5] [--lat LAT --lon LON]``.
Needs the shared Brussels data (``../shared/data``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import osmium  # noqa: E402

from buurtkaart import settings  # noqa: E402
from buurtkaart.core.area import Area  # noqa: E402
from buurtkaart.core.geo import distance_m  # noqa: E402
from buurtkaart.core.place import Place  # noqa: E402
from buurtkaart.meeting import match  # noqa: E402
from buurtkaart.meeting.diff import diff_places  # noqa: E402
from buurtkaart.places import read_places  # noqa: E402
from buurtkaart.sources import osmchange  # noqa: E402
from buurtkaart.sources.common import margin_bbox  # noqa: E402

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


def _signature(obj: object) -> tuple[object, ...]:
    o: Any = obj
    tags = tuple(sorted((t.k, t.v) for t in o.tags))
    if o.is_node():
        return (tags, round(o.location.lat, 7), round(o.location.lon, 7))
    if o.is_way():
        return (tags, tuple(n.ref for n in o.nodes))
    return (tags, tuple((m.type, m.ref, m.role) for m in o.members))


def change_files(files: list[Path], area: Area, folder: Path) -> tuple[Path, Path]:
    """Cut both extracts to the area's box and derive the change; return (2012 cut, osc)."""
    west, south, east, north = margin_bbox(area, 0.002)
    box = f"{west},{south},{east},{north}"
    cuts = [folder / f"cut-{i}.osm.pbf" for i in (0, 1)]
    for src, cut in zip(files, cuts, strict=True):
        subprocess.run(["osmium", "extract", "-b", box, "-s", "smart", str(src), "-o",
                        str(cut), "--overwrite"], check=True, capture_output=True)
    before = {(o.type_str(), o.id): _signature(o) for o in osmium.FileProcessor(str(cuts[0]))}
    versioned = folder / "cut-1v.osm.pbf"
    writer = osmium.SimpleWriter(str(versioned))
    for obj in osmium.FileProcessor(str(cuts[1])):
        key = (obj.type_str(), obj.id)
        changed = key in before and before[key] != _signature(obj)
        writer.add(obj.replace(version=1) if changed else obj)  # type: ignore[union-attr]
    writer.close()
    osc = folder / "year.osc.gz"
    subprocess.run(["osmium", "derive-changes", "--increment-version", str(cuts[0]),
                    str(versioned), "-o", str(osc), "--overwrite"], check=True,
                   capture_output=True)
    return cuts[0], osc


def apply_osc(base: Path, osc: Path, area: Area, old: list[Place], out: Path) -> object:
    """What ``osm update --changes`` does after the checks: merge, cut, read, diff."""
    osmchange.update_cut(base, [osc], area, out)
    return diff_places(old, read_places(out, area), area)


def osc_rows(files: list[Path], area: Area, tmp: Path,
             repeat: int) -> list[tuple[str, float, float, str]]:
    """Time ``osm update --changes`` on a kept cut, and the weekly re-cut on its own."""
    raw, osc = change_files(files, area, tmp)
    base = osmchange.cut_area(raw, area, tmp / "base.osm.pbf")  # as kept after an import
    old_cut = read_places(base, area)
    out = tmp / "out.osm.pbf"
    t, m, d = best_of(lambda: apply_osc(base, osc, area, old_cut, out), repeat)
    c = d.counts()  # type: ignore[attr-defined]
    day = tmp / "day.osc.gz"  # every 50th object of the year's change: a busy day
    writer = osmium.SimpleWriter(str(day))
    for i, obj in enumerate(osmium.FileProcessor(str(osc))):
        if i % 50 == 0:
            writer.add(obj)
    writer.close()
    t_day, m_day, _ = best_of(lambda: apply_osc(base, day, area, old_cut, out), repeat)
    t_cut, m_cut, _ = best_of(lambda: osmchange.cut_area(out, area, tmp / "recut.osm.pbf"),
                              repeat)
    kb = f"{osc.stat().st_size // 1024} kB osc, cut {base.stat().st_size // 1024} kB"
    return [("apply a year's OsmChange to the area cut + read + diff", t, m,
             f"{kb}; gone {c['gone']}, new {c['new']}, changed {c['changed']}"),
            ("apply a day-sized OsmChange (1/50 of it) + read + diff", t_day, m_day,
             f"{day.stat().st_size // 1024} kB osc"),
            (f"re-cut to the area (every {osmchange.RECUT_EVERY} updates)", t_cut, m_cut, "")]


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
    if shutil.which("osmium"):
        with tempfile.TemporaryDirectory() as tmp:
            rows += osc_rows(files, area, Path(tmp), args.repeat)
    else:
        print("osmium-tool absent: the OsmChange step is skipped", file=sys.stderr)
    print(f"radius {args.radius:.0f} m at {args.lat}, {args.lon}; best of {args.repeat}\n")
    print("| step | best s | median s | result |\n|---|---:|---:|---|")
    for name, best, med, what in rows:
        print(f"| {name} | {best:.4f} | {med:.4f} | {what} |")
    print(f"\ndiff_places / id-only: {t / t_id:.1f}x; naive / diff_places: {t_nv / t:.1f}x; "
          f"read + diff: {t_read + t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
