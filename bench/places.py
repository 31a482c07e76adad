"""Benchmark: buurtkaart's place reader vs OSMnx ``features_from_xml`` vs a bare pyosmium pass.

Same file, same area (a true circle), same tags (the taxonomy's), one run:

* buurtkaart ``read_places`` on the ``.osm.pbf``;
* OSMnx ``features_from_xml`` on the same data converted to ``.osm`` XML
  beforehand (the conversion is not timed);
* the floor: one bare pyosmium pass over the PBF with node locations and the
  same C++ key filter, doing nothing but iterate.

Usage: ``python bench/places.py [--file PBF] [--radius 1000] [--repeat 5]``.
Needs the shared Brussels data (``../shared/data``) unless ``--file`` is given.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buurtkaart import settings  # noqa: E402

MOLENBEEK = (50.8552, 4.3387)


def best_of(func: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Return (best, median, last result) of ``repeat`` timed calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def bare_pass(pbf: Path) -> int:
    """The floor: iterate the key-filtered objects with node locations, nothing else."""
    import osmium
    from osmium.filter import KeyFilter

    from buurtkaart.core.categories import filter_keys

    proc = osmium.FileProcessor(str(pbf)).with_locations().with_filter(KeyFilter(*filter_keys()))
    return sum(1 for _ in proc)


def osmnx_ids(xml: Path, area: object) -> set[str]:
    """Run OSMnx on the XML and return the ids our rules categorise inside the true circle."""
    import osmnx as ox

    from buurtkaart.core.categories import categorize
    from buurtkaart.sources._overpass import overpass_tags

    gdf = ox.features_from_xml(xml, polygon=area.geometry, tags=overpass_tags())  # type: ignore[attr-defined]
    cols = [c for c in gdf.columns if c not in {"geometry", "nodes", "ways"}]
    ids = set()
    for (element, osm_id), row, geom in zip(gdf.index, gdf[cols].to_dict("records"),
                                            gdf.geometry, strict=True):
        tags = {k: v for k, v in row.items() if isinstance(v, str)}
        if categorize(tags) and area.intersects(geom):  # type: ignore[attr-defined]
            ids.add(f"{element}/{osm_id}")
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--radius", type=float, default=1000.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--osmnx-repeat", type=int, default=1)
    args = parser.parse_args()
    pbf = args.file or settings.shared_data_dir() / "brussels" / "brussels-2013-01-01.osm.pbf"
    if not pbf.exists():
        print(f"bench/places.py: {pbf} is absent; this benchmark needs the shared Brussels "
              "data (../shared/data, see its README) or --file PBF", file=sys.stderr)
        return 2

    import osmium

    from buurtkaart.core.area import Area
    from buurtkaart.places import read_places

    area = Area.circle(*MOLENBEEK, args.radius)
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "extract.osm"
        writer = osmium.SimpleWriter(str(xml))
        osmium.apply(str(pbf), writer)  # conversion: not timed
        writer.close()
        read_places(pbf, area)  # warm-up: imports, taxonomy
        bare_pass(pbf)
        rounds_ours, rounds_bare = [], []
        ours: list = []
        for _ in range(args.repeat):  # interleaved, so load affects both alike
            t_bare, _, _ = best_of(lambda: bare_pass(pbf), 1)
            t_ours, _, result = best_of(lambda: read_places(pbf, area), 1)
            rounds_bare.append(t_bare)
            rounds_ours.append(t_ours)
            ours = result  # type: ignore[assignment]
        t_osmnx, _, theirs = best_of(lambda: osmnx_ids(xml, area), args.osmnx_repeat)

    ids_ours = {p.osm_id for p in ours}
    theirs_ids: set[str] = theirs  # type: ignore[assignment]
    coverage = len(ids_ours & theirs_ids) / max(1, len(theirs_ids))
    best_ours, best_bare = min(rounds_ours), min(rounds_bare)
    print(f"file {pbf.name}, circle {args.radius:g} m around {MOLENBEEK}, "
          f"repeat {args.repeat} (best of; medians in brackets)")
    print(f"  buurtkaart read_places : {best_ours:8.3f} s [{statistics.median(rounds_ours):.3f}]"
          f"  {len(ids_ours)} places")
    print(f"  bare pyosmium pass     : {best_bare:8.3f} s [{statistics.median(rounds_bare):.3f}]")
    print(f"  OSMnx features_from_xml: {t_osmnx:8.3f} s  {len(theirs_ids)} categorised features")
    speedup = t_osmnx / best_ours
    floor = best_ours / best_bare
    print(f"  speed-up vs OSMnx      : {speedup:8.1f} x   (goal >= 50 x)"
          f"  {'OK' if speedup >= 50 else 'MISSED'}")
    print(f"  ratio to bare pass     : {floor:8.2f} x   (goal <= 1.5 x)"
          f"  {'OK' if floor <= 1.5 else 'MISSED'}")
    print(f"  OSMnx ids found        : {coverage:8.1%}   (goal >= 98 %)"
          f"  {'OK' if coverage >= 0.98 else 'MISSED'}")
    missing = sorted(theirs_ids - ids_ours)
    if missing:
        print(f"  not found: {', '.join(missing[:10])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
