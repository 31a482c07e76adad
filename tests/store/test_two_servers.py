"""Two server processes on one PostgreSQL store: edits are shared, conflicts reported, not lost.

Two levels:

* store API: each "server" is a separate OS process with its own connection
  pool to the same PostgreSQL database, acting through the data-layer guard as
  its user; the parent drives both over a line-based JSON protocol;
* app: two live app replicas behind nginx on the same database, driven by
  headless Chromium, are in ``tests/e2e/test_live_e2e.py`` (an edit in one is shown live
  by the other; a conflicting edit through both is shown as a conflict and
  nothing is overwritten).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from buurtkaart.settings import PROJECT_ROOT

pytestmark = pytest.mark.pg

SERVER = r"""
import json, sys
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.store import open_store
from buurtkaart._errors import BuurtkaartError, ConflictError
url, user = sys.argv[1], sys.argv[2]
store = GuardedStore(open_store(url), user)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    try:
        if cmd["op"] == "get":
            out = {"record": store.get_actor(cmd["id"])}
        elif cmd["op"] == "update":
            out = {"record": store.update_actor(user, cmd["id"], cmd["changes"],
                                                cmd.get("if_version"))}
        elif cmd["op"] == "history":
            out = {"events": store.history(cmd["id"])}
        else:
            out = {"error": "unknown op"}
    except ConflictError as e:
        out = {"error": type(e).__name__, "message": str(e),
               "conflicts": {k: list(v) for k, v in e.conflicts.items()}}
    except BuurtkaartError as e:
        out = {"error": type(e).__name__, "message": str(e)}
    print(json.dumps(out, default=str), flush=True)
"""


class Server:
    """One server process acting as ``user`` on the store at ``url``."""

    def __init__(self, url: str, user: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, url, user],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=PROJECT_ROOT)
        assert self._read() == {"ready": True}

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "server process died"
        return json.loads(line)  # type: ignore[no-any-return]

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=20)


@pytest.fixture
def two(fresh_pg_url: str) -> Iterator[tuple[Server, Server, str]]:
    from buurtkaart.auth import accounts
    from buurtkaart.store import open_store

    store = open_store(fresh_pg_url)
    the_map = store.create_map("ann", name="Buurthuis", org_name="Vzw", lat=50.855, lon=4.338)
    actor = store.add_actor("ann", the_map["id"], name="Jeugdhuis", roles=["partner"])
    accounts.add_user(store, "ann", None, map_id=the_map["id"], role="editor")
    accounts.add_user(store, "bart", None, map_id=the_map["id"], role="editor")
    store.close()
    a, b = Server(fresh_pg_url, "ann"), Server(fresh_pg_url, "bart")
    try:
        yield a, b, actor["id"]
    finally:
        a.stop()
        b.stop()


def test_an_edit_through_one_server_is_served_by_the_other(
        two: tuple[Server, Server, str]) -> None:
    a, b, actor_id = two
    done = a.ask(op="update", id=actor_id, changes={"strength": 2}, if_version=1)
    assert done["record"]["version"] == 2
    seen = b.ask(op="get", id=actor_id)["record"]
    assert (seen["strength"], seen["version"], seen["updated_by"]) == (2, 2, "ann")


def test_a_conflicting_edit_through_both_is_reported_not_lost(
        two: tuple[Server, Server, str]) -> None:
    a, b, actor_id = two
    base = a.ask(op="get", id=actor_id)["record"]["version"]
    assert b.ask(op="get", id=actor_id)["record"]["version"] == base
    first = a.ask(op="update", id=actor_id, changes={"status": "cooperating"}, if_version=base)
    assert first["record"]["status"] == "cooperating"
    second = b.ask(op="update", id=actor_id, changes={"status": "paused"}, if_version=base)
    assert second["error"] == "ConflictError"
    assert second["conflicts"] == {"status": ["cooperating", "paused"]}
    assert "status" in second["message"]
    # nothing lost, nothing overwritten: both servers serve ann's value
    for server in (a, b):
        assert server.ask(op="get", id=actor_id)["record"]["status"] == "cooperating"
    # bart's edit of another field on the same old version merges
    merged = b.ask(op="update", id=actor_id, changes={"notes": "vergadert op maandag"},
                   if_version=base)["record"]
    assert (merged["status"], merged["notes"]) == ("cooperating", "vergadert op maandag")
    events = a.ask(op="history", id=actor_id)["events"]
    assert [(e["op"], e["user"]) for e in events] == [
        ("insert", "ann"), ("update", "ann"), ("update", "bart")]


def test_a_viewer_server_cannot_write(fresh_pg_url: str) -> None:
    from buurtkaart.auth import accounts
    from buurtkaart.store import open_store

    store = open_store(fresh_pg_url)
    the_map = store.create_map("ann", name="Buurthuis", org_name="Vzw", lat=50.855, lon=4.338)
    actor = store.add_actor("ann", the_map["id"], name="Jeugdhuis")
    accounts.add_user(store, "vera", None, map_id=the_map["id"], role="viewer")
    store.close()
    server = Server(fresh_pg_url, "vera")
    try:
        refused = server.ask(op="update", id=actor["id"], changes={"strength": 3})
        assert refused["error"] == "PermissionDenied"
        assert server.ask(op="get", id=actor["id"])["record"]["strength"] == 0
    finally:
        server.stop()
