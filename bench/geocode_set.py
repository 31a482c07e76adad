"""The labelled geocoding set, regenerated from an OSM extract with a fixed seed.

Read independently of buurtkaart's index (a plain pyosmium pass; communes from
``communes-and-quarters.geojson``), it samples house numbers, ranges and lists,
interpolation lines, streets (French, Dutch, abbreviated, lower case, misspelt),
streets whose name is in several communes, squares and town halls, and writes
one query per case in the ways a worker types them. :func:`evaluate` scores an
index on it: a hit is within ``tolerance_m`` of the truth (60 m, 80 m for
interpolation), or on a way of the right street in the right commune.

Kinds: housenumber, range, interpolation, estimated (the number is removed from
the index while it is asked), street, typo, multi-commune, square, townhall,
and negative (invented names, which must not be found).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
import shapely
from shapely.geometry import shape

_LIST = re.compile(r"^(\d{1,4})\s*([-/;,])\s*(\d{1,4})$")
_ABBREV = [("Avenue", "Av."), ("avenue", "av."), ("Boulevard", "Bd"), ("Chaussée", "Chée"),
           ("Place", "Pl."), ("straat", "str."), ("steenweg", "stwg")]


@dataclass
class Case:
    """One labelled query."""

    kind: str
    query: str
    lat: float = 0.0
    lon: float = 0.0
    tolerance_m: float = 60.0
    street: str = ""  # for street-level cases: the OSM name to land on
    commune: str = ""  # ref:INS of the commune the answer must lie in ("" = any)
    holdout: tuple[str, str] = ("", "")  # (addr:street, number) removed while asked


@dataclass
class Truth:
    """What the independent pass read."""

    addr: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    addr_nodes: dict[int, tuple[str, str]] = field(default_factory=dict)
    interp: list[tuple[str, list[int], list[tuple[float, float]], str]] = field(
        default_factory=list)
    ways: dict[str, list[list[tuple[float, float]]]] = field(
        default_factory=lambda: defaultdict(list))
    townhalls: list[tuple[str, float, float]] = field(default_factory=list)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in metres (plenty at city scale)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000 * math.hypot(x, math.radians(lat2 - lat1))


def read_truth(pbf: Path) -> Truth:
    """Read addresses, interpolation lines, named streets and town halls with pyosmium."""
    t = Truth()
    for obj in osmium.FileProcessor(str(pbf)).with_locations():
        tags = obj.tags
        if obj.is_relation():
            continue
        pts = ([(obj.location.lat, obj.location.lon)] if obj.is_node() else
               [(n.lat, n.lon) for n in obj.nodes if n.location.valid()])
        if not pts:
            continue
        lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        if obj.is_node() and "addr:housenumber" in tags:
            t.addr_nodes[obj.id] = (tags["addr:housenumber"], tags.get("addr:street", ""))
        if "addr:street" in tags and "addr:housenumber" in tags:
            t.addr.append((tags["addr:street"], tags["addr:housenumber"], lat, lon,
                           tags.get("addr:postcode", "")))
        if obj.is_way() and tags.get("addr:interpolation") in ("odd", "even", "all"):
            t.interp.append((tags["addr:interpolation"], [n.ref for n in obj.nodes], pts,
                             tags.get("addr:street", "")))
        if obj.is_way() and "highway" in tags and tags.get("name"):
            t.ways[tags["name"]].append(pts)
        if tags.get("amenity") == "townhall" and tags.get("name"):
            t.townhalls.append((tags["name"], lat, lon))
    return t


class Communes:
    """The 19 communes of the boundaries GeoJSON, with a point-in-commune test."""

    def __init__(self, path: Path) -> None:
        fc = json.loads(path.read_text(encoding="utf-8"))
        self.items: list[tuple[dict[str, Any], Any]] = []
        for feat in fc["features"]:
            props = feat["properties"]
            if str(props.get("admin_level")) == "8":
                geom = shape(feat["geometry"])
                shapely.prepare(geom)
                self.items.append((props, geom))

    def at(self, lat: float, lon: float) -> dict[str, Any] | None:
        """Return the properties of the commune holding the point, or None."""
        for props, geom in self.items:
            if shapely.contains_xy(geom, lon, lat):
                return props
        return None


def halves(name: str) -> list[str]:
    """The language halves of a bilingual OSM name."""
    return [p.strip() for p in re.split(r"\s+[-/]\s+", name) if p.strip()]


def abbreviate(name: str) -> str:
    """Write a name as it is often typed: ``Av.``, ``Bd``, ``Chée``, ``str.``."""
    for long, short in _ABBREV:
        if long in name:
            return name.replace(long, short, 1)
    return name


def misspell(name: str, rng: random.Random) -> str | None:
    """Drop, double or swap one letter inside the name's longest word (None: too short)."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 7:
        return None
    j = rng.randrange(2, len(word) - 2)
    op = rng.choice(("drop", "double", "swap"))
    if op == "drop":
        word = word[:j] + word[j + 1:]
    elif op == "double":
        word = word[:j] + word[j] + word[j:]
    else:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    words[i] = word
    return " ".join(words)


