"""Which pages a colleague's edit redraws (issue 15): the map and the actor register."""

from __future__ import annotations

import pytest

from buurtkaart.app import live


@pytest.mark.parametrize("page", ["kaart", "actoren"])
def test_the_map_and_the_register_redraw_once_per_interval(page: str) -> None:
    assert live.redraw_due(page, last=100.0, now=100.0 + live.RERUN_S)
    assert not live.redraw_due(page, last=100.0, now=100.0 + live.RERUN_S / 2), "a burst waits"


@pytest.mark.parametrize("page", ["teamvergadering", "buurt", "inzichten", "instellingen"])
def test_pages_where_a_worker_writes_are_not_redrawn_under_them(page: str) -> None:
    assert not live.redraw_due(page, last=0.0, now=1e9)

