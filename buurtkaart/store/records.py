"""Field specifications of every store entity: validation and normalisation.

Each entity (``actor``, ``map``, ``link``...) is described once by a tuple of
:class:`Field`; the table columns in :mod:`buurtkaart.store.schema` and the
checks applied by the one write path both derive from it. Values may arrive as
Python objects or as strings (CLI ``--set field=value``); they are coerced and
checked here, and any unknown field or bad value raises
:class:`~buurtkaart._errors.InputError` naming the entity, field and value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from buurtkaart._errors import InputError
from buurtkaart.core import vocab

#: Bookkeeping fields kept by the write path; never set by callers.
BOOKKEEPING = ("created_by", "created_at", "updated_by", "updated_at", "version")

@dataclass(frozen=True)
class Field:
    """One field of a store record.

    Attributes
    ----------
    name : str
        Field name (also the column name).
    kind : str
        One of ``str``, ``text``, ``int``, ``float``, ``bool``, ``date``,
        ``datetime``, ``list``, ``json``, ``key`` (a vocabulary key) and
        ``keys`` (a list of vocabulary keys).
    default : Any
        Value used when an insert leaves the field out.
    choices : Mapping | None
        Vocabulary for ``key``/``keys`` fields.
    lo, hi : float | None
        Inclusive range of numeric fields.
    required : bool
        An insert must give a non-empty value.
    """

    name: str
    kind: str
    default: Any = None
    choices: Mapping[Any, Any] | None = None
    lo: float | None = None
    hi: float | None = None
    required: bool = False


def _f(name: str, kind: str = "str", default: Any = None, **kw: Any) -> Field:
    return Field(name, kind, default, **kw)


_LAT = _f("lat", "float", lo=-90, hi=90)
_LON = _f("lon", "float", lo=-180, hi=180)
_MAP_ID = _f("map_id", required=True)

FIELDS: dict[str, tuple[Field, ...]] = {
    "map": (
        _f("name", required=True), _f("org_name", default=""), _f("address"),
        _LAT, _LON, _f("area", "json"),
        _f("lang", "key", "nl", choices={k: k for k in vocab.LANGS}),
        _f("archived_at", "datetime"),
    ),
    "actor": (
        _MAP_ID, _f("osm_id"), _f("name", required=True),
        _f("kind", "key", "organisation", choices=vocab.KINDS),
        _f("formal", "bool", True),
        _f("roles", "keys", [], choices=vocab.ROLES),
        _f("domain", "key", "omgeving", choices=vocab.DOMAINS),
        _f("strength", "int", 0, lo=0, hi=3),
        _f("status", "key", "to_contact", choices=vocab.STATUSES),
        _f("leaning", "key", "neutral", choices=vocab.LEANINGS),
        _f("contact_person", default=""), _f("last_contact", "date"),
        _f("notes", "text", ""), _f("tags", "list", []), _LAT, _LON,
        _f("location_precision", "key", None, choices={"exact": 1, "coarse": 1}),
        _f("privacy", "key", None, choices=vocab.PRIVACY),
        _f("review_date", "date"), _f("category"), _f("source", default="manual"),
    ),
    "link": (
        _MAP_ID, _f("from_id", required=True), _f("to_id", required=True),
        _f("type", default="knows"), _f("strength", "int", 1, lo=0, hi=3),
        _f("note", "text", ""),
    ),
    "contact": (
        _MAP_ID, _f("actor_id", required=True), _f("date", "date", required=True),
        _f("user", default=""),
        _f("channel", "key", "other", choices=vocab.CHANNELS),
        _f("outcome", "key", "reached", choices=vocab.CONTACT_OUTCOMES),
        _f("note", "text", ""),
    ),
    "signal": (
        _MAP_ID, _f("date", "date", required=True),
        _f("type", "key", "other", choices=vocab.SIGNAL_TYPES),
        _f("title", required=True), _f("description", "text", ""), _LAT, _LON,
        _f("area", "json"), _f("source", default="manual"), _f("tags", "list", []),
        _f("status", "key", "draft", choices={"draft": 1, "accepted": 1, "ignored": 1}),
    ),
    "agenda": (
        _MAP_ID, _f("title", required=True), _f("start", "datetime", required=True),
        _f("rrule"), _f("place", default=""), _f("category"), _LAT, _LON,
        _f("note", "text", ""),
    ),
    "meeting": (
        _MAP_ID, _f("date", "date", required=True), _f("title", default=""),
        _f("attendees", "list", []), _f("notes", "text", ""),
        _f("decisions", "list", []), _f("actions", "json", []),
    ),
    "reflection": (
        _MAP_ID, _f("meeting_id"), _f("date", "date", required=True),
        _f("domain", "key", required=True, choices=vocab.DOMAINS),
        _f("factor", required=True), _f("score", "int", required=True, lo=1, hi=4),
        _f("dimension", "key", choices=vocab.DIMENSIONS), _f("note", "text", ""),
    ),
    "import": (
        _MAP_ID, _f("source", required=True), _f("source_hash"), _f("area", "json"),
        _f("place_count", "int", 0, lo=0),
    ),
    "dismissal": (_MAP_ID, _f("osm_id", required=True)),
}

#: entity -> table name
TABLES: dict[str, str] = {
    "map": "maps", "actor": "actors", "link": "links", "contact": "contacts",
    "signal": "signals", "agenda": "agenda", "meeting": "meetings",
    "reflection": "reflections", "import": "imports", "dismissal": "dismissals",
}


def _bad(entity: str, name: str, value: Any, why: str) -> InputError:
    return InputError(f"bad {entity} value for '{name}': {value!r} ({why})")


def _to_number(f: Field, entity: str, value: Any) -> float | int:
    if isinstance(value, bool):
        raise _bad(entity, f.name, value, "expected a number")
    try:
        num = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError) as e:
        raise _bad(entity, f.name, value, "expected a number") from e
    if not math.isfinite(num):
        raise _bad(entity, f.name, value, "expected a finite number")
    if (f.lo is not None and num < f.lo) or (f.hi is not None and num > f.hi):
        raise _bad(entity, f.name, value, f"expected {f.lo:g} to {f.hi:g}")
    if f.kind == "int":
        if num != int(num):
            raise _bad(entity, f.name, value, "expected a whole number")
        return int(num)
    return num


def _to_bool(f: Field, entity: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "ja", "oui", "y"}:
        return True
    if text in {"0", "false", "no", "nee", "non", "n"}:
        return False
    raise _bad(entity, f.name, value, "expected true or false")


def _to_date(f: Field, entity: str, value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as e:
        raise _bad(entity, f.name, value, "expected a date YYYY-MM-DD") from e


def _to_datetime(f: Field, entity: str, value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return (date.fromisoformat(text) if len(text) == 10
                else datetime.fromisoformat(text)).isoformat()
    except ValueError as e:
        raise _bad(entity, f.name, value, "expected an ISO date or date-time") from e


def _to_list(f: Field, entity: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError as e:
                raise _bad(entity, f.name, value, "expected a JSON list") from e
        else:
            return [p.strip() for p in text.split(",") if p.strip()]
    if not isinstance(value, list | tuple):
        raise _bad(entity, f.name, value, "expected a list")
    return list(value)


def _to_json(f: Field, entity: str, value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as e:
            raise _bad(entity, f.name, value, "expected JSON") from e
    try:
        json.dumps(value)
    except (TypeError, ValueError) as e:
        raise _bad(entity, f.name, value, "not JSON-serialisable") from e
    return value


def _to_key(f: Field, entity: str, value: Any) -> str:
    key = str(value).strip()
    if f.choices is not None and key not in f.choices:
        allowed = ", ".join(str(k) for k in f.choices)
        what = f.name[:-1] if f.kind == "keys" and f.name.endswith("s") else f.name
        raise _bad(entity, f.name, value, f"unknown {what}; expected one of {allowed}")
    return key


def _to_keys(f: Field, entity: str, value: Any) -> list[str]:
    keys = [_to_key(f, entity, v) for v in _to_list(f, entity, value)]
    return list(dict.fromkeys(keys))


def _to_str(f: Field, entity: str, value: Any) -> str:
    if isinstance(value, dict | list | tuple | set):
        raise _bad(entity, f.name, value, "expected text")
    return str(value)


_COERCE: dict[str, Callable[[Field, str, Any], Any]] = {
    "str": _to_str, "text": _to_str, "int": _to_number, "float": _to_number,
    "bool": _to_bool, "date": _to_date, "datetime": _to_datetime, "list": _to_list,
    "json": _to_json, "key": _to_key, "keys": _to_keys,
}


def field_map(entity: str) -> dict[str, Field]:
    """Return ``{name: Field}`` for ``entity`` (InputError when unknown)."""
    if entity not in FIELDS:
        msg = f"unknown entity {entity!r}; expected one of {', '.join(FIELDS)}"
        raise InputError(msg)
    return {f.name: f for f in FIELDS[entity]}


def coerce(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert the given fields of ``entity`` (a partial record).

    Parameters
    ----------
    entity : str
        Entity name, e.g. ``"actor"``.
    data : Mapping
        Field values; strings are converted to the field's type.

    Returns
    -------
    dict
        The converted values (``None`` and ``""`` clear optional fields).

    Raises
    ------
    InputError
        On an unknown field or a bad value, naming both.
    """
    fields = field_map(entity)
    out: dict[str, Any] = {}
    for name, value in data.items():
        f = fields.get(name)
        if f is None:
            msg = (f"unknown {entity} field {name!r}; expected one of "
                   f"{', '.join(fields)}")
            raise InputError(msg)
        empty = value is None or (isinstance(value, str) and not value.strip()
                                  and f.kind not in {"str", "text"})
        out[name] = _empty_value(f) if empty else _COERCE[f.kind](f, entity, value)
    return out


