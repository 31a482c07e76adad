"""Placement of basemap labels without overlaps (pure; the printed map uses it).

The same rules as ``static/js/buurtkaart-labels.js`` (which places them in the
browser at every zoom): one label per run, on the straightest stretch nearest the
middle of the run, rotated along it and kept upright; greedy by priority (major
streets, water, squares, parks, streets, paths; longer runs first); no two labels
overlap (oriented boxes, separating axis test); the same name again only far from
its first label. Coordinates are pixels (x right, y down); angles in degrees,
clockwise on screen.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

#: Label kinds in placement order (first = most important).
PRIORITY = ("major", "water", "square", "green", "minor", "path")
PAD = 3.0
MAX_DEVIATION = 3.0
SAME_NAME_GAP = 160.0


@dataclass(frozen=True)
class Box:
    """An oriented box: centre, half width and height (padded) and angle in degrees."""

    x: float
    y: float
    hw: float
    hh: float
    angle: float

    def axes(self) -> tuple[Point, Point]:
        r = math.radians(self.angle)
        return (math.cos(r), math.sin(r)), (-math.sin(r), math.cos(r))

    def reach(self) -> float:
        """Return the distance from the centre to a corner."""
        return math.hypot(self.hw, self.hh)

    def radius(self, axis: Point) -> float:
        ux, uy = self.axes()
        return (self.hw * abs(ux[0] * axis[0] + ux[1] * axis[1])
                + self.hh * abs(uy[0] * axis[0] + uy[1] * axis[1]))


@dataclass(frozen=True)
class Placed:
    """A placed label."""

    kind: str
    text: str
    x: float
    y: float
    angle: float
    box: Box


def overlaps(p: Box, q: Box) -> bool:
    """Return True when two oriented boxes overlap (separating axis test)."""
    d = (q.x - p.x, q.y - p.y)
    if math.hypot(*d) > p.reach() + q.reach():
        return False
    for axis in (*p.axes(), *q.axes()):
        if abs(d[0] * axis[0] + d[1] * axis[1]) > p.radius(axis) + q.radius(axis):
            return False
    return True


def _cumulative(pts: Sequence[Point]) -> list[float]:
    cum = [0.0]
    for a, b in itertools.pairwise(pts):
        cum.append(cum[-1] + math.dist(a, b))
    return cum


def _point_at(pts: Sequence[Point], cum: list[float], d: float) -> Point:
    for i in range(1, len(pts)):
        if cum[i] >= d:
            seg = cum[i] - cum[i - 1]
            f = (d - cum[i - 1]) / seg if seg else 0.0
            return (pts[i - 1][0] + f * (pts[i][0] - pts[i - 1][0]),
                    pts[i - 1][1] + f * (pts[i][1] - pts[i - 1][1]))
    return pts[-1]


def _deviation(pts: Sequence[Point], cum: list[float], a: float, b: float,
               pa: Point, pb: Point) -> float:
    length = math.dist(pa, pb)
    if not length:
        return math.inf
    return max((abs((pb[0] - pa[0]) * (pa[1] - p[1]) - (pa[0] - p[0]) * (pb[1] - pa[1])) / length
                for p, c in zip(pts, cum, strict=True) if a < c < b), default=0.0)


def upright(angle: float) -> float:
    """Return ``angle`` turned by 180 degrees when the text would read upside down."""
    return angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle


def line_anchor(pts: Sequence[Point], width: float) -> tuple[float, float, float] | None:
    """Return ``(x, y, angle)`` of a label of ``width`` on a polyline, None if it does not fit."""
    cum = _cumulative(pts)
    total = cum[-1]
    if total < width + 2 * PAD:
        return None
    mid, step = total / 2, max(6.0, width / 4)
    n = math.ceil(mid / step)
    for k in range(2 * n + 1):
        c = mid + (1 if k % 2 else -1) * math.ceil(k / 2) * step
        a, b = c - width / 2, c + width / 2
        if a < 0 or b > total:
            continue
        pa, pb = _point_at(pts, cum, a), _point_at(pts, cum, b)
        if _deviation(pts, cum, a, b, pa, pb) > MAX_DEVIATION:
            continue
        angle = upright(math.degrees(math.atan2(pb[1] - pa[1], pb[0] - pa[0])))
        return (pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2, angle
    return None


def _inside(box: Box, frame: tuple[float, float] | None) -> bool:
    if frame is None:
        return True
    r = box.reach()
    return r <= box.x <= frame[0] - r and r <= box.y <= frame[1] - r


def place_labels(items: Sequence[tuple[str, str, Sequence[Point]]],
                 measure: Callable[[str, str], tuple[float, float]],
                 frame: tuple[float, float] | None = None) -> list[Placed]:
    """Place labels ``(kind, text, points)`` (one point = a horizontal area label).

    ``measure(text, kind)`` returns the text's ``(width, height)`` in pixels; with a
    ``frame`` ``(width, height)`` only labels wholly inside it are kept.
    Returns the placed labels in priority order.
    """
    def rank(i: int) -> tuple[int, float, int]:
        kind, _, pts = items[i]
        length = _cumulative(pts)[-1] if len(pts) > 1 else 0.0
        return (PRIORITY.index(kind) if kind in PRIORITY else len(PRIORITY), -length, i)

    placed: list[Placed] = []
    for i in sorted(range(len(items)), key=rank):
        kind, text, pts = items[i]
        if not pts:
            continue
        w, h = measure(text, kind)
        at = line_anchor(pts, w) if len(pts) > 1 else (pts[0][0], pts[0][1], 0.0)
        if at is None:
            continue
        box = Box(at[0], at[1], w / 2 + PAD, h / 2 + PAD, at[2])
        if not _inside(box, frame):
            continue
        if any(p.text == text and math.dist((p.x, p.y), at[:2]) < SAME_NAME_GAP + w
               for p in placed):
            continue
        if any(overlaps(p.box, box) for p in placed):
            continue
        placed.append(Placed(kind, text, at[0], at[1], at[2], box))
    return placed
