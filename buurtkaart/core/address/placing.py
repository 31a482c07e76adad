"""Placing a house number on a matched street (pure): exact, interpolated, estimated."""

from __future__ import annotations

from buurtkaart.core.address.model import GeocodeIndex, NumberPoint
from buurtkaart.core.address.numbers import interpolate, split_key

#: an estimate from one neighbour only is made up to this many numbers away
MAX_ONE_SIDED_GAP = 10
#: an estimate between two neighbours is made when they are at most this far apart (degrees)
MAX_NEIGHBOUR_SPAN_DEG = 0.006

Placed = tuple[str, float, float, NumberPoint]


def _allowed(points: list[NumberPoint], where: set[int] | None) -> list[NumberPoint]:
    if where is None:
        return points
    inside = [p for p in points if p.commune in where or p.commune < 0]
    return inside


def place_number(index: GeocodeIndex, key: str, number: str,
                 where: set[int] | None) -> Placed | None:
    """Return ``(precision, lat, lon, point)`` for ``number`` on street ``key``, or None.

    ``where`` limits the search to house numbers in those communes.
    """
    parts = split_key(number)
    if parts is None:
        return None
    n, suffix = parts
    points = _allowed(index.numbers.get(key, []), where)
    exact = [p for p in points if (p.number, p.suffix) == (n, suffix)]
    base = [p for p in points if p.number == n and (not p.suffix or not suffix)]
    for found in (exact, base):
        if found:
            return "housenumber", found[0].lat, found[0].lon, found[0]
    placed = _interpolated(index, key, n, where)
    return placed or _estimated(points, n)


def _interpolated(index: GeocodeIndex, key: str, n: int, where: set[int] | None) -> Placed | None:
    for line in index.interpolations.get(key, []):
        if where is not None and line.commune >= 0 and line.commune not in where:
            continue
        at = interpolate(line.points, line.anchors, line.step, n)
        if at is not None:
            point = NumberPoint(n, "", at[0], at[1], "", line.commune, line.street)
            return "interpolated", at[0], at[1], point
    return None


def _estimated(points: list[NumberPoint], n: int) -> Placed | None:
    side = [p for p in points if p.number % 2 == n % 2 and not p.suffix]
    lower = max((p for p in side if p.number < n), key=lambda p: p.number, default=None)
    upper = min((p for p in side if p.number > n), key=lambda p: p.number, default=None)
    if lower is not None and upper is not None and _close(lower, upper):
        f = (n - lower.number) / (upper.number - lower.number)
        lat = lower.lat + f * (upper.lat - lower.lat)
        lon = lower.lon + f * (upper.lon - lower.lon)
        return "estimated", lat, lon, lower._replace(number=n, lat=lat, lon=lon)
    near = [p for p in (lower, upper) if p is not None and abs(p.number - n) <= MAX_ONE_SIDED_GAP]
    if near:
        best = min(near, key=lambda p: abs(p.number - n))
        return "estimated", best.lat, best.lon, best
    return None


def _close(a: NumberPoint, b: NumberPoint) -> bool:
    return abs(a.lat - b.lat) + abs(a.lon - b.lon) <= MAX_NEIGHBOUR_SPAN_DEG
