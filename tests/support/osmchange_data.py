"""Test change files made from the two shared Brussels extracts with Debian's osmium-tool.

``osmium extract`` cuts both years to a small box around the Bourse; ``osmium
derive-changes`` turns the pair into an OsmChange file. The shared files have
stripped metadata (every version is 0), and derive-changes only compares type, id
and version: so before deriving, each 2013 object that differs from its 2012
version (tags, location, nodes, members) gets version 1 (a pyosmium pass).
The cuts carry their year in the header (``osmosis_replication_timestamp``), as a
dated extract would.
Files are made once per session under pytest's temporary folder; never committed.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import osmium
import pytest

#: (west, south, east, north) around the Bourse, with room for a 400 m circle + margin.
BOX = (4.335, 50.840, 4.365, 50.857)
#: Centre and radius of the map area used with these files.
CENTRE, RADIUS = (50.8484, 4.3497), 400.0


def _osmium(*args: str) -> None:
    if shutil.which("osmium") is None:
        pytest.skip("osmium-tool is not installed (apt-get install osmium-tool)")
    subprocess.run(["osmium", *args, "--overwrite", "--no-progress"], check=True,
                   capture_output=True, timeout=120)


def _signature(obj: Any) -> tuple[Any, ...]:
    tags = tuple(sorted((t.k, t.v) for t in obj.tags))
    if obj.is_node():
        loc = obj.location
        return (tags, round(loc.lat, 7), round(loc.lon, 7)) if loc.valid() else (tags,)
    if obj.is_way():
        return (tags, tuple(n.ref for n in obj.nodes))
    return (tags, tuple((m.type, m.ref, m.role) for m in obj.members))


def _versioned(old: Path, new: Path, out: Path) -> None:
    """Copy ``new`` to ``out`` with version 1 on every object that differs from ``old``."""
    before = {(o.type_str(), o.id): _signature(o) for o in osmium.FileProcessor(str(old))}
    out.unlink(missing_ok=True)
    reader = osmium.io.Reader(str(new), osmium.osm.osm_entity_bits.NOTHING)
    header = osmium.io.Header()
    stamp = "osmosis_replication_timestamp"
    header.set(stamp, reader.header().get(stamp, ""))
    reader.close()
    writer = osmium.SimpleWriter(str(out), header=header)
    try:
        for obj in osmium.FileProcessor(str(new)):
            key = (obj.type_str(), obj.id)
            changed = key in before and before[key] != _signature(obj)
            writer.add(obj.replace(version=1) if changed else obj)  # type: ignore[union-attr]
    finally:
        writer.close()


@functools.cache
def change_set(folder: Path, old_full: Path, new_full: Path) -> dict[str, Path]:
    """Return ``{"old", "new", "osc"}``: the two cuts and the derived change file."""
    folder.mkdir(parents=True, exist_ok=True)
    box = ",".join(str(v) for v in BOX)
    old, raw_new = folder / "bourse-2012.osm.pbf", folder / "bourse-2013-raw.osm.pbf"
    new, osc = folder / "bourse-2013.osm.pbf", folder / "bourse-2012-2013.osc.gz"
    for src, out, year in ((old_full, old, 2012), (new_full, raw_new, 2013)):
        _osmium("extract", "-b", box, "-s", "smart", str(src), "-o", str(out),
                f"--output-header=osmosis_replication_timestamp={year}-01-01T00:00:00Z")
    _versioned(old, raw_new, new)
    _osmium("derive-changes", "--increment-version", str(old), str(new), "-o", str(osc))
    return {"old": old, "new": new, "osc": osc}
