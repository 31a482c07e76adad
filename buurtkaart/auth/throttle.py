"""Login throttling: increasing delays and lockouts, kept in the store's database.

Failed logins are counted per account (``user:NAME``) and per client
(``client:ADDRESS``) in the ``login_attempts`` table, so the limits hold across
browser sessions, server processes and replicas. The two keys follow
different rules, because a whole office may reach the server through one
address (a NAT or a proxy):

* **Account.** After the ``n``-th failure the next try on that account is
  refused for :func:`delay_after` seconds (0, 1, 2, 4 s); after
  :data:`MAX_FAILURES` failures the account is locked for :data:`LOCKOUT_S`
  seconds, whatever the client.
* **Client.** Only slows down: the first :data:`CLIENT_FREE` failures cost
  nothing, then every failure makes the client wait :func:`client_delay_after`
  seconds (1, 2, 4 ... at most :data:`MAX_DELAY_S`); only a storm of
  :data:`CLIENT_LOCK_FAILURES` failures locks the client for
  :data:`LOCKOUT_S`. One person's typos never lock their colleagues out.

A throttled key is refused *before* the password is checked, so the right
password does not help while waiting or locked. A success clears only that
account's counter, never the client's: an attacker who interleaves logins
with an account they know does not reset their client's count. A streak is
forgotten :data:`LOCKOUT_S` seconds after its last failure. Every try is
written to the audit log (events of entity ``login``: ``success``,
``failure`` or ``refused``), with the client address and never the password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from buurtkaart._errors import InputError
from buurtkaart.auth import accounts
from buurtkaart.store.records import now_iso
from buurtkaart.store.trust_schema import login_attempts
from buurtkaart.store.write import log_event

#: Failures on one key before it is locked.
MAX_FAILURES = 5
#: Seconds a key stays locked after :data:`MAX_FAILURES` failures.
LOCKOUT_S = 15 * 60
#: Longest delay between two tries before the lockout.
MAX_DELAY_S = 30.0
#: Failures from one client address that cost nothing (an office's typos).
CLIENT_FREE = 10
#: Failures from one client address that lock it for :data:`LOCKOUT_S`.
CLIENT_LOCK_FAILURES = 100


@dataclass(frozen=True)
class LoginResult:
    """Outcome of :func:`login`: ``ok``, or refused with ``wait_s`` seconds to wait."""

    ok: bool
    wait_s: float = 0.0
    locked: bool = False


def delay_after(failures: int) -> float:
    """Return the seconds a key must wait after ``failures`` failed tries."""
    if failures <= 1:  # a single typo costs nothing
        return 0.0
    if failures >= MAX_FAILURES:
        return float(LOCKOUT_S)
    return min(float(2 ** (failures - 2)), MAX_DELAY_S)


def client_delay_after(failures: int) -> float:
    """Return the seconds a client address must wait after ``failures`` failed tries."""
    if failures >= CLIENT_LOCK_FAILURES:
        return float(LOCKOUT_S)
    if failures < CLIENT_FREE:
        return 0.0
    return min(float(2 ** (failures - CLIENT_FREE)), MAX_DELAY_S)


def _lock_at(key: str) -> int:
    """Return the failures that lock a throttle key (an account's, or a client's)."""
    return CLIENT_LOCK_FAILURES if key.startswith("client:") else MAX_FAILURES


def _delay(key: str, failures: int) -> float:
    if key.startswith("client:"):
        return client_delay_after(failures)
    return delay_after(failures)


def keys(name: str, client: str | None) -> list[str]:
    """Return the throttle keys of a login try (account, and client when known)."""
    out = [f"user:{name}"[:300]]
    if client:
        out.append(f"client:{client}"[:300])
    return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def wait_for(store: accounts.StoreLike, key_list: list[str],
             now: dt.datetime | None = None) -> tuple[float, bool]:
    """Return ``(seconds to wait, locked)`` before another try on any of ``key_list``."""
    now = now or _now()
    engine = accounts.engine_of(store, read=True)
    accounts.table(engine, "login_attempts")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(login_attempts)
                            .where(login_attempts.c.key.in_(key_list))).mappings().all()
    wait, locked = 0.0, False
    for row in rows:
        until = dt.datetime.fromisoformat(str(row["locked_until"] or row["last_at"]))
        left = (until - now).total_seconds()
        if left > wait:
            wait, locked = left, int(row["failures"]) >= _lock_at(str(row["key"]))
    return max(wait, 0.0), locked


def _record_failure(conn: sa.Connection, key_list: list[str], now: dt.datetime) -> None:
    for key in key_list:
        row = conn.execute(sa.select(login_attempts).where(login_attempts.c.key == key)
                           ).mappings().first()
        failures = 1
        if row is not None:
            last = dt.datetime.fromisoformat(str(row["last_at"]))
            stale = (now - last).total_seconds() > LOCKOUT_S  # an old streak is forgotten
            failures = 1 if stale else int(row["failures"]) + 1
        until = (now + dt.timedelta(seconds=_delay(key, failures))).isoformat()
        values = {"failures": failures, "last_at": now.isoformat(), "locked_until": until}
        if row is None:
            conn.execute(login_attempts.insert().values(key=key, **values))
        else:
            conn.execute(login_attempts.update().where(login_attempts.c.key == key)
                         .values(**values))


def login(store: accounts.StoreLike, name: str, password: str, client: str | None = None,
          now: dt.datetime | None = None) -> LoginResult:
    """Check a login try against the throttle, then the password; record and audit it.

    Parameters
    ----------
    store : Store or sqlalchemy.Engine
    name, password : str
        The typed user name and password.
    client : str or None
        The client's address (None when unknown: only the account is counted).
    now : datetime, optional
        The time of the try (tests).

    Returns
    -------
    LoginResult
        ``ok`` True only when the key is not throttled and the password is right.
    """
    now = now or _now()
    key_list = keys(name, client)
    wait, locked = wait_for(store, key_list, now)
    ok = wait <= 0 and accounts.verify_password(store, name, password)
    entity_id = accounts.account_entity_id("user", name)
    op = "success" if ok else ("refused" if wait > 0 else "failure")
    with accounts.engine_of(store).begin() as conn:
        if ok:
            conn.execute(login_attempts.delete().where(login_attempts.c.key == key_list[0]))
        elif wait <= 0:
            _record_failure(conn, key_list, now)
        log_event(conn, user=_who(name), map_id=None, entity="login", entity_id=entity_id,
                  op=op, at=now_iso(), before=None, after={"name": name, "client": client or ""})
    if ok:
        return LoginResult(True)
    wait, locked = wait_for(store, key_list, now)
    return LoginResult(False, wait_s=wait, locked=locked)


def _who(name: str) -> str:
    try:
        return accounts.check_name(name)
    except InputError:
        return "(invalid name)"
