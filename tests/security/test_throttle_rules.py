"""The throttle's rules per case: an office behind one address, an attacker, the roles.

The per-account lock holds for every role; the per-client rule only slows
down (a lock only after :data:`~buurtkaart.auth.throttle.CLIENT_LOCK_FAILURES`),
so one colleague's typos never lock the office out; a success never resets the
client's count, so an attacker cannot interleave an account they know. Time is
passed in (``now``): no test sleeps.
"""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkaart.auth import accounts, throttle
from buurtkaart.store import Store

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
OFFICE = "192.0.2.10"  # the office's one NAT / proxy address
ROLES = ("admin", "editor", "viewer")
#: The client rule as shipped (the fixture below scales it down).
SHIPPED = (throttle.CLIENT_FREE, throttle.CLIENT_LOCK_FAILURES)
pytestmark = pytest.mark.usefixtures("cheap_argon2")  # the counting is tested, not argon2


@pytest.fixture(autouse=True)
def small_client_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client rule's thresholds, scaled down (fewer tries per test)."""
    monkeypatch.setattr(throttle, "CLIENT_FREE", 3)
    monkeypatch.setattr(throttle, "CLIENT_LOCK_FAILURES", 8)
    assert throttle.CLIENT_LOCK_FAILURES > throttle.MAX_FAILURES  # as in the real rule


def test_the_shipped_thresholds() -> None:
    assert throttle.MAX_FAILURES == 5 and throttle.LOCKOUT_S == 15 * 60
    assert SHIPPED == (10, 100)  # client: free typos, then a lock only after a storm
    assert throttle.delay_after(throttle.MAX_FAILURES) == throttle.LOCKOUT_S


@pytest.fixture
def team(store: Store) -> Store:
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    for role in ROLES:
        accounts.add_user(store, role, f"{role}-geheim", map_id=the_map["id"], role=role)
    accounts.add_user(store, "mallory", "mallory-geheim", map_id=the_map["id"], role="viewer")
    return store


def _fail(store: Store, name: str, times: int, now: dt.datetime,
          client: str | None = OFFICE) -> dt.datetime:
    """Fail ``times`` times on ``name``, each after the wait asked; return the next free time."""
    for n in range(times):
        result = throttle.login(store, name, f"gok-{n}", client=client, now=now)
        assert not result.ok
        now += dt.timedelta(seconds=result.wait_s + 0.1)
    return now


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_locked_after_n_failures_from_any_client(team: Store, role: str) -> None:
    now = _fail(team, role, throttle.MAX_FAILURES - 1, T0, client="203.0.113.7")
    last = throttle.login(team, role, "nog-een-gok", client="203.0.113.7", now=now)
    assert not last.ok and last.locked and last.wait_s == pytest.approx(throttle.LOCKOUT_S)
    during = now + dt.timedelta(seconds=throttle.LOCKOUT_S - 10)
    refused = throttle.login(team, role, f"{role}-geheim", client="198.51.100.1", now=during)
    assert not refused.ok and refused.locked  # the right password, another client: still no
    after = now + dt.timedelta(seconds=throttle.LOCKOUT_S + 1)
    assert throttle.login(team, role, f"{role}-geheim", client="198.51.100.1", now=after).ok


def test_one_colleague_locked_out_does_not_lock_the_office(team: Store) -> None:
    now = _fail(team, "editor", throttle.MAX_FAILURES - 1, T0)
    assert throttle.login(team, "editor", "gok", client=OFFICE, now=now).locked
    wait, locked = throttle.wait_for(team, [f"client:{OFFICE}"], now)
    assert not locked and wait <= throttle.MAX_DELAY_S  # the address is only slowed down
    now += dt.timedelta(seconds=wait + 0.1)
    for role in ("admin", "viewer"):  # colleagues behind the same address
        assert throttle.login(team, role, f"{role}-geheim", client=OFFICE, now=now).ok
    assert not throttle.login(team, "editor", "editor-geheim", client=OFFICE, now=now).ok


def test_the_office_s_typos_only_slow_the_address_down(team: Store) -> None:
    now, waits = T0, []
    for n in range(throttle.CLIENT_FREE + 3):  # typos spread over many accounts
        result = throttle.login(team, f"collega{n}", "typo", client=OFFICE, now=now)
        assert not result.ok and not result.locked
        waits.append(result.wait_s)
        now += dt.timedelta(seconds=result.wait_s + 0.1)
    assert waits[:throttle.CLIENT_FREE - 1] == [0.0] * (throttle.CLIENT_FREE - 1)
    assert waits[-1] > waits[-2] > 0 and max(waits) <= throttle.MAX_DELAY_S
    assert throttle.login(team, "viewer", "viewer-geheim", client=OFFICE, now=now).ok


def test_a_known_account_interleaved_does_not_reset_the_client(team: Store) -> None:
    now, waits = T0, []
    for n in range(throttle.CLIENT_FREE + 2):
        result = throttle.login(team, f"slachtoffer{n}", "gok", client=OFFICE, now=now)
        waits.append(result.wait_s)
        now += dt.timedelta(seconds=result.wait_s + 0.1)
        ok = throttle.login(team, "mallory", "mallory-geheim", client=OFFICE, now=now)
        assert ok.ok  # mallory's own account still works...
    assert waits[-1] > waits[-2] > 0  # ...but the address's delays kept growing
    after = throttle.login(team, "slachtoffer-x", "gok", client=OFFICE, now=now)
    assert after.wait_s >= waits[-1]


def test_a_success_clears_only_that_account(team: Store) -> None:
    now = _fail(team, "editor", 3, T0)
    now = _fail(team, "viewer", 3, now)
    assert throttle.login(team, "viewer", "viewer-geheim", client=OFFICE, now=now).ok
    waited = throttle.login(team, "editor", "gok", client=OFFICE, now=now)
    assert not waited.ok and waited.wait_s > 0  # the editor's streak goes on
    assert throttle.wait_for(team, ["user:viewer"], now) == (0.0, False)


def test_an_old_streak_is_forgotten(team: Store) -> None:
    now = _fail(team, "editor", throttle.MAX_FAILURES - 1, T0)
    later = now + dt.timedelta(seconds=throttle.LOCKOUT_S + 1)
    first = throttle.login(team, "editor", "gok", client=OFFICE, now=later)
    assert not first.ok and first.wait_s == 0  # counted as the first failure again
