"""Pure app logic: filters, click resolution, form diffs, conflict choices."""

from __future__ import annotations

import datetime as dt

from buurtkaart.core.place import Place
from buurtkaart.views.filters import (
    Filters,
    build_index,
    classify_click,
    click_state,
    filter_actors,
    filter_places,
    form_changes,
    place_display_name,
    resolve_click,
    resolve_conflicts,
)

TODAY = dt.date(2026, 11, 28)


def _actor(i: str, roles: list[str], strength: int, last: str | None, **kw: object) -> dict:
    return {"id": i, "name": f"A{i}", "roles": roles, "strength": strength, "last_contact": last,
            "lat": 50.85 + int(i) / 1000, "lon": 4.33, "kind": "person", **kw}


ACTORS = [
    _actor("1", ["sleutelfiguur"], 3, "2026-11-01", category="school"),
    _actor("2", ["partner", "brugfiguur"], 1, "2026-01-15"),
    _actor("3", ["stakeholder"], 0, None),
    _actor("4", ["sleutelfiguur", "partner"], 2, "2025-06-30", category="school"),
]


def _place(osm_id: str | None, lat: float, lon: float, category: str = "school",
           **kw: object) -> Place:
    base: dict = {"name": "P", "name_nl": None, "name_fr": None, "tags": {}, "source": "test"}
    base.update(kw)
    return Place(osm_id=osm_id, category=category, lat=lat, lon=lon, **base)


def _ids(actors: list[dict]) -> list[str]:
    return [a["id"] for a in actors]


def test_no_filter_keeps_everything() -> None:
    assert _ids(filter_actors(ACTORS, Filters(), TODAY)) == ["1", "2", "3", "4"]


def test_role_filter_matches_any_role() -> None:
    assert _ids(filter_actors(ACTORS, Filters(roles=("partner",)), TODAY)) == ["2", "4"]
    assert _ids(filter_actors(ACTORS, Filters(roles=("stakeholder", "sleutelfiguur")),
                              TODAY)) == ["1", "3", "4"]


def test_strength_and_category_filters() -> None:
    assert _ids(filter_actors(ACTORS, Filters(min_strength=2), TODAY)) == ["1", "4"]
    assert _ids(filter_actors(ACTORS, Filters(categories=("school",)), TODAY)) == ["1", "4"]


def test_no_contact_since_months() -> None:
    # 6 months before 28/11/2026 is end of May 2026: actors 2 (Jan 2026), 4 (June 2025)
    # and 3 (never contacted) qualify, actor 1 (Nov 2026) does not.
    assert _ids(filter_actors(ACTORS, Filters(no_contact_months=6), TODAY)) == ["2", "3", "4"]
    # 12 months: only June 2025 and never.
    assert _ids(filter_actors(ACTORS, Filters(no_contact_months=12), TODAY)) == ["3", "4"]


def test_filters_combine() -> None:
    flt = Filters(roles=("sleutelfiguur",), no_contact_months=3)
    assert _ids(filter_actors(ACTORS, flt, TODAY)) == ["4"]


def test_filter_places_hides_dismissed_and_accepted() -> None:
    places = [_place("node/1", 50.0, 4.0), _place("node/2", 50.1, 4.1, "worship_muslim"),
              _place(None, 50.2, 4.2)]
    kept = filter_places(places, Filters(), {"node/1"})
    assert [p.osm_id for p in kept] == ["node/2", None]
    kept = filter_places(places, Filters(categories=("school",)), set())
    assert [p.osm_id for p in kept] == ["node/1", None]


def test_click_resolves_to_marker_id_exactly_and_within_tolerance() -> None:
    places = [_place("way/45", 50.8552001, 4.3387004)]
    actors = [{"id": "abc", "lat": 50.856, "lon": 4.339}]
    org = {"id": "m1", "lat": 50.857, "lon": 4.34}
    index = build_index(places, actors, org)
    assert resolve_click({"lat": 50.8552001, "lng": 4.3387004}, index) == ("place", "way/45")
    assert resolve_click({"lat": 50.856, "lng": 4.339}, index) == ("actor", "abc")
    assert resolve_click({"lat": 50.857, "lng": 4.34}, index) == ("org", "m1")
    # Floating point noise of a JS round trip (well under a metre).
    assert resolve_click({"lat": 50.8560000004, "lng": 4.3389999996}, index) == ("actor", "abc")
    # Far away: nothing.
    assert resolve_click({"lat": 50.9, "lng": 4.4}, index) is None
    assert resolve_click(None, index) is None


def test_actor_wins_over_place_at_the_same_point() -> None:
    places = [_place("node/9", 50.5, 4.5)]
    index = build_index(places, [{"id": "x", "lat": 50.5, "lon": 4.5}])
    assert index[(50.5, 4.5)] == ("actor", "x")


def test_classify_click_tells_object_from_empty_map() -> None:
    obj = {"lat": 1.0, "lng": 2.0}
    spot = {"lat": 1.00001, "lng": 2.00002}
    first = {"last_object_clicked": obj, "last_object_clicked_count": 1, "last_clicked": spot}
    assert classify_click(None, None) is None
    assert classify_click(first, None) == ("object", obj)
    # Same values again (a rerun caused by another widget): nothing new.
    assert classify_click(first, click_state(first)) is None
    other = {"lat": 3.0, "lng": 4.0}
    on_map = {**first, "last_clicked": other}
    assert classify_click(on_map, click_state(first)) == ("map", other)
    # The same marker clicked again after the empty map: its count grows.
    again = {**on_map, "last_object_clicked_count": 2}
    assert classify_click(again, click_state(on_map)) == ("object", obj)
    # The component mounted again (page switch): empty values are no click...
    mounted = {"last_object_clicked": None, "last_object_clicked_count": 0,
               "last_clicked": None}
    assert classify_click(mounted, click_state(again)) is None
    # ...and the first click afterwards counts, even on the same marker.
    assert classify_click({**first}, click_state(mounted)) == ("object", obj)


def test_form_changes_only_reports_real_differences() -> None:
    actor = {"name": "X", "roles": ["partner"], "strength": 0, "notes": None, "formal": True}
    values = {"name": "X", "roles": ["partner"], "strength": 0, "notes": "", "formal": True}
    assert form_changes(actor, values) == {}
    values = {"name": "Y", "roles": ["partner", "sleutelfiguur"], "strength": 2, "notes": "n",
              "formal": False}
    assert form_changes(actor, values) == values


def test_resolve_conflicts_never_takes_mine_without_a_choice() -> None:
    changes = {"notes": "mine", "status": "cooperating", "strength": 3}
    conflicts = {"notes": ("theirs", "mine"), "strength": (1, 3)}
    assert resolve_conflicts(changes, conflicts, {"notes": "mine"}) == {
        "status": "cooperating", "notes": "mine"}
    assert resolve_conflicts(changes, conflicts, {"notes": "theirs", "strength": "theirs"}) == {
        "status": "cooperating"}


def test_bilingual_place_names() -> None:
    place = _place("node/1", 50.0, 4.0, name="Gemeenteplein - Place Communale",
                   name_nl="Gemeenteplein", name_fr="Place Communale")
    assert place_display_name(place, "nl") == "Gemeenteplein"
    assert place_display_name(place, "fr") == "Place Communale"
    assert place_display_name(place, "en") == "Gemeenteplein - Place Communale"
