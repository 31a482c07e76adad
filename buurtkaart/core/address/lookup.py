"""Offline lookup (pure): address text -> street, commune, house number -> point.

Order of precision: the number itself (``housenumber``, also as part of a
range or list), a point on an interpolation line (``interpolated``), the
nearest numbers of the same side of the same street (``estimated``), the
street (``street``), a named square, park or landmark (``area``).
"""

from __future__ import annotations

from typing import Any

from buurtkaart._errors import GeocodeError
from buurtkaart.core.address.model import (
    PRECISIONS,
    AreaEntry,
    GeocodeIndex,
    GeocodeResult,
    StreetEntry,
)
from buurtkaart.core.address.names import city_key, normalize
from buurtkaart.core.address.parse import ParsedAddress, parse_address
from buurtkaart.core.address.placing import place_number

#: fuzzy score (rapidfuzz ratio) a misspelt street needs; short names need more
MIN_SCORE = 85.0
MIN_SCORE_SHORT = 91.0
SHORT_KEY = 10


def resolve_communes(index: GeocodeIndex, parsed: ParsedAddress) -> set[int] | None:
    """Return the communes the postcode or city names, or None when none is given or known."""
    if parsed.postcode and parsed.postcode in index.postcodes:
        return set(index.postcodes[parsed.postcode])
    if not parsed.city:
        return None
    key = city_key(parsed.city)
    if key in index.commune_names:
        return set(index.commune_names[key])
    for word in key.split():
        if word in index.commune_names:
            return set(index.commune_names[word])
    return None


def _cutoff(key: str) -> float:
    return MIN_SCORE_SHORT if len(key) < SHORT_KEY else MIN_SCORE


def _fuzzy(key: str, index: GeocodeIndex, kind: str,
           communes: set[int] | None) -> tuple[str, float] | None:
    choices: dict[str, list[Any]] = getattr(index, kind)
    hits = index.prepared(kind).extract(key, 5, _cutoff(key))
    if not hits:
        return None
    best = max(float(h[1]) for h in hits)
    for hit_key, score, _ in hits:
        entries = choices[hit_key]
        if communes is None or float(score) < best - 5:
            continue
        if any(set(getattr(e, "communes", ())) & communes for e in entries):
            return str(hit_key), float(score)
    return str(hits[0][0]), float(hits[0][1])


def match_street(index: GeocodeIndex, parsed: ParsedAddress,
                 communes: set[int] | None) -> tuple[str, float] | None:
    """Return the street key matched (exactly, else fuzzily) and its score, or None."""
    for key in parsed.streets:
        if key in index.streets:
            return key, 100.0
    best: tuple[str, float] | None = None
    for key in parsed.streets:
        hit = _fuzzy(key, index, "streets", communes)
        if hit and (best is None or hit[1] > best[1]):
            best = hit
    for plain in parsed.plain:
        hits = index.prepared("plain").extract(plain, 1, _cutoff(plain))
        found = hits[0] if hits else None
        if found and (best is None or float(found[1]) > best[1]):
            best = index.plain[found[0]], float(found[1])
    return best


def _commune_names(index: GeocodeIndex, entry: StreetEntry) -> str:
    return " / ".join(index.commune_label(c) for c in entry.communes[:2]) or "?"


def choose_entry(index: GeocodeIndex, key: str, parsed: ParsedAddress,
                 communes: set[int] | None) -> StreetEntry:
    """Pick the stretch of street meant; raise ``ambiguous`` when communes compete."""
    entries = index.streets[key]
    if communes is not None:
        inside = [e for e in entries if set(e.communes) & communes]
        if inside:
            return max(inside, key=lambda e: e.size)
    elif parsed.city or parsed.postcode:  # a commune the extract has no boundary for
        entries = [e for e in entries if not e.communes] or entries
    mains = {e.communes[0] if e.communes else -1 for e in entries}
    if len(mains) > 1 and parsed.number is not None:
        entries = _entries_with_number(index, key, entries, parsed.number) or entries
        mains = {e.communes[0] if e.communes else -1 for e in entries}
    if len(mains) > 1:
        names = tuple(dict.fromkeys(f"{e.label} ({_commune_names(index, e)})"
                                    for e in sorted(entries, key=lambda e: -e.size)))
        msg = (f"street {parsed.street!r} is in several communes: {'; '.join(names)}; "
               "add the commune or postcode")
        raise GeocodeError(msg, "ambiguous", names)
    return max(entries, key=lambda e: e.size)


def _entries_with_number(index: GeocodeIndex, key: str, entries: list[StreetEntry],
                         number: str) -> list[StreetEntry]:
    """Keep the stretches whose commune places ``number`` best (exact before estimated)."""
    rank: dict[int, int] = {}
    for cid in {c for e in entries for c in e.communes}:
        placed = place_number(index, key, number, {cid})
        if placed is not None:
            rank[cid] = PRECISIONS.index(placed[0])
    if not rank:
        return []
    best = min(rank.values())
    where = {c for c, r in rank.items() if r == best}
    return [e for e in entries if e.communes and e.communes[0] in where]