def _style(street: str, number: str, commune: dict[str, Any] | None, postcode: str,
           k: int) -> str:
    """The k-th way of typing an address (cycles FR/NL half, abbreviated, lower, postcode)."""
    parts = halves(street)
    half = parts[k % len(parts)]
    city = (commune or {}).get("name:nl" if k % 2 else "name:fr") or ""
    styles = [f"{half} {number}", f"{abbreviate(half)} {number}", f"{half.lower()} {number}",
              f"{half} {number}, {postcode} {city}".rstrip(), f"{number} {half}",
              f"{half} {number}, {city}".rstrip(", ")]
    return styles[k % len(styles)]


def _postcode(props: dict[str, Any] | None, tag: str) -> str:
    from buurtkaart.core.address.postcodes import POSTCODES_BY_INS  # the query's postcode only
    if tag:
        return tag
    return POSTCODES_BY_INS.get(str((props or {}).get("ref:INS")), ("",))[0]


def number_cases(t: Truth, communes: Communes, rng: random.Random, n: int) -> list[Case]:
    """Single numbers, ranges and lists, and held-out numbers (estimated)."""
    singles = [a for a in t.addr if a[1].isdigit()]
    lists = [a for a in t.addr if _LIST.match(a[1].strip())]
    out: list[Case] = []
    for k, (street, number, lat, lon, pc) in enumerate(rng.sample(singles, min(n, len(singles)))):
        c = communes.at(lat, lon)
        out.append(Case("housenumber", _style(street, number, c, _postcode(c, pc), k), lat, lon))
    for k, (street, number, lat, lon, pc) in enumerate(rng.sample(lists, min(n, len(lists)))):
        m = _LIST.match(number.strip())
        assert m is not None
        low, sep, high = int(m.group(1)), m.group(2), int(m.group(3))
        low, high = min(low, high), max(low, high)
        pick = rng.choice([low, high]) if sep in ";," or high - low > 40 else rng.choice(
            range(low, high + 1, 2 if low % 2 == high % 2 else 1))
        c = communes.at(lat, lon)
        out.append(Case("range", _style(street, str(pick), c, _postcode(c, pc), k), lat, lon))
    by_street: dict[str, set[int]] = defaultdict(set)
    for street, number, *_ in singles:
        by_street[street].add(int(number))
    inner = [a for a in singles if {int(a[1]) - 2, int(a[1]) + 2} <= by_street[a[0]]]
    for k, (street, number, lat, lon, pc) in enumerate(rng.sample(inner, min(n, len(inner)))):
        c = communes.at(lat, lon)
        out.append(Case("estimated", _style(street, number, c, _postcode(c, pc), k), lat, lon,
                        holdout=(street, number)))
    return out


