"""Changes that touch our actors: closed, moved and repurposed places as follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from buurtkaart._errors import InputError
from buurtkaart.meeting.actor_osm import (
    KEPT_SOURCE,
    actor_changes,
    keep_signal,
    kept_keys,
    move_fields,
)
from buurtkaart.meeting.diff import diff_places
from buurtkaart.meeting.signals import validate_signal
from buurtkaart.places import Place

LAT, LON = 50.8552, 4.3387
M_LAT, M_LON = 1 / 111_195.0, 1 / 70_100.0


def place(osm_id: str, name: str, category: str, dn: float = 0.0,
          **tags: str) -> Place:
    return Place(osm_id, name, None, None, category, LAT + dn * M_LAT, LON, {"name": name, **tags},
                 "test", None)


def actor(aid: str, osm_id: str, roles: list[str], dn: float = 0.0) -> dict[str, Any]:
    return {"id": aid, "name": {"a1": "An", "a2": "Bram", "a3": "Chaima"}[aid],
            "osm_id": osm_id, "roles": roles, "lat": LAT + dn * M_LAT, "lon": LON}


OLD = [place("node/1", "Al Amal", "worship_muslim", amenity="place_of_worship"),
       place("node/2", "Bakkerij Jan", "shop_food", 300, shop="bakery"),
       place("node/3", "De Kring", "community", 600, amenity="community_centre")]
NEW = [place("node/1", "Al Amal", "worship_muslim", 120, amenity="place_of_worship"),
       place("node/3", "De Kring", "horeca", 600, amenity="cafe")]
ACTORS = [actor("a1", "node/1", ["sleutelfiguur"]), actor("a2", "node/2", []),
          actor("a3", "node/3", ["partner"], 600), {"id": "a4", "name": "Zonder", "osm_id": None}]


def test_closed_moved_and_repurposed_places_of_actors_in_words() -> None:
    diff = diff_places(OLD, NEW)
    got = {c.kind: c for c in actor_changes(ACTORS, diff, lang="nl")}
    assert set(got) == {"gone", "moved", "purpose"}
    assert got["moved"].text == ("Gebedshuis Al Amal, waar onze sleutelfiguur An actief is, "
                                 "is verhuisd (120 m)")
    assert got["moved"].actor_id == "a1" and got["moved"].distance_m == pytest.approx(120, 1)
    assert got["gone"].actor_id == "a2" and "staat niet meer op de kaart" in got["gone"].text
    assert got["gone"].text.startswith("Bakkerij Jan, waar Bram actief is")
    assert got["purpose"].actor_id == "a3"
    assert got["purpose"].text == ("Buurthuis De Kring, waar onze partner Chaima actief is, "
                                   "is nu een café (was: buurthuis)")
    fr = {c.kind: c.text for c in actor_changes(ACTORS, diff, lang="fr")}
    assert fr["moved"].endswith("a déménagé (120 m)") and "notre personne-clé An" in fr["moved"]
    en = {c.kind: c.text for c in actor_changes(ACTORS, diff, lang="en")}
    assert en["moved"] == "Place of worship Al Amal, where our key figure An is active, " \
        "has moved (120 m)"


def test_move_updates_the_point_and_keep_is_remembered() -> None:
    diff = diff_places(OLD, NEW)
    moved = next(c for c in actor_changes(ACTORS, diff) if c.kind == "moved")
    fields = move_fields(moved)
    assert fields["osm_id"] == "node/1"
    assert fields["lat"] == pytest.approx(LAT + 120 * M_LAT)
    # After the move the actor stands at the new place: the move is no longer raised.
    after = [{**ACTORS[0], **fields}, *ACTORS[1:]]
    assert "moved" not in {c.kind for c in actor_changes(after, diff)}

    gone = next(c for c in actor_changes(ACTORS, diff) if c.kind == "gone")
    with pytest.raises(InputError, match="gone"):
        move_fields(gone)
    signal = validate_signal(keep_signal(gone, dt.date(2026, 12, 1)))
    assert signal["source"] == KEPT_SOURCE and signal["status"] == "ignored"
    kept = kept_keys([signal, {"source": "osm-diff", "tags": ["a", "b"]}])
    assert kept == {("a2", "gone:node/2")}
    left = actor_changes(ACTORS, diff, kept)
    assert {c.kind for c in left} == {"moved", "purpose"}


def test_no_diff_or_no_link_means_no_follow_up() -> None:
    assert actor_changes(ACTORS, None) == []
    unchanged = diff_places(OLD, OLD)
    assert actor_changes(ACTORS, unchanged) == []
    redrawn_in_place = diff_places([OLD[0]], [place("node/1", "Al Amal", "worship_muslim", 5,
                                                    amenity="place_of_worship")])
    assert actor_changes(ACTORS, redrawn_in_place) == []
