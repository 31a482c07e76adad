"""The independent pyosmium pass over the Brussels extracts (diff tests, CLI diff test)."""

from __future__ import annotations

import functools
import math
import unicodedata
from pathlib import Path

import osmium

from buurtkaart.core.categories import categorize

RADIUS = 1000.0


def _dist(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Independent of the code under test: spherical law of cosines.
    r = 6_371_008.8
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return r * math.acos(max(-1.0, min(1.0, c)))


def _norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


@functools.cache  # shared by the diff tests of one session
def _independent_places(path: Path, lat: float, lon: float) -> dict[str, tuple[str, str]]:
    """Return ``"node/<id>"|"way/<id>" -> (category, normalised name)`` of categorised objects.

    Nodes count when within RADIUS; ways when ALL their nodes are within RADIUS
    (surely inside, whatever the representative point). Objects in a 0.5 m band
    off the edge are left out, where two distance formulas may disagree.
    """
    out: dict[str, tuple[str, str]] = {}
    fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in fp:
        if not obj.tags:
            continue
        if obj.is_node():
            locs = [obj.location]
        elif obj.is_way():
            locs = [n.location for n in obj.nodes]
        else:
            continue
        if not locs or not all(loc.valid() for loc in locs):
            continue
        if max(_dist(lat, lon, loc.lat, loc.lon) for loc in locs) > RADIUS - 0.5:
            continue
        tags = {t.k: t.v for t in obj.tags}
        cat = categorize(tags)
        if cat is not None:
            kind = "node" if obj.is_node() else "way"
            out[f"{kind}/{obj.id}"] = (cat, _norm(tags.get("name")))
    return out
