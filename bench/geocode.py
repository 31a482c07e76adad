"""Benchmark: the offline geocoder's index build, query and batch speed, and its hit rates.

In one run, on the shared Brussels extracts:

* index build from the PBF, against the floor: one bare pyosmium pass over the
  same file with node locations (what any reader of the file must pay);
* loading the cached index (pickle) in a fresh memory cache;
* one query on a warm index (median and 95th percentile over the labelled
  queries), against a naive geocoder on the same index that scans every
  street name with rapidfuzz for each query (no exact-key dictionary);
* a batch of 1,000 addresses (the labelled queries, cycled);
* the hit rate and precision per kind of the labelled set
  (``bench/geocode_set.py``, fixed seed) on the 2012 and 2013 extracts.

Usage: ``python bench/geocode.py [--n 100] [--seed 13]``.
Needs the shared Brussels data (``../shared/data``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geocode_set  # noqa: E402
import osmium  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from buurtkaart import settings  # noqa: E402
from buurtkaart._errors import GeocodeError  # noqa: E402
from buurtkaart.core.address import GeocodeIndex, geocode_offline, parse_address  # noqa: E402
from buurtkaart.sources import addresses  # noqa: E402


def timed(func: Any) -> tuple[float, Any]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def bare_pass(pbf: Path) -> int:
    """The floor: iterate the file once with node locations, doing nothing."""
    count = 0
    for _ in osmium.FileProcessor(str(pbf)).with_locations():
        count += 1
    return count


def naive(query: str, index: GeocodeIndex) -> tuple[float, float] | None:
    """A naive geocoder: scan every street key with rapidfuzz, then the number."""
    parsed = parse_address(query)
    best = None
    for key in parsed.streets:
        hit = process.extractOne(key, list(index.streets), scorer=fuzz.ratio, score_cutoff=85)
        if hit and (best is None or hit[1] > best[1]):
            best = hit
    if best is None:
        return None
    for p in index.numbers.get(str(best[0]), []):
        if parsed.number and f"{p.number}{p.suffix}" == parsed.number:
            return p.lat, p.lon
    entry = index.streets[str(best[0])][0]
    return entry.lat, entry.lon


def per_query(queries: list[str], func: Any, index: GeocodeIndex) -> list[float]:
    """Seconds per query."""
    times = []
    for q in queries:
        start = time.perf_counter()
        with contextlib.suppress(GeocodeError):
            func(q, index)
        times.append(time.perf_counter() - start)
    return times


def speed(pbf: Path, queries: list[str]) -> GeocodeIndex:
    """Print build, load, query and batch figures for one extract; return the index."""
    build_s, index = timed(lambda: addresses.build_index(pbf))
    bare_s, _ = timed(lambda: bare_pass(pbf))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BUURTKAART_CACHE_DIR"] = tmp
        addresses.clear_memory()
        timed(lambda: addresses.load_index(pbf))  # builds and writes the pickle
        addresses.clear_memory()
        load_s, _ = timed(lambda: addresses.load_index(pbf))
    ours = per_query(queries, geocode_offline, index)
    theirs = per_query(queries, naive, index)
    batch = (queries * (1000 // len(queries) + 1))[:1000]
    batch_s, _ = timed(lambda: per_query(batch, geocode_offline, index))
    med, p95 = statistics.median(ours), sorted(ours)[int(0.95 * len(ours))]
    naive_med = statistics.median(theirs)
    print(f"  index build      : {build_s:7.2f} s   bare pyosmium pass {bare_s:5.2f} s   "
          f"ratio {build_s / bare_s:4.1f} x")
    print(f"  cached load      : {load_s * 1000:7.1f} ms (pickle)")
    print(f"  one query (warm) : {med * 1000:7.2f} ms median, {p95 * 1000:.2f} ms p95 "
          f"(goal < 50 ms)   naive scan {naive_med * 1000:.2f} ms   "
          f"speed-up {naive_med / med:4.1f} x")
    print(f"  batch of 1,000   : {batch_s:7.2f} s (goal < 5 s)")
    return index


def hit_rates(index: GeocodeIndex, cases: list[Any], truth: Any, communes: Any) -> None:
    """Print the hit rate and precision per kind, and the first misses."""
    scores = geocode_set.evaluate(index, cases, truth, communes, geocode_offline)
    asked = sum(s.asked for s in scores.values())
    right = sum(s.right for s in scores.values())
    print(f"  {'kind':14s} {'cases':>5s} {'hit rate':>9s} {'precision':>10s}")
    for kind, s in scores.items():
        print(f"  {kind:14s} {s.asked:5d} {s.hit_rate:9.1%} {s.precision:10.1%}")
    print(f"  {'overall':14s} {asked:5d} {right / asked:9.1%}")
    for kind, s in scores.items():
        for miss in s.misses[:2]:
            print(f"    miss [{kind}] {miss[:150]}")


def main() -> None:
    """Run the benchmark on both extracts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="cases per kind (default 100)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    data = settings.shared_data_dir() / "brussels"
    boundaries = data / "communes-and-quarters.geojson"
    for year in ("2012", "2013"):
        pbf = data / f"brussels-{year}-01-01.osm.pbf"
        cases, truth, communes = geocode_set.labelled_set(pbf, boundaries, args.seed, args.n)
        print(f"{pbf.name}: {len(cases)} labelled cases (seed {args.seed})")
        index = speed(pbf, [c.query for c in cases])
        hit_rates(index, cases, truth, communes)


if __name__ == "__main__":
    main()
