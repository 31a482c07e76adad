"""Benchmark of the live map: two replicas behind nginx on one PostgreSQL (loopback only).

Starts a throwaway PostgreSQL, two ``streamlit run`` replicas and nginx (the
config of ``tests/support/balancer.py`` = docs/deploy.md), then

1. **idle cost**: measures the replicas with no session (the peer), then opens
   ``BENCH_LIVE_SESSIONS`` (default 20) logged-in sessions on the Kaart page,
   split over the replicas: ``BENCH_LIVE_BROWSERS`` (default 2) real Chromium
   sessions (the latency observers) and websocket-level sessions for the rest
   (``bench/live_ws.py``: Streamlit's protocol, login form, the ``run_every``
   heartbeat runs and the live watcher's questions to ``/_bk/live``, waking the
   fragment on news, as the browser does); waits until they settle and
   measures for ``BENCH_LIVE_IDLE_S`` seconds the CPU of each replica process
   (``/proc/PID/stat``) and the database transactions per second
   (``pg_stat_database``; every store read is one short transaction, plus the
   pool's pre-ping at each checkout);
2. **load**: 20 simulated workers (threads, each its own store through the
   guard) edit 10 overlapping actors with ``if_version`` for
   ``BENCH_LIVE_S`` seconds; a marker thread adds a new actor every 3 s and
   the browser sessions (one per replica) report when it is on their mounted
   map (``map._bk.actors``, drawn first or added by a live delta): the live
   latency (commit -> on the other worker's page);
3. **no lost edit**: every successful update is in the history with its value
   and the final values are those of the last successful writes; every
   conflict was raised to its writer.

Run: ``nice -n 10 .venv/bin/python bench/live.py`` (about 4 minutes).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.balancer import start_balancer  # noqa: E402
from support.fixtures_app import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    login,
    password,
    seed_accounts,
    start_app,
)
from support.fixtures_store import start_pg_server, stop_pg_server  # noqa: E402

from buurtkaart._errors import BuurtkaartError, ConflictError  # noqa: E402
from buurtkaart.auth.guard import GuardedStore  # noqa: E402
from buurtkaart.i18n import t  # noqa: E402
from buurtkaart.store import open_store  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from live_ws import WsSession  # noqa: E402

SESSIONS = int(os.environ.get("BENCH_LIVE_SESSIONS", "20"))
#: Real Chromium sessions among them (the latency observers, one per replica); the others
#: are websocket-level sessions (bench/live_ws.py).
BROWSERS = int(os.environ.get("BENCH_LIVE_BROWSERS", "2"))
IDLE_S = float(os.environ.get("BENCH_LIVE_IDLE_S", "30"))
LOAD_S = float(os.environ.get("BENCH_LIVE_S", "60"))
#: Seconds each simulated worker thinks between reading an actor and saving it, as
#: ``min,max``: the default is a stress far beyond a team's pace (about 25 saves/s for
#: 20 workers); ``5,15`` is a busy whiteboard session (about 2 saves/s).
THINK = tuple(float(v) for v in os.environ.get("BENCH_LIVE_THINK", "0.2,1.2").split(","))
WORKERS = 20
HOT = 10
FIELDS = ("notes", "status", "strength")
STATUSES = ("to_contact", "cooperating", "paused")
TICK = 1.0 / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """Return user + system CPU seconds of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK


def transactions(server: Any, db: str) -> int:
    """Return committed + rolled back transactions of database ``db`` so far."""
    out = server.psql(f"SELECT xact_commit + xact_rollback FROM pg_stat_database "
                      f"WHERE datname = '{db}'")
    return int(out.strip())


def setup(url: str) -> tuple[str, list[str]]:
    """Create the map and the hot actors; accounts for workers and browser users."""
    store = open_store(url)
    m = store.create_map("setup", name="Buurthuis", org_name="Vzw De Brug", lat=50.8552,
                         lon=4.3387)
    hot = [store.add_actor("setup", m["id"], name=f"Actor {i}", roles=["partner"],
                           lat=50.854 + i / 2000, lon=4.337 + i / 2000)["id"] for i in range(HOT)]
    store.close()
    names = tuple(f"w{i:02d}" for i in range(WORKERS)) + tuple(
        f"s{i:02d}" for i in range(SESSIONS)) + ("marker",)
    seed_accounts(url, m["id"], names)
    return str(m["id"]), hot


def open_ws_sessions(lb: Any, until: float) -> list[WsSession]:
    """Open and log in the websocket-level sessions (alternating replicas)."""
    sticky = list(lb.stickies().values())
    sessions = [WsSession(lb.url, sticky[i % 2], f"s{i:02d}", password(f"s{i:02d}"), until)
                for i in range(BROWSERS, SESSIONS)]
    for session in sessions:
        session.start()
        session.ready.wait(240)
    for session in sessions:
        if session.error:
            print(f"session {session.user} did not open: {session.error}", flush=True)
    return [s for s in sessions if s.error is None]


