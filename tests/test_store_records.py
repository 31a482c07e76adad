"""Field validation and normalisation of store records (no database)."""

from __future__ import annotations

import math

import pytest

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.core.geo import snap
from buurtkaart.store.records import coerce, complete, parse_time


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance, independent of the snapping code."""
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111_320.0
    dx = (a[1] - b[1]) * 111_320.0 * math.cos(lat)
    return math.hypot(dx, dy)


def test_actor_defaults() -> None:
    rec = complete("actor", {"map_id": "m", "name": "Buurthuis", "roles": ["partner"]})
    assert rec["kind"] == "organisation"
    assert rec["privacy"] == "public"
    assert rec["location_precision"] == "exact"
    assert rec["strength"] == 0
    assert rec["tags"] == []


def test_strings_are_coerced_like_the_cli_sends_them() -> None:
    rec = coerce("actor", {"strength": "2", "formal": "false", "roles": "partner, financier",
                           "lat": "50.85", "last_contact": "2026-11-02", "tags": "a,b"})
    assert rec == {"strength": 2, "formal": False, "roles": ["partner", "financier"],
                   "lat": 50.85, "last_contact": "2026-11-02", "tags": ["a", "b"]}


@pytest.mark.parametrize(("field", "value"), [
    ("roles", "imam"), ("kind", "robot"), ("status", "married"), ("leaning", "left"),
    ("privacy", "secret"), ("domain", "sport"), ("strength", 4), ("strength", "1.5"),
    ("strength", True), ("lat", 91), ("lon", "east"), ("last_contact", "28/11/2026"),
    ("formal", "maybe"), ("location_precision", "fuzzy"), ("lat", "nan"),
])
def test_bad_values_name_field_and_value(field: str, value: object) -> None:
    with pytest.raises(InputError) as err:
        complete("actor", {"map_id": "m", "name": "X", field: value})
    text = str(err.value)
    assert f"'{field}'" in text
    assert str(value) in text


def test_unknown_field_is_named() -> None:
    with pytest.raises(InputError, match="unknown actor field 'colour'"):
        coerce("actor", {"colour": "red"})


def test_bookkeeping_cannot_be_set() -> None:
    with pytest.raises(InputError, match="'version'"):
        coerce("actor", {"version": 9})


def test_missing_name_is_refused() -> None:
    with pytest.raises(InputError, match="'name'"):
        complete("actor", {"map_id": "m", "name": "  "})


def test_roles_follow_the_vocabulary_and_stay_extensible(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    for key in vocab.ROLES:
        assert coerce("actor", {"roles": [key]}) == {"roles": [key]}
    # The vocabulary is extended in core/vocab.py (keys) and the catalog (labels);
    # until then an unknown role is refused with the known ones listed.
    monkeypatch.setattr(vocab, "ROLES", (*vocab.ROLES, "buurtwerker"))
    with pytest.raises(InputError, match="unknown role"):
        coerce("actor", {"roles": "buurtwerker"})


def test_person_is_team_internal_and_coarse() -> None:
    point = (50.855237, 4.338711)
    rec = complete("actor", {"map_id": "m", "name": "Josianne", "kind": "person",
                             "lat": point[0], "lon": point[1]})
    assert rec["privacy"] == "team"
    assert rec["location_precision"] == "coarse"
    moved = _metres(point, (rec["lat"], rec["lon"]))
    assert 0 < moved <= 50 * math.sqrt(2) + 1  # within half a 100 m cell diagonal


def test_person_exact_location_when_asked() -> None:
    rec = complete("actor", {"map_id": "m", "name": "Imam", "kind": "person",
                             "lat": 50.855237, "lon": 4.338711,
                             "location_precision": "exact", "privacy": "public"})
    assert (rec["lat"], rec["lon"]) == (50.855237, 4.338711)
    assert rec["privacy"] == "public"


def test_snap_is_idempotent_and_on_a_100m_grid() -> None:
    a = snap(50.85001, 4.33001)
    assert snap(*a) == a
    # two points ~120 m apart north-south land in cells 100 or 200 m apart
    b = snap(50.85001 + 120 / 111_320.0, 4.33001)
    assert a[0] is not None and b[0] is not None
    step = (b[0] - a[0]) * 111_320.0
    assert round(step) in {100, 200}
    assert snap(None, 4.3) == (None, 4.3)


def test_parse_time_normalises_to_utc() -> None:
    assert parse_time("2026-11-28T16:00:00+01:00") == "2026-11-28T15:00:00.000000+00:00"
    assert parse_time("2026-11-28") == "2026-11-28T00:00:00.000000+00:00"
    assert parse_time("2026-11-28T15:00:00Z") == "2026-11-28T15:00:00.000000+00:00"
    with pytest.raises(InputError, match="yesterday"):
        parse_time("yesterday")
