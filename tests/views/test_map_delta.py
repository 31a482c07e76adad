"""The live map's delta (issue 15): what reaches a mounted map instead of a new map."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit_folium import _get_feature_group_string

from buurtkaart.places import Place
from buurtkaart.views import map_delta
from buurtkaart.views.mapview import delta_layer, folium_map, map_data

ORG = {"id": "map-1", "org_name": "Buurthuis De Vaart", "lat": 50.8552, "lon": 4.3387}
PLACES = [Place("node/1", "Basisschool", None, None, "school", 50.8561, 4.3391, {}, "test"),
          Place("node/2", "Bakkerij", None, None, "shop_food", 50.8540, 4.3370, {}, "test")]


def actor(i: int, **kw: Any) -> dict[str, Any]:
    return {"id": f"actor-{i}", "map_id": "map-1", "name": f"Actor {i}", "kind": "person",
            "formal": False, "roles": ["partner"], "strength": 2, "status": "cooperating",
            "leaning": "ally", "lat": 50.85 + i / 1000, "lon": 4.33 + i / 1000,
            "location_precision": "exact", "osm_id": None, **kw}


def data(actors: list[dict[str, Any]], links: list[dict[str, Any]] | None = None,
         **kw: Any) -> dict[str, Any]:
    return map_data(org=ORG, places=PLACES, actors=actors, links=links or [], **kw)


BASE = [actor(1), actor(2), actor(3)]


def test_an_unchanged_map_has_an_empty_delta() -> None:
    change = map_delta.delta(data(BASE), data(BASE))
    assert change == map_delta.empty()
    assert map_delta.is_empty(change)


def test_new_changed_and_removed_actors() -> None:
    now = [actor(1, name="Moskee Al-Khalil"), actor(3), actor(4)]
    change = map_delta.delta(data(BASE), data(now))
    assert change is not None
    assert [(r[0], r[3]) for r in change["actors"]] == [("actor-1", "Moskee Al-Khalil"),
                                                        ("actor-4", "Actor 4")]
    assert change["removed"] == ["actor-2"]
    assert change["links"] is None and change["hide"] == []


def test_links_travel_whole_when_they_changed() -> None:
    link = {"id": "l1", "from_id": "actor-1", "to_id": "actor-3", "strength": 3, "type": "x"}
    change = map_delta.delta(data(BASE), data(BASE, [link]))
    assert change is not None and change["links"] == data(BASE, [link])["links"]


def test_a_place_taken_as_actor_is_hidden_a_new_place_redraws() -> None:
    taken = map_delta.delta(data(BASE), data([*BASE, actor(5, osm_id="node/2")]))
    assert taken is not None and taken["hide"] == ["node/2"]
    fewer = map_data(org=ORG, places=PLACES[:1], actors=BASE, links=[])
    more = data(BASE)
    assert map_delta.delta(fewer, more) is None, "a new place draws the map again"


@pytest.mark.parametrize("kw", [{"lang": "fr"}, {"show_actor_links": True},
                                {"area": {"kind": "circle", "center": [50.85, 4.34],
                                          "radius_m": 500, "label": "x"}}])
def test_other_changes_draw_the_map_again(kw: dict[str, Any]) -> None:
    assert map_delta.delta(data(BASE), data(BASE, **kw)) is None


def test_too_many_changed_actors_draw_the_map_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(map_delta, "MAX_ACTORS", 1)
    assert map_delta.delta(data(BASE), data([actor(1, name="a"), actor(2, name="b")])) is None


def test_the_delta_script_runs_in_the_mounted_map() -> None:
    """streamlit-folium's feature-group script calls BuurtkaartLive.update on ITS map."""
    m = folium_map(data(BASE), "none")
    change = map_delta.delta(data(BASE), data([*BASE, actor(4, name="Nieuw </script>")]))
    assert change is not None
    script = _get_feature_group_string(delta_layer(change), map=m)
    assert "BuurtkaartLive.update(map_div, " in script
    assert "Nieuw" in script and "</script>" not in script
