"""Addresses (pure): normalising, parsing, and the offline geocoding index and lookup.

The offline index holds house numbers (objects with ``addr:street`` and
``addr:housenumber``) and streets (named ``highway`` ways). Street names are
normalised (accents, case, punctuation, abbreviations such as ``str.``, ``av.``,
``chée``, ``stwg``) and bilingual names ("Chaussée de Gand - Steenweg op Gent")
are indexed under each language. :mod:`buurtkaart.sources.addresses` builds and
caches the index from an extract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from unidecode import unidecode

from buurtkaart._errors import GeocodeError, InputError

MIN_SCORE = 85.0

_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "bvd": "boulevard",
    "chee": "chaussee", "ch": "chaussee", "chau": "chaussee", "stwg": "steenweg",
    "stw": "steenweg", "sq": "square", "pl": "place", "pte": "petite", "gde": "grande",
    "st": "saint", "ste": "sainte", "str": "straat", "ln": "laan",
}
_SUFFIXES = (("str", "straat"), ("stwg", "steenweg"), ("stw", "steenweg"))
_POSTCODE = re.compile(r"\b([1-9]\d{3})\b")
_NUMBER = re.compile(r"^(\d{1,5})\s*([a-z]?)(?:\s*[-/].*)?$")


def normalize(text: str) -> str:
    """Return a comparable form: ASCII, lower case, no punctuation, abbreviations expanded.

    >>> normalize("Chée de Gand")
    'chaussee de gand'
    >>> normalize("Sint-Mariastr.")
    'sint mariastraat'
    """
    ascii_text = unidecode(text).lower().replace("'", " ").replace("’", " ")
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text).split()
    out = []
    for word in words:
        word = _ABBREVIATIONS.get(word, word)
        for short, full in _SUFFIXES:
            if word.endswith(short) and len(word) > len(short) + 2:
                word = word[: -len(short)] + full
                break
        out.append(word)
    return " ".join(out)


def name_variants(name: str) -> list[str]:
    """Return the name and its parts for bilingual names joined by `` - `` or ``/``."""
    parts = [p.strip() for p in re.split(r"\s+[-/–]\s+", name) if p.strip()]
    return list(dict.fromkeys([name, *parts]))


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """A geocoded address."""

    lat: float
    lon: float
    precision: str  # "housenumber" | "street" | "place" (Nominatim, coarser)
    label: str
    source: str
    score: float = 100.0


@dataclass
class GeocodeIndex:
    """Offline geocoding index (picklable)."""

    source: str
    #: normalised street -> (label, lat, lon)
    streets: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    #: (normalised street, number) -> (label, lat, lon, postcode)
    numbers: dict[tuple[str, str], tuple[str, float, float, str]] = field(default_factory=dict)

    def add_street(self, name: str, lat: float, lon: float) -> None:
        """Index a street point under every language variant of ``name`` (first wins)."""
        for variant in name_variants(name):
            key = normalize(variant)
            if key:
                self.streets.setdefault(key, (name, lat, lon))

    def add_number(self, street: str, number: str, lat: float, lon: float,
                   postcode: str = "") -> None:
        """Index a house number under every language variant of its street."""
        key_number = number.strip().lower().replace(" ", "")
        for variant in name_variants(street):
            label = f"{street} {number}"
            self.numbers.setdefault((normalize(variant), key_number), (label, lat, lon, postcode))

    def add_numbered_streets(self) -> None:
        """Give streets known only from house numbers a street-level entry."""
        for (key, _), (label, lat, lon, _pc) in list(self.numbers.items()):
            if key not in self.streets:
                self.streets[key] = (label.rsplit(" ", 1)[0], lat, lon)


@dataclass(frozen=True)
class ParsedAddress:
    """An address split into street, house number and postcode (normalised)."""

    street: str
    number: str | None
    postcode: str | None
    streets: tuple[str, ...]  # normalised candidates (bilingual parts)


def parse_address(text: str) -> ParsedAddress:
    """Split ``"Chaussée de Gand 123, 1080 Molenbeek"`` into its parts.

    In the first comma-separated part, words before the house number are the
    street (or after it, for ``"12 rue X"``); a later 4-digit number is the
    postcode and what follows it the city. Other parts only give a postcode.
    """
    segments = [s.strip() for s in (text or "").split(",") if s.strip()]
    if not segments:
        msg = "address is empty"
        raise InputError(msg)
    street, number, postcode = _parse_first(segments[0])
    for seg in segments[1:]:
        found = _POSTCODE.search(seg)
        if found and postcode is None:
            postcode = found.group(1)
    variants = [normalize(v) for v in name_variants(street)]
    streets = tuple(dict.fromkeys(v for v in variants if v))
    return ParsedAddress(street, number, postcode, streets)


def _parse_first(segment: str) -> tuple[str, str | None, str | None]:
    words: list[str] = []
    number = postcode = None
    number_first = False
    for tok in segment.split():
        m = _NUMBER.match(tok.lower())
        if m and number is None:
            number = m.group(1) + m.group(2)
            number_first = not words
        elif m and len(m.group(1)) == 4 and postcode is None:
            postcode = m.group(1)
            break  # the city follows
        elif number is None or number_first:
            words.append(tok)
        else:
            break  # "Rue X 12 Bruxelles": the city follows the number
    return " ".join(words), number, postcode


def _match_street(index: GeocodeIndex, parsed: ParsedAddress) -> tuple[str, float]:
    for key in parsed.streets:
        if key in index.streets:
            return key, 100.0
    best: tuple[str, float] | None = None
    for key in parsed.streets:
        hit = process.extractOne(key, index.streets.keys(), scorer=fuzz.ratio)
        if hit and (best is None or hit[1] > best[1]):
            best = (str(hit[0]), float(hit[1]))
    if best and best[1] >= MIN_SCORE:
        return best
    msg = f"address {parsed.street!r} not found in {index.source}" + _suggestions(index, parsed)
    raise GeocodeError(msg)


def _suggestions(index: GeocodeIndex, parsed: ParsedAddress, limit: int = 5) -> str:
    labels: dict[str, None] = {}
    for key in parsed.streets:
        for hit_key, _score, _ in process.extract(key, index.streets.keys(),
                                                 scorer=fuzz.WRatio, limit=limit):
            labels[index.streets[hit_key][0]] = None
    names = list(labels)[:limit]
    return f"; closest streets: {'; '.join(names)}" if names else ""


def geocode_offline(address: str, index: GeocodeIndex) -> GeocodeResult:
    """Geocode ``address`` on an offline index.

    Returns house-number precision when the number is indexed on the matched
    street, else street precision. Raises :class:`GeocodeError` with the
    closest street names when nothing matches.
    """
    parsed = parse_address(address)
    if not parsed.streets:
        msg = f"address {address!r} has no street name"
        raise GeocodeError(msg)
    key, score = _match_street(index, parsed)
    if parsed.number is not None:
        hit = index.numbers.get((key, parsed.number))
        if hit is not None:
            label, lat, lon, postcode = hit
            full = f"{label}, {postcode}" if postcode else label
            return GeocodeResult(lat, lon, "housenumber", full, index.source, score)
    label, lat, lon = index.streets[key]
    return GeocodeResult(lat, lon, "street", label, index.source, score)
