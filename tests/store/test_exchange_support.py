"""The shared export/import helpers of ``support.exchange_data``."""

from __future__ import annotations

from support.exchange_data import metres, positions, strings


def test_strings_and_positions_helpers() -> None:
    doc = {"a": [1, {"b": "x"}], "geometry": {"type": "LineString",
                                              "coordinates": [[4.0, 50.0], [4.1, 50.1]]}}
    assert {"a", "1", "b", "x"} <= set(strings(doc))
    assert list(positions(doc["geometry"])) == [(50.0, 4.0), (50.1, 4.1)]
    assert 11_000 < metres((50.0, 4.0), (50.1, 4.0)) < 11_200
