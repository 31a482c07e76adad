"""Map raw features (file properties) to actor fields, and validate each one.

A :class:`FieldMapping` says which file column or property feeds which actor
field; :func:`default_mapping` guesses it from common names, the import wizard
lets a user change it. :func:`to_candidates` turns raw features into
:class:`Candidate` actors or :class:`~buurtkaart.exchange.readers.Rejection`
entries with their index and reason.

A row without a point (an address-only CSV) is located by geocoding its
address column with the ``geocode`` function given (the offline geocoder of
the map's extract, built by the service): each such row gets a
:class:`Located` line with the precision reached, and a miss is rejected with
its reason (it is not imported).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from buurtkaart._errors import GeocodeError, InputError
from buurtkaart.core import vocab
from buurtkaart.core.address import GeocodeResult
from buurtkaart.core.categories import categorize
from buurtkaart.core.geo import distance_m
from buurtkaart.exchange import profiles as pr
from buurtkaart.exchange.readers import (
    GeometryProblem,
    RawFeature,
    ReadResult,
    Rejection,
    representative_point,
)
from buurtkaart.exchange.readers.csvfile import ADDRESS_NAMES
from buurtkaart.i18n import label_or_key

#: address text -> point; raises GeocodeError (or InputError) for a miss
Geocoder = Callable[[str], GeocodeResult]
#: precisions a worker should check on the map (only the street or a square was found)
CHECK_PRECISIONS = frozenset({"street", "area", "place"})

#: Actor fields a user can map a column to, with the column names tried by default.
GUESSES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "nom", "title", "titel", "titre", "label"),
    "notes": ("notes", "description", "beschrijving", "omschrijving", "note", "opmerking"),
    "category": ("category", "categorie", "catégorie"),
    "kind": ("kind", "soort"),
    "roles": ("roles", "role", "rol", "rollen", "rôle"),
    "osm_id": ("osm_id", "@id"),
    "contact_person": ("contact_person", "contactpersoon", "contact"),
    "address": ADDRESS_NAMES,
}
MAPPABLE = tuple(GUESSES)
#: Properties of a buurtkaart export that restore actor record fields.
_EXPORT_KEYS = {k: v for k, v in pr.ACTOR_FIELDS.items() if k != "last_verified"}


@dataclass
class FieldMapping:
    """Which column feeds which actor field, and the defaults of unmapped fields.

    Attributes
    ----------
    columns : dict
        actor field -> column name (None = not mapped).
    kind : str
        Kind given to imported actors without a mapped kind.
    roles : list of str
        Roles given to imported actors without mapped roles.
    layer_as : str
        ``tag`` (a uMap layer name is added to the tags) or ``category``.
    keep_other : bool
        Keep the unmapped properties as ``key=value`` tags.
    """

    columns: dict[str, str | None] = field(default_factory=dict)
    kind: str = "organisation"
    roles: list[str] = field(default_factory=list)
    layer_as: str = "tag"
    keep_other: bool = True


def default_mapping(columns: list[str]) -> FieldMapping:
    """Return the mapping guessed from column names (case-insensitive)."""
    lower = {c.strip().lower(): c for c in reversed(columns)}
    chosen: dict[str, str | None] = {}
    for fname, names in GUESSES.items():
        chosen[fname] = next((lower[n] for n in names if n in lower), None)
    return FieldMapping(columns=chosen)


@dataclass(frozen=True)
class Located:
    """How one row without a point was geocoded from its address.

    ``precision`` is a :data:`~buurtkaart.core.address.PRECISIONS` value, or ""
    for a miss; then ``reason`` is ``not_found``, ``ambiguous``, ``no_street``,
    ``empty`` or ``no_geocoder`` and ``candidates`` the closest streets.
    """

    index: int
    address: str
    precision: str = ""
    label: str = ""
    commune: str = ""
    reason: str = ""
    candidates: tuple[str, ...] = ()

    @property
    def check(self) -> bool:
        """True when only the street or a square was found: the worker checks the point."""
        return self.precision in CHECK_PRECISIONS


@dataclass
class Candidate:
    """One valid feature turned into actor fields, ready for the dedupe and the store."""

    index: int
    fields: dict[str, Any]
    geometry: dict[str, Any] | None = None


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = _text(value)
    if not text:
        return []
    for sep in ("|", ";", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text]


def _tags_of(raw: RawFeature, used: set[str]) -> list[str]:
    out = []
    for key, value in raw.properties.items():
        if key in used or isinstance(value, dict | list):
            continue
        text = _text(value)
        if text is not None:
            out.append(f"{key}={text}")
    return out


def _osm_category(raw: RawFeature) -> str | None:
    tags = {str(k): str(v) for k, v in raw.properties.items() if isinstance(v, str)}
    try:
        return categorize(tags)
    except Exception:  # a taxonomy problem must not stop an import
        return None


def _check_vocab(fields: dict[str, Any]) -> str | None:
    kind = fields.get("kind")
    if kind not in vocab.KINDS:
        return f"unknown kind {kind!r}: expected one of {', '.join(vocab.KINDS)}"
    bad = [r for r in fields.get("roles", []) if r not in vocab.ROLES]
    if bad:
        return f"unknown role(s) {', '.join(map(repr, bad))}: expected keys such as partner"
    return None


def _mapped_fields(raw: RawFeature, mapping: FieldMapping) -> dict[str, Any]:
    cols = mapping.columns
    props = raw.properties
    fields: dict[str, Any] = {"name": _text(props.get(cols.get("name") or ""))}
    notes = [_text(props.get(cols.get("notes") or ""))]
    address = _text(props.get(cols.get("address") or ""))
    if address:
        notes.append(address)
    fields["notes"] = "\n".join(n for n in notes if n) or ""
    kind = _text(props.get(cols.get("kind") or "")) or mapping.kind
    fields["kind"] = kind
    fields["formal"] = kind not in ("person",)
    roles = _split(props.get(cols.get("roles") or "")) or list(mapping.roles)
    fields["roles"] = roles
    fields["osm_id"] = raw.osm_id or _text(props.get(cols.get("osm_id") or ""))
    osm_category = _osm_category(raw)
    fields["category"] = _text(props.get(cols.get("category") or "")) or osm_category
    contact = _text(props.get(cols.get("contact_person") or ""))
    if contact:
        fields["contact_person"] = contact
    used = {c for c in cols.values() if c}
    tags = _tags_of(raw, used) if mapping.keep_other else []
    if raw.layer:
        if mapping.layer_as == "category" and not fields["category"]:
            fields["category"] = raw.layer
        else:
            tags.insert(0, raw.layer)
    fields["tags"] = tags
    if not fields["name"]:
        fields["name"] = _fallback_name(raw, osm_category)
    return fields


_MAIN_KEYS = ("amenity", "shop", "leisure", "tourism", "office", "craft", "healthcare",
              "social_facility", "club", "sport", "building", "historic")


def _fallback_name(raw: RawFeature, category: str | None) -> str | None:
    """Name an unnamed OSM object after its category or main tag (OSM data only)."""
    osm_like = raw.osm_id is not None or category is not None
    if not osm_like:
        return None
    if category:
        return f"({label_or_key(category)})"
    for key in _MAIN_KEYS:
        value = raw.properties.get(key)
        if isinstance(value, str) and value:
            return f"({key}={value})"
    return None


def _export_fields(raw: RawFeature) -> dict[str, Any]:
    """Restore actor record fields from a buurtkaart export feature."""
    return {rec: raw.properties[out] for out, rec in _EXPORT_KEYS.items()
            if out in raw.properties}


def to_candidates(result: ReadResult, mapping: FieldMapping | None = None,
                  center: tuple[float, float] | None = None, geocode: Geocoder | None = None,
                  located: list[Located] | None = None) -> list[Candidate]:
    """Validate raw features and return the actor candidates.

    Invalid features are appended to ``result.rejected`` with their index and reason:
    bad geometry, no name, unknown kind or role, (with ``center``) coordinates
    that only make sense swapped, or an address that ``geocode`` cannot place.
    Rows without a point are geocoded (after the other checks); each gets a
    :class:`Located` entry appended to ``located``.
    """
    mapping = mapping or default_mapping(result.columns)
    export = result.meta is not None and result.meta.get("format") == pr.FORMAT_NAME
    out = []
    for raw in result.features:
        if export and raw.layer != "actors":
            continue
        by_address = raw.geometry is None and result.fmt == "csv"  # an address-only CSV
        point = None if by_address else _file_point(raw, export, center, result)
        if point is False:
            continue
        fields = _export_fields(raw) if export else _mapped_fields(raw, mapping)
        why = _field_problem(fields, mapping)
        if why:
            result.rejected.append(Rejection(raw.index, why))
            continue
        if by_address:
            point, where = _geocoded(raw, mapping, geocode, result)
            if located is not None and where is not None:
                located.append(where)
            if point is None or where is None:
                continue
            fields["tags"] = [*fields.get("tags", []), f"geocoded={where.precision}"]
        if isinstance(point, tuple):
            fields["lat"], fields["lon"] = round(point[0], 7), round(point[1], 7)
        geom = raw.geometry if raw.geometry and raw.geometry.get("type") != "Point" else None
        out.append(Candidate(raw.index, fields, geom))
    result.rejected.sort(key=lambda r: r.index)
    return out


def _file_point(raw: RawFeature, export: bool, center: tuple[float, float] | None,
                result: ReadResult) -> tuple[float, float] | bool | None:
    """Return the feature's point, None (an exported actor without one) or False (rejected)."""
    try:
        lat, lon = representative_point(raw.geometry)
    except GeometryProblem as e:
        if export and raw.geometry is None:
            return None  # an exported actor without a point
        result.rejected.append(Rejection(raw.index, str(e)))
        return False
    if center is not None:
        why = swapped_reason(lat, lon, center)
        if why:
            result.rejected.append(Rejection(raw.index, why))
            return False
    return lat, lon


