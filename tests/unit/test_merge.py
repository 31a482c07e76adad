"""Three-way merge on toy values (pure function, no store)."""

from __future__ import annotations

import pytest

from buurtkaart.store.merge import merge


def test_other_fields_merge() -> None:
    base = {"a": 1, "b": "x", "c": [1]}
    theirs = {"a": 2, "b": "x", "c": [1]}
    mine = {"a": 1, "b": "y", "c": [1]}
    assert merge(base, theirs, mine) == ({"a": 2, "b": "y", "c": [1]}, {})


def test_same_field_different_values_conflicts_and_keeps_theirs() -> None:
    merged, conflicts = merge({"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 3, "b": 5})
    assert conflicts == {"a": (2, 3)}
    assert merged == {"a": 2, "b": 5}


def test_same_change_on_both_sides_is_no_conflict() -> None:
    assert merge({"a": 1}, {"a": 7}, {"a": 7}) == ({"a": 7}, {})


def test_unchanged_everywhere() -> None:
    rec = {"a": None, "b": [1, 2], "c": {"k": "v"}}
    assert merge(rec, dict(rec), dict(rec)) == (rec, {})


def test_lists_are_compared_as_whole_values() -> None:
    merged, conflicts = merge({"t": ["a"]}, {"t": ["a", "b"]}, {"t": ["a", "c"]})
    assert conflicts == {"t": (["a", "b"], ["a", "c"])}
    assert merged == {"t": ["a", "b"]}


def test_added_and_removed_keys() -> None:
    merged, conflicts = merge({"a": 1, "gone": 1}, {"a": 1, "new": 2}, {"a": 1, "gone": 1})
    assert conflicts == {}
    assert merged == {"a": 1, "new": 2}  # removal by theirs wins over untouched mine


def test_removed_by_one_changed_by_other_conflicts() -> None:
    merged, conflicts = merge({"a": 1}, {}, {"a": 2})
    assert conflicts == {"a": (None, 2)}
    assert merged == {}


@pytest.mark.parametrize("side", ["theirs", "mine"])
def test_one_sided_change_is_taken(side: str) -> None:
    base = {"x": 0, "y": 0}
    changed = {"x": 0, "y": 9}
    theirs, mine = (changed, base) if side == "theirs" else (base, changed)
    assert merge(base, theirs, mine) == (changed, {})


def test_inputs_are_not_modified() -> None:
    base, theirs, mine = {"a": 1}, {"a": 2}, {"a": 3}
    merge(base, theirs, mine)
    assert (base, theirs, mine) == ({"a": 1}, {"a": 2}, {"a": 3})
