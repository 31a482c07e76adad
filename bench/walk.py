"""Benchmark of the walking areas (5, 10, 15 min) on the Brussels region extract, in one run.

buurtkaart: one pyosmium pass over the ``.osm.pbf`` clipped to a box around the
origin, a CSR graph, one Dijkstra with cutoff and buffered street pieces.
Measured:

- cold: empty memory and disk caches (file hash + read + graph + areas);
- disk-cached graph: memory cleared, the pickled graph reloaded;
- memory-cached graph: the polygons recomputed on the cached graph;
- fully cached: the same request again (result LRU).

Naive peer, measured in the same run: on every request build the whole region's
OSMnx graph with ``osmnx.graph_from_xml`` (the PBF is converted to ``.osm`` XML
beforehand with pyosmium; the conversion is not counted), then per minute value
``networkx.ego_graph`` by length from the nearest node and the reached edges
buffered by the same 30 m.

Goals: < 2 s cold for the three areas, < 100 ms cached.
Run: ``.venv/bin/python bench/walk.py`` (needs ../shared/data; prints the figures).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from buurtkaart import settings  # noqa: E402
from buurtkaart.sources import cache as _cache  # noqa: E402
from buurtkaart.walk import _results as result_cache  # noqa: E402
from buurtkaart.walk import clear_memory_caches, walking_areas  # noqa: E402
from buurtkaart.walk.isochrone import DEFAULT_BUFFER_M, LocalProjection  # noqa: E402

ORIGINS = {"Molenbeek": (50.8552, 4.3387), "Schaerbeek": (50.8676, 4.3736),
           "Saint-Gilles": (50.8270, 4.3460)}
MINUTES = (5, 10, 15)
SPEED = 4.5


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Return (median seconds, last result) over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def to_xml(pbf: Path, folder: Path) -> Path:
    """Convert the extract to OSM XML with pyosmium (preparation, not timed)."""
    import osmium

    target = folder / (pbf.name.replace(".osm.pbf", "") + ".osm")
    with osmium.SimpleWriter(str(target)) as writer:
        for obj in osmium.FileProcessor(str(pbf)):
            writer.add(obj)
    return target


def naive_request(xml: Path, lat: float, lon: float) -> list[Any]:
    """Whole-region OSMnx graph from XML, then ego graphs and buffered edges."""
    import networkx as nx
    import osmnx as ox

    graph = ox.graph_from_xml(str(xml), simplify=True, retain_all=False)
    ids = list(graph.nodes)
    ys = np.array([graph.nodes[n]["y"] for n in ids])
    xs = np.array([graph.nodes[n]["x"] for n in ids])
    proj = LocalProjection(lat, lon)
    px, py = proj.forward(ys, xs)
    centre = ids[int(np.argmin(np.hypot(px, py)))]
    where = {n: (float(x), float(y)) for n, x, y in zip(ids, px, py, strict=True)}
    polys = []
    for m in MINUTES:
        sub = nx.ego_graph(graph, centre, radius=m * SPEED * 1000 / 60, distance="length")
        lines = [shapely.LineString([where[u], where[v]]) for u, v in sub.edges() if u != v]
        polys.append(proj.to_wgs84(shapely.union_all(
            shapely.buffer(lines, DEFAULT_BUFFER_M, quad_segs=4))))
    return polys


def reset_memory() -> None:
    clear_memory_caches()
    _cache._hashes.clear()


def main() -> int:
    pbf = settings.shared_data_dir() / "brussels" / "brussels-2013-01-01.osm.pbf"
    if not pbf.exists():
        print(f"shared extract {pbf} is absent: nothing to measure")
        return 1
    with tempfile.TemporaryDirectory(prefix="buurtkaart-bench-walk-") as tmp:
        import os

        os.environ["BUURTKAART_CACHE_DIR"] = str(Path(tmp) / "cache")
        print(f"extract: {pbf.name} ({pbf.stat().st_size / 1e6:.1f} MB), minutes {MINUTES}, "
              f"{SPEED} km/h")
        print(f"{'origin':<13} {'cold':>8} {'disk':>8} {'graph':>8} {'cached':>8}  areas (ha)")
        cold_all, cached_all, graph_all = [], [], []
        for name, (lat, lon) in ORIGINS.items():
            def req(lat: float = lat, lon: float = lon) -> list[Any]:
                return walking_areas(lat, lon, MINUTES, osm_file=pbf, speed_kmh=SPEED)
            reset_memory()
            cold, areas = timed(req)
            reset_memory()
            disk, _ = timed(req)
            graph_t, _ = timed(lambda: (result_cache.clear(), req()), repeat=5)
            cached, _ = timed(req, repeat=20)
            cold_all.append(cold)
            cached_all.append(cached)
            graph_all.append(graph_t)
            ha = [a.geometry.area for a in areas]  # degrees², shown as hectares below
            lat_m = 111_195.0
            hect = [round(float(x * lat_m * lat_m * np.cos(np.radians(lat))) / 1e4, 1) for x in ha]
            print(f"{name:<13} {cold * 1000:7.0f}ms {disk * 1000:7.0f}ms {graph_t * 1000:7.1f}ms "
                  f"{cached * 1000:7.3f}ms  {hect}")
        t0 = time.perf_counter()
        xml = to_xml(pbf, Path(tmp))
        print(f"(preparation, not counted: PBF -> XML {xml.stat().st_size / 1e6:.0f} MB in "
              f"{time.perf_counter() - t0:.1f} s)")
        lat, lon = ORIGINS["Molenbeek"]
        naive, polys = timed(lambda: naive_request(xml, lat, lon), repeat=2)
        print(f"naive OSMnx graph_from_xml + ego_graph, per request (Molenbeek): "
              f"{naive:.2f} s; areas (deg²) {[f'{p.area:.2e}' for p in polys]}")
        cold = statistics.median(cold_all)
        cached = statistics.median(cached_all)
        graph_med = statistics.median(graph_all)
        print(f"buurtkaart cold median: {cold * 1000:.0f} ms (goal < 2000 ms) -> "
              f"{naive / cold:.0f}x faster than naive")
        print(f"buurtkaart graph cached (areas recomputed) median: {graph_med * 1000:.1f} ms "
              f"-> {naive / graph_med:.0f}x; fully cached median: {cached * 1000:.3f} ms "
              f"(goal < 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