def _street_point(entry: StreetEntry, communes: set[int] | None) -> tuple[float, float]:
    if entry.square:
        return entry.lat, entry.lon
    for cid in sorted(communes or ()):
        if cid in entry.by_commune:
            return entry.by_commune[cid]
    return entry.lat, entry.lon


def _label(street: str, number: str, postcode: str) -> str:
    head = f"{street} {number}" if number else street
    return f"{head}, {postcode}" if postcode else head


def _area_result(index: GeocodeIndex, parsed: ParsedAddress,
                 communes: set[int] | None) -> GeocodeResult | None:
    for key in parsed.streets:
        hit = (key, 100.0) if key in index.areas else None
        hit = hit or _fuzzy(key, index, "areas", None)
        if hit is None:
            continue
        inside = [a for a in index.areas[hit[0]] if communes is None or a.commune in communes]
        if inside and communes is None and parsed.city and len({a.commune for a in inside}) > 1:
            inside = _named_after(inside, parsed.city)
        if not inside:
            continue  # not in the commune asked for, or in a commune the index lacks
        area = inside[0]
        return GeocodeResult(area.lat, area.lon, "area", area.label, index.source, hit[1],
                             index.commune_label(area.commune))
    return None


def _named_after(areas: list[AreaEntry], city: str) -> list[AreaEntry]:
    """Keep the one landmark whose own name holds ``city`` (a commune the index lacks).

    "Hôtel de ville, Saint-Gilles" on an extract without Saint-Gilles' boundary
    still finds "Maison communale de Saint-Gilles - Gemeentehuis Sint-Gillis";
    no or several such names: none is kept (the query is refused, not guessed).
    """
    key = f" {city_key(city)} "
    named = {a.label: a for a in areas if key in f" {normalize(a.label)} "}
    return list(named.values()) if len(named) == 1 else []


def _not_found(index: GeocodeIndex, parsed: ParsedAddress, limit: int = 5) -> GeocodeError:
    labels: dict[str, None] = {}
    for plain in parsed.plain:
        for hit_key, _score, _ in index.prepared("plain").extract(plain, limit):
            for e in index.streets.get(index.plain[hit_key], [])[:2]:
                labels[f"{e.label} ({_commune_names(index, e)})" if e.communes else e.label] = None
    names = tuple(labels)[:limit]
    hint = f"; closest streets: {'; '.join(names)}" if names else ""
    return GeocodeError(f"address {parsed.street!r} not found in {index.source}{hint}",
                        "not_found", names)


def geocode_offline(address: str, index: GeocodeIndex) -> GeocodeResult:
    """Geocode ``address`` on an offline index.

    Returns the best precision reached (see the module docstring). Raises
    :class:`GeocodeError` with the closest street names when nothing matches,
    and with the competing streets and their communes when a street name is in
    several communes and neither a commune nor a postcode tells them apart.
    """
    parsed = parse_address(address)
    if not parsed.streets:
        msg = f"address {address!r} has no street name"
        raise GeocodeError(msg, "no_street")
    communes = resolve_communes(index, parsed)
    matched = match_street(index, parsed, communes)
    if matched is None or (matched[1] < 100.0 and parsed.number is None):
        area = _area_result(index, parsed, communes)
        if area is not None and (matched is None or area.score >= matched[1]):
            return area
    if matched is None:
        raise _not_found(index, parsed)
    key, score = matched
    entry = choose_entry(index, key, parsed, communes)
    where = communes if communes is not None else set(entry.communes) or None
    commune_id = next((c for c in entry.communes if communes is None or c in communes),
                      entry.communes[0] if entry.communes else -1)
    if parsed.number is not None:
        placed = place_number(index, key, parsed.number, where)
        if placed is not None:
            precision, lat, lon, point = placed
            postcode = point.postcode or parsed.postcode or _postcode(index, point.commune)
            return GeocodeResult(lat, lon, precision, _label(point.street, parsed.number, postcode),
                                 index.source, score, index.commune_label(point.commune))
    lat, lon = _street_point(entry, communes)
    if entry.square and parsed.number is None:
        return GeocodeResult(lat, lon, "area", entry.label, index.source, score,
                             index.commune_label(commune_id))
    return GeocodeResult(lat, lon, "street", entry.label, index.source, score,
                         index.commune_label(commune_id))


def _postcode(index: GeocodeIndex, cid: int) -> str:
    if 0 <= cid < len(index.communes) and index.communes[cid].postcodes:
        return index.communes[cid].postcodes[0]
    return ""
