"""House numbers (pure): tags with ranges, lists and suffixes; interpolation along a line.

``addr:housenumber`` in Brussels holds single numbers (``12``, ``12A``,
``12 bis``), ranges (``17-19``, ``610/640``: the numbers of that side between
the two ends) and lists (``2;4``, ``2,4``, ``n° 16 & n°18``).
"""

from __future__ import annotations

import itertools
import math
import re

#: a range spanning more numbers than this only indexes its two ends
MAX_RANGE_SPAN = 40
_NUMBER_TOKEN = re.compile(r"(\d{1,5})\s*(bis|ter|[a-z](?![a-z]))?", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\d{1,5})\s*[-/]\s*(\d{1,5})\s*$")
_LIST_SEP = re.compile(r"\s*(?:;|,|&|\bet\b|\ben\b)\s*", re.IGNORECASE)


def number_key(number: int, suffix: str = "") -> str:
    """Return the key of a number with its suffix: ``(12, "Bis")`` -> ``"12bis"``."""
    return f"{number}{suffix.lower()}"


def split_key(key: str) -> tuple[int, str] | None:
    """Return ``(number, suffix)`` of a key or a typed number (``"12 B"``), or None."""
    found = _NUMBER_TOKEN.fullmatch(key.strip().replace("n°", "").strip())
    if found is None:
        return None
    return int(found.group(1)), (found.group(2) or "").lower()


def parse_housenumbers(tag: str) -> list[str]:
    """Return the number keys an ``addr:housenumber`` value stands for.

    >>> parse_housenumbers("17-19")
    ['17', '19']
    >>> parse_housenumbers("2;4")
    ['2', '4']
    >>> parse_housenumbers("12 bis")
    ['12bis']
    """
    keys: dict[str, None] = {}
    for part in _LIST_SEP.split(tag.replace("n°", " ")):
        rng = _RANGE.match(part)
        if rng:
            for n in expand_range(int(rng.group(1)), int(rng.group(2))):
                keys[number_key(n)] = None
            continue
        found = _NUMBER_TOKEN.match(part.strip())
        if found:
            keys[number_key(int(found.group(1)), found.group(2) or "")] = None
    return list(keys)


def expand_range(low: int, high: int) -> list[int]:
    """Return the numbers of one side from ``low`` to ``high`` (both ends kept)."""
    if high < low:
        low, high = high, low
    if high - low > MAX_RANGE_SPAN:
        return [low, high]
    step = 2 if low % 2 == high % 2 else 1
    return list(range(low, high + 1, step))


def interpolation_step(kind: str) -> int | None:
    """Return the step of an ``addr:interpolation`` value (odd/even 2, all 1, "3"), or None."""
    if kind in ("odd", "even"):
        return 2
    if kind == "all":
        return 1
    if kind.isdigit() and 0 < int(kind) < 100:
        return int(kind)
    return None


def along(points: list[tuple[float, float]]) -> list[float]:
    """Return the cumulative length (in degree-metres, locally scaled) of a polyline."""
    out = [0.0]
    for (la1, lo1), (la2, lo2) in itertools.pairwise(points):
        scale = math.cos(math.radians((la1 + la2) / 2))
        out.append(out[-1] + math.hypot(la2 - la1, (lo2 - lo1) * scale))
    return out


def point_at(points: list[tuple[float, float]], cum: list[float],
             at: float) -> tuple[float, float]:
    """Return the point at length ``at`` along the polyline (``cum`` from :func:`along`)."""
    for i in range(1, len(points)):
        if cum[i] >= at:
            seg = cum[i] - cum[i - 1]
            f = 0.0 if seg == 0 else (at - cum[i - 1]) / seg
            (la1, lo1), (la2, lo2) = points[i - 1], points[i]
            return la1 + f * (la2 - la1), lo1 + f * (lo2 - lo1)
    return points[-1]


def interpolate(points: list[tuple[float, float]], anchors: list[tuple[int, int]], step: int,
                number: int) -> tuple[float, float] | None:
    """Place ``number`` on an interpolation line.

    Parameters
    ----------
    points : list of (lat, lon)
        The line's nodes.
    anchors : list of (node position, number)
        The nodes that carry a house number, in line order.
    step : int
        1 (all), 2 (odd or even) or an explicit step.
    number : int
        The number to place.

    Returns
    -------
    (lat, lon) or None
        None when ``number`` is not between two anchors or not on the line's step.
    """
    cum = along(points)
    for (ia, na), (ib, nb) in itertools.pairwise(anchors):
        low, high = min(na, nb), max(na, nb)
        if na == nb or not low <= number <= high or (number - na) % step:
            continue
        f = (number - na) / (nb - na)
        return point_at(points, cum, cum[ia] + f * (cum[ib] - cum[ia]))
    return None
