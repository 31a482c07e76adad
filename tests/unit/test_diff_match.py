"""Redrawn and merged pairs on toy data, and changes read as sentences (nl/fr/en)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from buurtkaart.i18n import catalog
from buurtkaart.meeting.diff import Change, diff_places
from buurtkaart.meeting.match import compatible, name_keys, strong_values
from buurtkaart.meeting.sentences import describe, details, sentence
from buurtkaart.meeting.signals import draft_signals
from buurtkaart.places import Place

LAT, LON = 50.8552, 4.3387
M_LAT = 1 / 111_195.0
M_LON = 1 / 70_100.0


def place(osm_id: str, name: str | None, category: str, dn: float = 0.0, de: float = 0.0,
          tags: dict[str, str] | None = None, outline_m: float | None = None,
          **names: str) -> Place:
    """A place ``dn`` m north, ``de`` m east of the centre; a square outline when given."""
    lat, lon = LAT + dn * M_LAT, LON + de * M_LON
    geometry: dict[str, Any] | None = None
    if outline_m:
        h, w = outline_m / 2 * M_LAT, outline_m / 2 * M_LON
        geometry = {"type": "Polygon", "coordinates": [[
            [lon - w, lat - h], [lon + w, lat - h], [lon + w, lat + h], [lon - w, lat + h],
            [lon - w, lat - h]]]}
    all_tags = {**({"name": name} if name else {}), **(tags or {})}
    return Place(osm_id, name, names.get("nl"), names.get("fr"), category, lat, lon, all_tags,
                 "test", geometry)


def test_bilingual_halves_old_name_and_generic_words() -> None:
    kerk = place("way/1", "Église Saint-Rémy - Sint-Remigiuskerk", "worship_christian")
    assert {"eglise saint remy", "sint remigiuskerk"} <= name_keys(kerk)
    assert "floris" in name_keys(place("node/1", "Floris Café", "horeca"))
    renamed = place("node/2", "Scott's Bar", "horeca", tags={"old_name": "Arcadi Café"})
    assert "arcadi cafe" in name_keys(renamed)
    assert compatible("worship_christian", "worship_muslim")
    assert compatible("shop", "shop_food") and not compatible("horeca", "shop_food")
    a = place("node/3", "X", "shop", tags={"phone": "+32 2 219 94 48",
                                           "website": "https://www.x.be/"})
    b = place("way/4", "X", "shop", tags={"contact:phone": "02 219 94 48",
                                          "website": "http://x.be"})
    assert strong_values(a) == strong_values(b) == {("phone", "22199448"),
                                                    ("website", "x.be")}  # +32 2 = 02


def test_point_to_outline_and_size_of_the_object() -> None:
    # A church point 60 m from the centre of its 200 m outline (inside it), and a
    # point that is only the French half of a bilingual name.
    old = [place("node/1", "Sint-Jan", "worship_christian", 60),
           place("node/2", "Maison - Huis", "community_centre", 0, 300, nl="Huis")]
    new = [place("way/10", "Sint-Jan", "worship_christian", outline_m=200),
           place("way/20", "Huis", "community_centre", 20, 300, outline_m=20)]
    d = diff_places(old, new)
    assert d.gone == [] and d.new == []
    assert [(c.old.osm_id, c.new.osm_id) for c in d.redrawn] == [("node/1", "way/10")]
    # The name lost its French half: a redrawn pair that also changed.
    assert [(c.old.osm_id, c.new.osm_id, c.match, list(c.fields)) for c in d.changed] == [
        ("node/2", "way/20", "redrawn", ["name"])]
    # 140 m away and not inside: too far for a 20 m building (75 m + 14 m).
    d = diff_places([place("node/2", "Huis", "community_centre", 140, 300)], new[1:])
    assert len(d.gone) == len(d.new) == 1


def test_nearest_first_name_before_unnamed_and_unnamed_needs_outline() -> None:
    old = [place("node/1", "Lidl", "shop_food", 0), place("node/2", "Lidl", "shop_food", 50)]
    new = [place("way/9", "Lidl", "shop_food", 45, outline_m=30)]
    d = diff_places(old, new)
    assert [(c.old.osm_id, c.new.osm_id) for c in d.redrawn] == [("node/2", "way/9")]
    assert [p.osm_id for p in d.gone] == ["node/1"]
    # Two unnamed playgrounds: paired when the point lies inside the new outline only.
    inside = diff_places([place("node/5", None, "public_space", 5)],
                         [place("way/6", None, "public_space", outline_m=40)])
    assert len(inside.redrawn) == 1
    beside = diff_places([place("node/5", None, "public_space", 30)],
                         [place("way/6", None, "public_space", outline_m=40)])
    assert len(beside.gone) == len(beside.new) == 1


def test_duplicate_point_inside_a_place_still_there_is_merged() -> None:
    church = place("way/13", "Cathédrale Saints-Michel-et-Gudule - Sint-Michiels-en-"
                   "Goedelekathedraal", "worship_christian", outline_m=100)
    dup = place("node/7", "Sint Michiels kathedraal", "worship_christian", 15)
    shop = place("node/8", "Zara", "shop", 10)
    mall = place("way/14", "City 2", "shop", outline_m=100)
    d = diff_places([church, dup, shop, mall], [church, mall])
    assert [(c.old.osm_id, c.new.osm_id, c.match) for c in d.merged] == [
        ("node/7", "way/13", "merged")]
    assert [p.osm_id for p in d.gone] == ["node/8"]  # a shop in a mall can close
    assert d.counts()["merged"] == 1 and d.to_json()["merged"][0]["old_osm_id"] == "node/7"


def test_changes_read_as_sentences_in_three_languages() -> None:
    old = place("node/1", "Yilmaz", "shop_food",
                tags={"shop": "convenience", "opening_hours": "Mo-Sa 08:00-20:00"})
    new = place("way/2", "Yilmaz Market", "shop_food", 40, outline_m=10,
                tags={"shop": "supermarket", "opening_hours": "Mo-Su 08:00-22:00"})
    d = diff_places([old], [new])
    assert d.new == [] and d.gone == []  # all words of "Yilmaz" are in the new name
    change = d.changed[0]
    assert change.match == "redrawn"
    assert describe(change, "nl") == [
        "naam gewijzigd: Yilmaz → Yilmaz Market", "nu een supermarkt (was: kruidenier)",
        "openingsuren gewijzigd", "verplaatst (40 m)", "hertekend"]
    assert sentence(change, "fr").startswith("nom modifié : Yilmaz → Yilmaz Market; "
                                             "maintenant : supermarché (avant : épicerie)")
    assert sentence(change, "en").endswith("opening hours changed; moved (40 m); redrawn")
    assert "=" not in sentence(change, "nl")
    assert "shop: convenience → supermarket" in details(change)
    signal = draft_signals(d, "nl", dt.date(2026, 12, 1))[0]
    assert signal["description"] == sentence(change, "nl")


def test_point_that_became_its_outline_did_not_move() -> None:
    change = Change(place("node/1", "A", "horeca"), place("way/2", "A", "horeca", 30,
                                                          outline_m=80),
                    {}, "redrawn", 30.0)
    assert describe(change, "nl") == ["hertekend"]
    moved = Change(place("node/1", "A", "horeca"), place("node/1", "A", "horeca", 40),
                   {}, "osm_id", 40.0)
    assert describe(moved, "en") == ["moved (40 m)"]


def test_diff_keys_sit_in_one_block_of_the_catalog() -> None:
    keys = list(catalog())
    at = [i for i, k in enumerate(keys) if k.startswith("diff.")]
    assert at and at == list(range(at[0], at[-1] + 1))
    assert all(set(catalog()[keys[i]]) == {"nl", "fr", "en"} for i in at)


def test_new_and_gone_signals_say_what_and_where_in_words() -> None:
    new = place("node/9", "Bakkerij X", "shop_food",
                tags={"shop": "bakery", "addr:street": "Gentsesteenweg",
                      "addr:housenumber": "12"})
    signals = draft_signals(diff_places([], [new]), "fr", dt.date(2026, 12, 1))
    assert signals[0]["description"] == "boulangerie, Gentsesteenweg 12"
