"""The one source cache (buurtkaart.sources.cache) on a real folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from buurtkaart.sources import cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_one_key_scheme() -> None:
    key = cache.make_key("basemap", 1, "abc", (1.0, 2.0))
    assert key == cache.make_key("basemap", 1, "abc", (1.0, 2.0))
    assert len(key) == 32 and int(key, 16) >= 0
    assert key != cache.make_key("basemap", 2, "abc", (1.0, 2.0))


def test_json_entries_round_trip_and_damage_is_a_miss(cache_dir: Path) -> None:
    assert cache.read_json("nominatim", "k1") is None
    cache.write_json("nominatim", "k1", [{"lat": "50.8", "lon": "4.3"}])
    assert cache.read_json("nominatim", "k1") == [{"lat": "50.8", "lon": "4.3"}]
    entry = cache_dir / "nominatim" / "k1.json"
    assert entry.is_file() and not list(entry.parent.glob("*.tmp"))
    entry.write_text("{not json", encoding="utf-8")
    assert cache.read_json("nominatim", "k1") is None


def test_objects_are_built_once_and_checked_for_their_type(cache_dir: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached_object("walk", "g", dict, build) == {"n": 1}
    assert cache.cached_object("walk", "g", dict, build) == {"n": 1}
    assert calls == [1]
    assert cache.read_object("walk", "g", list) is None  # another type is a miss
    (cache_dir / "walk" / "g.pickle").write_bytes(b"garbage")
    assert cache.cached_object("walk", "g", dict, build) == {"n": 2}


def test_file_hash_follows_the_content(tmp_path: Path) -> None:
    path = tmp_path / "x.osm"
    path.write_text("one", encoding="utf-8")
    first = cache.file_hash(path)
    path.write_text("two!", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert cache.file_hash(path) != first


def test_memory_cache_drops_the_least_recently_used() -> None:
    memo: cache.MemoryCache[str] = cache.MemoryCache(2)
    memo.put("a", "A")
    memo.put("b", "B")
    assert memo.get("a") == "A"  # a is now the most recent
    memo.put("c", "C")
    assert memo.get("b") is None and memo.get("a") == "A" and memo.get("c") == "C"
    assert memo.get_or_build("d", lambda: "D") == "D"
    memo.clear()
    assert memo.get("d") is None