def open_sessions(browser: Any, lb: Any, deadline: float) -> list[Any]:
    """Open and log in the browser sessions (alternating replicas) until ``deadline``."""
    sticky = list(lb.stickies().values())
    pages = []
    for i in range(BROWSERS):
        ctx = browser.new_context(viewport={"width": 1300, "height": 900})
        ctx.add_cookies([{"name": "bk_sticky", "value": sticky[i % 2], "url": lb.url}])
        page = ctx.new_page()
        page.goto(lb.url, wait_until="commit", timeout=120_000)
        pages.append(page)
    ready = []
    for i, page in enumerate(pages):
        if time.monotonic() > deadline:
            break
        try:
            page.get_by_label(t("login.name", "nl")).wait_for(timeout=120_000)
            login(page, f"s{i:02d}")
            ready.append(page)
        except Exception as err:  # a session that does not come up is reported, not fatal
            print(f"session s{i:02d} did not open: {type(err).__name__}")
    return ready


def idle_cost(server: Any, db: str, apps: list[Any], sessions: int,
              settle: float = 10) -> dict[str, float]:
    """Measure CPU per replica and transactions/s while the sessions sit idle."""
    time.sleep(settle)  # let first runs and heartbeats settle
    cpu0 = [cpu_seconds(a.proc.pid) for a in apps]
    tx0, t0 = transactions(server, db), time.monotonic()
    time.sleep(IDLE_S)
    elapsed = time.monotonic() - t0
    out = {f"cpu_replica_{i}_pct": 100 * (cpu_seconds(a.proc.pid) - cpu0[i]) / elapsed
           for i, a in enumerate(apps)}
    out["transactions_per_s"] = (transactions(server, db) - tx0) / elapsed
    out["sessions"] = float(sessions)
    return out


class Worker(threading.Thread):
    """One simulated worker: read an actor, think, save one field with ``if_version``."""

    def __init__(self, url: str, name: str, hot: list[str], until: float) -> None:
        super().__init__(daemon=True)
        self.url, self.name, self.hot, self.until = url, name, hot, until
        self.done: list[tuple[str, int, str, Any]] = []
        self.conflicts = 0
        self.errors: list[str] = []

    def run(self) -> None:
        rng = random.Random(self.name)
        store = GuardedStore(open_store(self.url), self.name)
        try:
            i = 0
            while time.monotonic() < self.until:
                actor_id = rng.choice(self.hot)
                base = store.get_actor(actor_id)
                time.sleep(rng.uniform(*THINK))
                field = rng.choice(FIELDS)
                value: Any = {"notes": f"{self.name}-{i}", "status": rng.choice(STATUSES),
                              "strength": rng.randrange(4)}[field]
                i += 1
                try:
                    rec = store.update_actor(self.name, actor_id, {field: value},
                                             if_version=base["version"])
                except ConflictError:
                    self.conflicts += 1
                    continue
                except BuurtkaartError as err:
                    self.errors.append(str(err))
                    continue
                if rec.get("updated_by") == self.name:
                    self.done.append((actor_id, int(rec["version"]), field, value))
        finally:
            store.close()


def verify(url: str, workers: list[Worker]) -> dict[str, int]:
    """Check that no successful update was lost."""
    store = open_store(url)
    lost = 0
    last: dict[tuple[str, str], tuple[int, Any]] = {}
    try:
        for w in workers:
            for actor_id, version, field, value in w.done:
                events = store.history(actor_id)
                hit = [e for e in events if e["after"] and e["after"].get("version") == version]
                if not hit or hit[0]["user"] != w.name or hit[0]["after"].get(field) != value:
                    lost += 1
                key = (actor_id, field)
                if key not in last or last[key][0] < version:
                    last[key] = (version, value)
        wrong = sum(1 for (actor_id, field), (_, value) in last.items()
                    if store.get_actor(actor_id)[field] != value)
    finally:
        store.close()
    return {"updates": sum(len(w.done) for w in workers), "lost": lost, "final_wrong": wrong,
            "conflicts_reported": sum(w.conflicts for w in workers),
            "other_errors": sum(len(w.errors) for w in workers)}