def is_empty(value: Any) -> bool:
    """True for None, blank text and empty lists."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _empty_value(f: Field) -> Any:
    return [] if f.kind in {"list", "keys"} else None


def complete(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a full record for an insert: coerced values plus defaults.

    Raises
    ------
    InputError
        When a required field is missing or empty.
    """
    record = coerce(entity, data)
    for f in FIELDS[entity]:
        if f.name not in record:
            record[f.name] = json.loads(json.dumps(f.default))
        if f.required and is_empty(record[f.name]):
            msg = f"missing {entity} field {f.name!r}: a value is required"
            raise InputError(msg)
    return record


def now_iso() -> str:
    """Return the current UTC time as a fixed-width ISO 8601 string."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    """Format ``moment`` as fixed-width UTC ISO 8601 (microseconds, ``+00:00``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def parse_time(value: str | datetime | date) -> str:
    """Parse a time given by a user into the store's ISO form (naive = UTC).

    Raises
    ------
    InputError
        When ``value`` is not an ISO 8601 date or date-time.
    """
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return iso(datetime(value.year, value.month, value.day, tzinfo=UTC))
    try:
        return iso(datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")))
    except ValueError as e:
        msg = f"bad time {value!r}: expected ISO 8601, e.g. 2026-11-28T15:00:00+00:00"
        raise InputError(msg) from e
