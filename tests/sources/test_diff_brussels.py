"""OSM change detection on the real Brussels 2012 and 2013 extracts around Molenbeek.

The expected sets come from an independent plain pyosmium pass over the two
files: every tagged node (and way) surely within 1 km (own distance formula) that the taxonomy
categorises, keyed by node id; new = ids only in 2013, gone = ids only in 2012,
renamed/recategorised = ids in both whose name (ignoring case, accents, spacing) or
category differs. The diff also pairs places redrawn under a new id (issue 14): those
ids leave the id-only "new" and "gone" sets, and go to the redrawn pairs instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.diff_data import RADIUS, _independent_places

from buurtkaart.core.area import Area
from buurtkaart.core.geo import distance_m
from buurtkaart.core.text import name_key
from buurtkaart.meeting.diff import Change, DiffResult, diff_places
from buurtkaart.places import read_places

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def independent(brussels_2012: Path, brussels_2013: Path,
                molenbeek: tuple[float, float]) -> dict[str, set[str]]:
    old = _independent_places(brussels_2012, *molenbeek)
    new = _independent_places(brussels_2013, *molenbeek)
    both = old.keys() & new.keys()
    return {"new": set(new) - set(old), "gone": set(old) - set(new),
            "renamed": {i for i in both if old[i] != new[i]},
            "inside": set(old) | set(new)}


@pytest.fixture(scope="module")
def diff(brussels_2012: Path, brussels_2013: Path,
         molenbeek: tuple[float, float]) -> DiffResult:
    area = Area.circle(*molenbeek, RADIUS)
    return diff_places(read_places(brussels_2012, area), read_places(brussels_2013, area), area)


def _inside(ids: list[str | None], independent: dict[str, set[str]]) -> set[str]:
    """Keep the ids of nodes and ways the independent pass saw surely inside."""
    return {i for i in ids if i and i in independent["inside"]}


def redrawn_pairs(diff: DiffResult) -> list[Change]:
    """Return every pair matched under a new id (unchanged or with other changes)."""
    return diff.redrawn + [c for c in diff.changed if c.match == "redrawn"]


def test_new_and_gone_match_independent_sets(
        diff: DiffResult, independent: dict[str, set[str]]) -> None:
    got_new = _inside([p.osm_id for p in diff.new], independent)
    got_gone = _inside([p.osm_id for p in diff.gone], independent)
    pairs = redrawn_pairs(diff)
    # Id-only "new" = really new + the new halves of redrawn pairs; id-only "gone" =
    # really gone + old halves of redrawn pairs + duplicates merged into a place still there.
    redrawn_new = _inside([c.new.osm_id for c in pairs], independent)
    redrawn_old = _inside([c.old.osm_id for c in pairs + diff.merged], independent)
    assert got_new | redrawn_new == independent["new"]
    assert got_gone | redrawn_old == independent["gone"]
    assert not got_new & redrawn_new and not got_gone & redrawn_old
    assert len(pairs) >= 5, "a year of OSM edits redraws places"
    # A real year of OSM growth: many more additions than removals, both non-trivial.
    assert len(independent["new"]) >= 10
    assert len(independent["new"]) > len(independent["gone"]) > 0


def test_changed_match_independent_renames(
        diff: DiffResult, independent: dict[str, set[str]]) -> None:
    renamed = [c.new.osm_id for c in diff.changed
               if c.match == "osm_id" and ("name" in c.fields or "category" in c.fields)]
    assert _inside(renamed, independent) == independent["renamed"]
    assert independent["renamed"], "the two years should hold at least one rename"


def test_json_shape_and_counts(diff: DiffResult) -> None:
    data = diff.to_json()
    # "redrawn" joined the shape with issue 14 (pairs under a new id, nothing else changed).
    assert set(data) == {"new", "gone", "changed", "redrawn", "merged", "counts"}
    assert data["counts"]["redrawn"] == len(data["redrawn"]) == len(diff.redrawn)
    assert data["counts"]["new"] == len(data["new"]) == len(diff.new)
    assert data["counts"]["gone"] == len(data["gone"])
    assert data["counts"]["changed"] == len(data["changed"])
    for entry in data["new"]:
        assert {"osm_id", "name", "category", "tags"} <= set(entry)
    for entry in data["gone"]:
        assert {"osm_id", "name", "category", "old_tags"} <= set(entry)
    for entry in data["changed"]:
        assert {"osm_id", "name", "category", "old_tags", "new_tags", "changes"} <= set(entry)
        assert entry["changes"]
    ids = [e["osm_id"] for e in data["new"] + data["gone"] + data["changed"] + data["redrawn"]]
    ids += [e["old_osm_id"] for e in data["changed"] + data["redrawn"]
            if e["old_osm_id"] != e["osm_id"]]
    assert len(ids) == len(set(ids)), "a place appears in two lists"
    for entry in data["redrawn"]:
        assert entry["match"] == "redrawn" and entry["old_osm_id"] != entry["osm_id"]


def test_no_phantom_gone_and_new_pair(diff: DiffResult) -> None:
    # The bug of issue 14: one place listed as gone and as new, same name, a few metres apart.
    for gone in diff.gone:
        for new in diff.new:
            same = gone.name and name_key(gone.name) == name_key(new.name)
            near = distance_m(gone.lat, gone.lon, new.lat, new.lon) <= 75
            assert not (same and near), (gone.osm_id, new.osm_id, gone.name)
