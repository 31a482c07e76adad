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



def test_the_watcher_waits_for_the_next_redraw_of_a_live_page() -> None:
    assert live.wake_after("kaart", rerun_at=100.0, now=100.5, holes=False) == \
        pytest.approx(live.RERUN_S - 0.5)
    assert live.wake_after("kaart", rerun_at=100.0, now=200.0, holes=False) == 0.0
    assert live.wake_after("teamvergadering", rerun_at=100.0, now=100.1, holes=False) == 0.0
    assert live.wake_after("buurt", rerun_at=0.0, now=1e9, holes=True) == live.HOLE_RETRY_S
