"""Taxonomy: required categories, labels, priority rules, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.categories import (
    categories,
    categorize,
    filter_keys,
    load_taxonomy,
)
from buurtkaart.i18n import catalog, category_label, label_or_key

REQUIRED = {
    "school", "worship_muslim", "worship_christian", "worship_jewish", "worship_temple",
    "worship_other", "market", "shop", "shop_food", "horeca", "community_centre",
    "youth_centre", "library", "social_facility", "health", "sport", "public_space",
    "public_service", "culture", "association",
}


def test_required_categories_present_with_labels_icon_colour() -> None:
    cats = categories()
    assert set(cats) >= REQUIRED
    for cat in cats.values():
        texts = catalog()[f"category.{cat.key}"]
        assert texts["nl"] and texts["fr"] and texts["en"]
        assert cat.icon
        assert cat.color.startswith("#") and len(cat.color) == 7
    colours = [c.color for c in cats.values()]
    assert len(colours) == len(set(colours)), "each category needs its own colour"


@pytest.mark.parametrize(("tags", "expected"), [
    ({"amenity": "school"}, "school"),
    ({"amenity": "kindergarten"}, "school"),
    ({"amenity": "university"}, "school"),
    ({"amenity": "place_of_worship", "religion": "muslim"}, "worship_muslim"),
    ({"amenity": "place_of_worship", "religion": "christian"}, "worship_christian"),
    ({"amenity": "place_of_worship", "religion": "jewish"}, "worship_jewish"),
    ({"amenity": "place_of_worship", "religion": "buddhist"}, "worship_temple"),
    ({"amenity": "place_of_worship", "religion": "hindu"}, "worship_temple"),
    ({"amenity": "place_of_worship"}, "worship_other"),
    ({"amenity": "place_of_worship", "religion": "pastafarian"}, "worship_other"),
    ({"amenity": "marketplace"}, "market"),
    ({"shop": "bakery"}, "shop_food"),
    ({"shop": "greengrocer"}, "shop_food"),
    ({"shop": "hairdresser"}, "shop"),
    ({"amenity": "fast_food"}, "horeca"),
    ({"amenity": "community_centre"}, "community_centre"),
    ({"amenity": "community_centre", "community_centre": "youth_centre"}, "youth_centre"),
    ({"amenity": "youth_centre"}, "youth_centre"),
    ({"amenity": "library"}, "library"),
    ({"amenity": "social_facility", "social_facility": "food_bank"}, "social_facility"),
    ({"amenity": "pharmacy"}, "health"),
    ({"healthcare": "doctor"}, "health"),
    ({"leisure": "pitch"}, "sport"),
    ({"leisure": "playground"}, "public_space"),
    ({"place": "square"}, "public_space"),
    ({"highway": "pedestrian", "area": "yes"}, "public_space"),
    ({"amenity": "townhall"}, "public_service"),
    ({"amenity": "post_office"}, "public_service"),
    ({"amenity": "theatre"}, "culture"),
    ({"office": "ngo"}, "association"),
    ({"office": "association"}, "association"),
])
def test_categorize(tags: dict[str, str], expected: str) -> None:
    assert categorize(tags) == expected


@pytest.mark.parametrize("tags", [
    {}, {"amenity": "bench"}, {"highway": "pedestrian"}, {"shop": "no"},
    {"building": "yes", "name": "Something"}, {"office": "company"},
])
def test_unmatched_objects_are_left_out(tags: dict[str, str]) -> None:
    assert categorize(tags) is None


def test_priority_decides_between_several_matches() -> None:
    # a school with a pitch is a school; a bakery-café is horeca; a youth community
    # centre is a youth centre; a mosque in a shop building stays a mosque
    assert categorize({"amenity": "school", "leisure": "pitch"}) == "school"
    assert categorize({"amenity": "cafe", "shop": "bakery"}) == "horeca"
    assert categorize({"amenity": "place_of_worship", "religion": "muslim",
                       "shop": "books"}) == "worship_muslim"
    order = [c.priority for c in load_taxonomy()]
    assert order == sorted(order)


def test_labels_in_three_languages() -> None:
    assert category_label("worship_muslim", "nl") == "Moskee"
    assert category_label("worship_muslim", "fr") == "Mosquée"
    assert category_label("worship_muslim", "en") == "Mosque"
    with pytest.raises(InputError, match="'de'"):
        category_label("school", "de")
    with pytest.raises(InputError, match="'nope'"):
        category_label("nope")


def test_label_or_key_shows_unknown_keys_as_they_are() -> None:
    assert label_or_key("worship_muslim", "fr") == "Mosquée"
    assert label_or_key("worship_muslim") == "Moskee"
    assert label_or_key("retired_key", "en") == "retired_key"  # from an older taxonomy
    with pytest.raises(InputError, match="'de'"):
        label_or_key("retired_key", "de")


def test_filter_keys_cover_every_rule() -> None:
    keys = set(filter_keys())
    for cat in load_taxonomy():
        for rule in cat.rules:
            assert rule[0][0] in keys
    assert "highway" not in keys  # would pull every street into Python


@pytest.mark.parametrize(("text", "reason"), [
    ("nothing = 1\n", "no \\[\\[category\\]\\]"),
    ('[[category]]\nkey = "a"\n', "missing field"),
    ('[[category]]\nkey="a"\nnl="a"\nfr="a"\nen="a"\nicon="x"\ncolor="#000000"\n'
     'priority=1\nmatch=[{amenity="school"}]\n', "list of strings"),
    ("[[category]\n", "cannot read taxonomy"),
])
def test_bad_taxonomy_files_name_the_problem(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "tax.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=reason) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
