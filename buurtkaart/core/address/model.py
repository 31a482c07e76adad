"""The offline geocoding index (pure, picklable) and the result type.

An index holds communes (names, postcodes), streets (one entry per stretch of
street, with the communes it lies in), house numbers, interpolation lines and
named areas (squares, parks, landmarks). Every name is indexed under the
:func:`~buurtkaart.core.address.names.street_key` of each language variant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from buurtkaart.core.address.fuzzy import Prepared, prepared
from buurtkaart.core.address.names import (
    commune_keys,
    is_square,
    name_variants,
    normalize,
    street_key,
    street_keys,
)
from buurtkaart.core.address.numbers import parse_housenumbers, split_key

#: precision levels, best first ("place" is Nominatim's coarse answer)
PRECISIONS = ("housenumber", "interpolated", "estimated", "street", "area", "place")
NO_COMMUNE = -1


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """A geocoded address.

    ``precision`` is one of :data:`PRECISIONS`; ``commune`` is the commune's
    label when known.
    """

    lat: float
    lon: float
    precision: str
    label: str
    source: str
    score: float = 100.0
    commune: str = ""


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune of the extract (admin_level 8) with its postcodes."""

    label: str
    ref: str = ""
    postcodes: tuple[str, ...] = ()


@dataclass(slots=True)
class StreetEntry:
    """One stretch of a named street: its point and the communes it lies in."""

    label: str
    lat: float
    lon: float
    communes: tuple[int, ...] = ()
    #: commune -> a point of the street in that commune
    by_commune: dict[int, tuple[float, float]] = field(default_factory=dict)
    size: int = 1
    square: bool = False


class NumberPoint(NamedTuple):
    """A house number on a street."""

    number: int
    suffix: str
    lat: float
    lon: float
    postcode: str
    commune: int
    street: str


class Interpolation(NamedTuple):
    """An ``addr:interpolation`` line with its numbered nodes."""

    points: list[tuple[float, float]]
    anchors: list[tuple[int, int]]
    step: int
    commune: int
    street: str


class AreaEntry(NamedTuple):
    """A named square, park or landmark."""

    label: str
    lat: float
    lon: float
    commune: int


@dataclass
class GeocodeIndex:
    """Offline geocoding index (picklable)."""

    source: str
    streets: dict[str, list[StreetEntry]] = field(default_factory=dict)
    numbers: dict[str, list[NumberPoint]] = field(default_factory=dict)
    interpolations: dict[str, list[Interpolation]] = field(default_factory=dict)
    areas: dict[str, list[AreaEntry]] = field(default_factory=dict)
    communes: list[Commune] = field(default_factory=list)
    commune_names: dict[str, list[int]] = field(default_factory=dict)
    postcodes: dict[str, list[int]] = field(default_factory=dict)
    #: normalised name variant (no synonyms) -> street key, for typo matching
    plain: dict[str, str] = field(default_factory=dict)
    #: prepared name lists for typo matching (:mod:`buurtkaart.core.address.fuzzy`)
    fuzzy: dict[str, Prepared] = field(default_factory=dict, repr=False, compare=False)

    def prepared(self, name: str) -> Prepared:
        """Return the prepared keys of ``streets``, ``plain`` or ``areas`` for typo matching."""
        cache = self.__dict__.setdefault("fuzzy", {})  # indexes pickled before the field
        return prepared(cache, name, getattr(self, name).keys())

    def add_commune(self, commune: Commune, *names: str | None) -> int:
        """Add a commune answering to ``names``; return its id."""
        cid = len(self.communes)
        self.communes.append(commune)
        self.add_commune_names(cid, commune.label, *names)
        for postcode in commune.postcodes:
            self.add_postcode(postcode, cid)
        return cid

    def add_commune_names(self, cid: int, *names: str | None) -> None:
        """Let commune ``cid`` answer to ``names`` too (e.g. a district of it)."""
        for key in commune_keys(*names):
            ids = self.commune_names.setdefault(key, [])
            if cid not in ids:
                ids.append(cid)

    def add_postcode(self, postcode: str, cid: int) -> None:
        """Record that ``postcode`` covers (part of) commune ``cid``."""
        ids = self.postcodes.setdefault(postcode, [])
        if cid not in ids:
            ids.append(cid)

    def commune_label(self, cid: int) -> str:
        """Return the label of commune ``cid`` ("" when unknown)."""
        return self.communes[cid].label if 0 <= cid < len(self.communes) else ""

    def add_street(self, name: str, lat: float, lon: float, communes: tuple[int, ...] = (),
                   by_commune: dict[int, tuple[float, float]] | None = None, size: int = 1,
                   other_names: tuple[str, ...] = ()) -> StreetEntry:
        """Index one stretch of street under every language variant of its names."""
        entry = StreetEntry(name, lat, lon, communes, dict(by_commune or {}), size,
                            is_square(name))
        for key in street_keys(name, *other_names):
            self.streets.setdefault(key, []).append(entry)
        for variant in (v for n in (name, *other_names) for v in name_variants(n)):
            self.plain.setdefault(normalize(variant), street_key(variant))
        return entry

    def add_number(self, street: str, number: str, lat: float, lon: float,
                   postcode: str = "", commune: int = NO_COMMUNE) -> None:
        """Index an ``addr:housenumber`` value (single, range or list) on ``street``."""
        for key in parse_housenumbers(number):
            parts = split_key(key)
            if parts is None:
                continue
            point = NumberPoint(parts[0], parts[1], lat, lon, postcode, commune, street)
            for skey in street_keys(street):
                self.numbers.setdefault(skey, []).append(point)

    def add_interpolation(self, line: Interpolation) -> None:
        """Index an interpolation line under its street."""
        for skey in street_keys(line.street):
            self.interpolations.setdefault(skey, []).append(line)

    def add_area(self, name: str, lat: float, lon: float, commune: int = NO_COMMUNE,
                 *other_names: str | None) -> None:
        """Index a named square, park or landmark."""
        entry = AreaEntry(name, lat, lon, commune)
        for key in street_keys(name, *other_names):
            self.areas.setdefault(key, []).append(entry)

    def add_numbered_streets(self) -> None:
        """Give streets known only from house numbers a street-level entry."""
        for key, points in self.numbers.items():
            if key not in self.streets and points:
                p = points[len(points) // 2]
                communes = tuple(dict.fromkeys(q.commune for q in points if q.commune >= 0))
                entry = StreetEntry(p.street, p.lat, p.lon, communes,
                                    {q.commune: (q.lat, q.lon) for q in points}, len(points),
                                    is_square(p.street))
                self.streets[key] = [entry]
