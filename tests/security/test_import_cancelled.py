"""A closed tab stops an in-app import: nothing is written, and the user is told so.

Streamlit ends the script of a closed tab with its ``StopException`` (a
``BaseException``) at the next element update, here the progress callback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from buurtkaart.auth.guard import GuardedStore
from buurtkaart.exchange import service
from buurtkaart.exchange.readers import read_bytes
from buurtkaart.store import Store


def test_a_stopped_import_writes_nothing_and_leaves_a_notice(store: Store,
                                                             tmp_path: Path) -> None:
    the_map = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Plek {i}", "kind": "organisation"},
         "geometry": {"type": "Point", "coordinates": [4.34, 50.85]}} for i in range(1200)]}
    result = read_bytes(json.dumps(doc).encode(), "plekken.geojson")
    calls: list[int] = []

    def closed_tab(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:  # the second progress update: the tab is gone
            raise StopException

    guard = GuardedStore(store, "an", single_user=True)
    with pytest.raises(StopException):
        service.import_result(guard, the_map["id"], result, "plekken.geojson", "an",
                              progress=closed_tab)
    assert calls == [500, 1000]
    assert store.list_actors(the_map["id"]) == []  # all or nothing
    notes = service.recent_cancelled(guard, the_map["id"], "an")
    assert [n["source"] for n in notes] == ["import:plekken.geojson"]
    assert service.recent_cancelled(guard, the_map["id"], "bo") == []