def markers(url: str, map_id: str, until: float, out: list[tuple[str, float]]) -> None:
    """Add a new actor every 3 s; record (name, commit time)."""
    store = GuardedStore(open_store(url), "marker")
    try:
        k = 0
        while time.monotonic() < until - 4:
            name = f"Live-{k:03d}"
            store.add_actor("marker", map_id, name=name, roles=["partner"],
                            lat=50.853 + (k % 20) / 4000, lon=4.336 + (k // 20) / 4000)
            out.append((name, time.monotonic()))
            k += 1
            time.sleep(3)
    finally:
        store.close()


#: The names of the actors the mounted map shows now (drawn first or added live).
SEEN_JS = """(names) => {
  const bk = window.map && window.map._bk;
  if (!bk) { return []; }
  const shown = new Set(Object.values(bk.actors).map((e) => e.row[3]));
  return names.filter((n) => shown.has(n));
}"""


def watch(pages: list[Any], sent: list[tuple[str, float]], until: float) -> list[float]:
    """Poll the observer pages; return commit -> visible latencies (s)."""
    seen: dict[tuple[int, str], float] = {}
    while time.monotonic() < until:
        pending = [n for n, _ in list(sent)]
        for i, page in enumerate(pages):
            for frame in page.frames:
                if frame.name == "" and frame is page.main_frame:
                    continue
                try:
                    hits = frame.evaluate(SEEN_JS, pending)
                except Exception:  # the frame is being replaced
                    continue
                now = time.monotonic()
                for name in hits:
                    seen.setdefault((i, name), now)
        pages[0].wait_for_timeout(100)
    commits = dict(sent)
    return [at - commits[name] for (_, name), at in seen.items() if name in commits
            and at >= commits[name]]


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(server: Any, tmp: Path) -> dict[str, Any]:
    """Run the whole benchmark on a started PostgreSQL server."""
    from playwright.sync_api import sync_playwright

    url = server.create_database()
    db = url.rsplit("/", 1)[1]
    map_id, hot = setup(url)
    env = {"BUURTKAART_DB": url, "BUURTKAART_SINGLE_USER": "0", "BUURTKAART_BASEMAP": "none"}
    apps = [start_app(tmp / f"replica_{n}", env=env) for n in ("a", "b")
            if (tmp / f"replica_{n}").mkdir() is None]
    lb = start_balancer(tmp / "nginx", [a.url.removeprefix("http://") for a in apps])
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            none = idle_cost(server, db, apps, 0, settle=0)  # peer: the replicas alone
            print("no session:", {k: round(v, 2) for k, v in none.items()}, flush=True)
            pages = open_sessions(browser, lb, time.monotonic() + 240)
            ws = open_ws_sessions(lb, time.monotonic() + 3600)
            runs0 = sum(w.fragment_runs for w in ws)
            asks0, woken0 = sum(w.asks for w in ws), sum(w.woken for w in ws)
            idle = idle_cost(server, db, apps, len(pages) + len(ws))
            idle["ws_asks_per_s"] = (sum(w.asks for w in ws) - asks0) / (IDLE_S + 10)
            idle["ws_woken_per_s"] = (sum(w.woken for w in ws) - woken0) / (IDLE_S + 10)
            idle["ws_ask_errors"] = float(sum(w.ask_errors for w in ws))
            why: dict[str, int] = {}
            for w in ws:
                for reason, n in w.why.items():
                    why[reason] = why.get(reason, 0) + n
            print("watcher wakes by reason (whole idle phase):", why, flush=True)
            idle["browsers"], idle["ws_sessions"] = float(len(pages)), float(len(ws))
            idle["ws_fragment_runs_per_s"] = (sum(w.fragment_runs for w in ws) - runs0) / (
                IDLE_S + 10)
            idle.update({f"no_session_{k}": v for k, v in none.items() if k != "sessions"})
            print("idle:", {k: round(v, 2) for k, v in idle.items()}, flush=True)
            until = time.monotonic() + LOAD_S
            workers = [Worker(url, f"w{i:02d}", hot, until) for i in range(WORKERS)]
            sent: list[tuple[str, float]] = []
            threads = [*workers, threading.Thread(target=markers, args=(url, map_id, until,
                                                                        sent), daemon=True)]
            for th in threads:
                th.start()
            latencies = watch(pages[:2], sent, until + 5)
            for th in threads:
                th.join(30)
            for w in ws:
                w.until = 0.0
            browser.close()
    finally:
        lb.stop()
        for app in apps:
            app.stop()
    checks = verify(url, workers)
    print("latencies (s):", [round(v, 2) for v in sorted(latencies)], flush=True)
    live = {"markers": len(sent), "observations": len(latencies),
            "saves_per_s": (checks["updates"] + checks["conflicts_reported"]) / LOAD_S,
            "p50_s": statistics.median(latencies) if latencies else float("nan"),
            "p95_s": percentile(latencies, 0.95) if latencies else float("nan")}
    return {"idle": idle, "edits": checks, "latency": live}


def main() -> None:
    """Start PostgreSQL, run, print the figures."""
    tmp = Path(tempfile.mkdtemp(prefix="buurtkaart-live-"))
    tmp.chmod(0o755)
    server, proc = start_pg_server(tmp / "pg")
    try:
        figures = run(server, tmp)
    finally:
        stop_pg_server(proc, server.datadir)
    print(f"think time {THINK[0]}-{THINK[1]} s, load average {os.getloadavg()}")
    for part, values in figures.items():
        print(f"{part}: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                      for k, v in values.items()))


if __name__ == "__main__":
    main()