def _field_problem(fields: dict[str, Any], mapping: FieldMapping) -> str | None:
    if not fields.get("name"):
        col = mapping.columns.get("name") or "name"
        return f"no name (column {col!r} is empty)"
    fields.setdefault("kind", "organisation")
    fields.setdefault("roles", [])
    return _check_vocab(fields)


def _geocoded(raw: RawFeature, mapping: FieldMapping, geocode: Geocoder | None,
              result: ReadResult) -> tuple[tuple[float, float] | None, Located | None]:
    """Geocode a row's address: ``(point, located)``; a miss is rejected (point None)."""
    col = mapping.columns.get("address")
    address = _text(raw.properties.get(col or ""))
    if not address:
        why = (f"no coordinates and no address (column {col!r} is empty)" if col
               else "no coordinates and no address column mapped")
        result.rejected.append(Rejection(raw.index, why))
        return None, Located(raw.index, "", reason="empty") if col else None
    if geocode is None:
        result.rejected.append(Rejection(
            raw.index, f"no coordinates: address {address!r} not geocoded (no OSM extract "
                       "given: --osm-file or BUURTKAART_OSM_FILE)"))
        return None, Located(raw.index, address, reason="no_geocoder")
    try:
        hit = geocode(address)
    except GeocodeError as e:
        result.rejected.append(Rejection(raw.index, f"address not geocoded ({e.reason}): {e}"))
        return None, Located(raw.index, address, reason=e.reason, candidates=e.candidates)
    except InputError as e:
        result.rejected.append(Rejection(raw.index, f"address not geocoded: {e}"))
        return None, Located(raw.index, address, reason="empty")
    return (hit.lat, hit.lon), Located(raw.index, address, hit.precision, hit.label,
                                       hit.commune)


def swapped_reason(lat: float, lon: float, center: tuple[float, float]) -> str | None:
    """Return a reason when (lat, lon) is far from ``center`` but (lon, lat) is near it."""
    if not (-90 <= lon <= 90):
        return None
    here = distance_m(lat, lon, *center)
    swapped = distance_m(lon, lat, *center)
    if here > 200_000 and swapped < 50_000:
        return (f"latitude {lat} and longitude {lon} look swapped: the point is "
                f"{here / 1000:.0f} km from the map, swapped it would be {swapped / 1000:.1f} km")
    return None