def interpolation_cases(t: Truth, communes: Communes, rng: random.Random,
                        n: int) -> list[Case]:
    """Numbers strictly between the two numbered ends of an interpolation line."""
    out: list[Case] = []
    lines = list(t.interp)
    rng.shuffle(lines)
    for kind, refs, pts, street in lines:
        ends = [t.addr_nodes.get(refs[0]), t.addr_nodes.get(refs[-1])]
        if None in ends or len(pts) != len(refs):
            continue
        (a, sa), (b, sb) = ends  # type: ignore[misc]
        street = street or sa or sb
        if not (a.isdigit() and b.isdigit() and street) or abs(int(b) - int(a)) < 4:
            continue
        na, nb = int(a), int(b)
        step = 1 if kind == "all" else 2
        inside = [x for x in range(min(na, nb) + step, max(na, nb), step) if (x - na) % step == 0]
        if not inside:
            continue
        x = rng.choice(inside)
        lat, lon = _along(pts, (x - na) / (nb - na))
        c = communes.at(lat, lon)
        out.append(Case("interpolation", _style(street, str(x), c, _postcode(c, ""), len(out)),
                        lat, lon, tolerance_m=80.0))
        if len(out) >= n:
            break
    return out


def _along(pts: list[tuple[float, float]], f: float) -> tuple[float, float]:
    """The point at fraction ``f`` of the polyline's length."""
    seg = [distance_m(*p, *q) for p, q in itertools.pairwise(pts)]
    goal, run = f * sum(seg), 0.0
    for (p, q), d in zip(itertools.pairwise(pts), seg, strict=True):
        if run + d >= goal and d > 0:
            g = (goal - run) / d
            return p[0] + g * (q[0] - p[0]), p[1] + g * (q[1] - p[1])
        run += d
    return pts[-1]


def _spread_m(ways: list[list[tuple[float, float]]]) -> float:
    pts = [p for w in ways for p in w]
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    return distance_m(min(lats), min(lons), max(lats), max(lons))


def street_cases(t: Truth, communes: Communes, rng: random.Random, n: int) -> list[Case]:
    """Streets (one stretch), misspelt streets, squares and same-named streets per commune."""
    single = sorted(name for name, ways in t.ways.items() if _spread_m(ways) < 2000)
    out: list[Case] = []
    for k, name in enumerate(rng.sample(single, min(n, len(single)))):
        half = halves(name)[k % len(halves(name))]
        query = [half, abbreviate(half), half.lower(), half.upper()][k % 4]
        out.append(Case("street", query, street=name))
    typos = 0
    for name in rng.sample(single, len(single)):
        wrong = misspell(halves(name)[typos % len(halves(name))], rng)
        if wrong is not None and typos < n:
            out.append(Case("typo", wrong, street=name))
            typos += 1
    squares = [s for s in single if re.search(r"\b(Place|Square)\b|plein\b|plaats\b", s)]
    for k, name in enumerate(rng.sample(squares, min(n, len(squares)))):
        pts = [p for w in t.ways[name] for p in w]
        lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        c = communes.at(lat, lon) or {}
        city = c.get("name:nl" if k % 2 else "name:fr") or ""
        half = halves(name)[k % len(halves(name))]
        out.append(Case("square", f"{half}, {city}" if k % 3 == 0 and city else half,
                        lat, lon, tolerance_m=80.0))
    out += _multi_commune(t, communes, rng, n)
    return out


def _multi_commune(t: Truth, communes: Communes, rng: random.Random, n: int) -> list[Case]:
    """Names with stretches more than 2 km apart in different communes: ask with the commune."""
    cases: list[Case] = []
    names = sorted(name for name, ways in t.ways.items() if _spread_m(ways) > 2000)
    for name in rng.sample(names, len(names)):
        where: dict[str, dict[str, Any]] = {}
        for w in t.ways[name]:
            c = communes.at(*w[len(w) // 2])
            if c is not None:
                where[str(c["ref:INS"])] = c
        if len(where) < 2:
            continue
        ref = rng.choice(sorted(where))
        c = where[ref]
        k = len(cases)
        city = [c.get("name:fr"), c.get("name:nl"), _postcode(c, "")][k % 3] or c["name"]
        half = halves(name)[k % len(halves(name))]
        cases.append(Case("multi-commune", f"{half}, {city}", street=name, commune=ref))
        if len(cases) >= n:
            break
    return cases


def landmark_cases(t: Truth, communes: Communes, n: int) -> list[Case]:
    """Town halls asked by their generic name and the commune."""
    out: list[Case] = []
    for k, (_name, lat, lon) in enumerate(t.townhalls[:n]):
        c = communes.at(lat, lon)
        if c is None:
            continue
        word = ["Gemeentehuis", "Maison communale", "Hôtel de ville"][k % 3]
        out.append(Case("townhall", f"{word}, {c.get('name:nl' if k % 2 else 'name:fr')}",
                        lat, lon, tolerance_m=100.0))
    return out


def negative_cases(rng: random.Random, n: int) -> list[Case]:
    """Invented street names: the right answer is "not found"."""
    syllables = ["zor", "quix", "blam", "vrek", "thup", "glin", "mox", "praz", "uvv", "kesh"]
    out = []
    for k in range(n):
        word = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
        out.append(Case("negative", [f"Rue {word} {k + 1}", f"{word}straat {k + 1}",
                                     f"Avenue du {word}"][k % 3]))
    return out


def labelled_set(pbf: Path, boundaries: Path, seed: int = 13,
                 n: int = 100) -> tuple[list[Case], Truth, Communes]:
    """Return the labelled cases of one extract (at most ``n`` per kind) and the truth."""
    rng = random.Random(seed)
    t = read_truth(pbf)
    communes = Communes(boundaries)
    cases = (number_cases(t, communes, rng, n) + interpolation_cases(t, communes, rng, n)
             + street_cases(t, communes, rng, n) + landmark_cases(t, communes, n)
             + negative_cases(rng, n // 2))
    return cases, t, communes


@dataclass
class Score:
    """Counts of one kind: asked, answered, right; and the misses with their reason."""

    asked: int = 0
    answered: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def hit_rate(self) -> float:
        """Right answers among all cases (recall); for ``negative``: correct refusals."""
        return self.right / self.asked if self.asked else 1.0

    @property
    def precision(self) -> float:
        """Right answers among the answers given."""
        return self.right / self.answered if self.answered else 1.0


def _on_street(t: Truth, communes: Communes, case: Case, lat: float, lon: float) -> bool:
    wanted = {h.casefold() for h in halves(case.street)}
    for name, ways in t.ways.items():
        if not wanted & {h.casefold() for h in halves(name)}:
            continue
        for w in ways:
            if min(distance_m(lat, lon, *p) for p in w) <= case.tolerance_m:
                c = communes.at(lat, lon)
                if not case.commune or (c is not None and str(c["ref:INS"]) == case.commune):
                    return True
    return False


def _holdout(index: Any, street: str, number: str) -> list[tuple[str, Any]]:
    removed = []
    for key, points in index.numbers.items():
        for p in [p for p in points if p.street == street and str(p.number) == number]:
            points.remove(p)
            removed.append((key, p))
    return removed


def evaluate(index: Any, cases: list[Case], t: Truth, communes: Communes,
             geocode: Any) -> dict[str, Score]:
    """Score ``geocode(query, index)`` on the cases, per kind."""
    from buurtkaart._errors import GeocodeError

    scores: dict[str, Score] = defaultdict(Score)
    for case in cases:
        s = scores[case.kind]
        s.asked += 1
        removed = _holdout(index, *case.holdout) if case.holdout[0] else []
        try:
            hit = geocode(case.query, index)
        except GeocodeError as e:
            if case.kind == "negative":
                s.right += 1
            else:
                s.misses.append(f"{case.query!r}: {e.reason}: {str(e)[:120]}")
            continue
        finally:
            for key, p in removed:
                index.numbers[key].append(p)
        s.answered += 1
        if case.kind == "negative":
            s.misses.append(f"{case.query!r}: invented name answered with {hit.label!r}")
        elif case.street:
            ok = _on_street(t, communes, case, hit.lat, hit.lon)
            s.right += ok
            if not ok:
                s.misses.append(f"{case.query!r}: answered {hit.label!r} ({hit.commune})")
        else:
            d = distance_m(hit.lat, hit.lon, case.lat, case.lon)
            s.right += d <= case.tolerance_m
            if d > case.tolerance_m:
                s.misses.append(f"{case.query!r}: {d:.0f} m off ({hit.precision} {hit.label!r})")
    return dict(scores)
