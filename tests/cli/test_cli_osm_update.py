"""``buurtkaart osm update``: a derived OsmChange file gives the diff of the two extracts.

The change file is made from the shared 2012 and 2013 extracts (cut to a box
around the Bourse with ``osmium extract``, then ``osmium derive-changes``; see
``tests/support/osmchange_data.py``). Offline replication fails fast against a
loopback port nobody listens on.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import osmium
import pytest
from support.osmchange_data import CENTRE, RADIUS, change_set

from buurtkaart import settings
from buurtkaart._errors import InputError
from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.core.area import Area
from buurtkaart.meeting.osm_update import import_newer_extract
from buurtkaart.places import read_places
from buurtkaart.sources import osmchange
from buurtkaart.store import open_store

pytestmark = pytest.mark.shared


@pytest.fixture(scope="session")
def changes(tmp_path_factory: pytest.TempPathFactory, brussels_2012: Path,
            brussels_2013: Path) -> dict[str, Path]:
    return change_set(tmp_path_factory.getbasetemp() / "osmchange", brussels_2012,
                      brussels_2013)


def _map_from(db: str, extract: Path) -> Area:
    area = Area.circle(*CENTRE, RADIUS)
    with open_store(db) as store:
        m = store.create_map("an", name="Bourse", org_name="Buurtwerk", lat=CENTRE[0],
                             lon=CENTRE[1], area=area)
        store.import_places("an", m["id"], read_places(extract, area),
                            source=f"file:{extract.name}", area=area.to_dict())
        accounts.add_user(store, "an", None, map_id=m["id"], role="editor")
    return area


def test_derived_osc_gives_the_diff_of_the_two_extracts(
        changes: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    area = _map_from(db, changes["old"])
    lat, lon = (str(v) for v in CENTRE)
    where = ["--lat", lat, "--lon", lon, "--radius", str(RADIUS)]
    assert main(["diff", str(changes["old"]), str(changes["new"]), *where,
                 "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)

    # No cut is kept yet and the import's extract is not configured: a clear refusal.
    assert main(["osm", "update", "--db", db, "--map", "Bourse",
                 "--changes", str(changes["osc"])]) == 2
    assert "--base FILE" in capsys.readouterr().err

    assert main(["osm", "update", "--db", db, "--map", "Bourse", "--changes",
                 str(changes["osc"]), "--base", str(changes["old"]), "--format", "diff"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == expected
    assert expected["counts"]["new"] + expected["counts"]["changed"] > 5

    with open_store(db) as store:
        m = store.get_map("Bourse")
        imports = store.list_imports(m["id"])
        assert len(imports) == 2 and imports[0]["source"] == f"osc:{changes['osc'].name}"
        kept = store.get_import_places(imports[0]["id"])
    assert [p.osm_id for p in kept] == [p.osm_id for p in read_places(changes["new"], area)]
    assert osmchange.cut_path(imports[0]["id"]).is_file()  # the next update's base

    # The drafts are those of a new extract (buurtkaart diff --drafts).
    assert main(["diff", str(changes["old"]), str(changes["new"]), *where, "--drafts"]) == 0
    drafts = json.loads(capsys.readouterr().out)
    assert main(["osm", "update", "--db", db, "--map", "Bourse", "--changes",
                 str(changes["osc"])]) == 0  # applied again to the kept cut: no news
    assert json.loads(capsys.readouterr().out) == []
    assert len(drafts) > 5 and all(d["status"] == "draft" for d in drafts)


def test_update_is_refused_without_change_file_or_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    with open_store(db) as store:
        m = store.create_map("an", name="Leeg", org_name="B", lat=CENTRE[0], lon=CENTRE[1],
                             area=Area.circle(*CENTRE, RADIUS))
        accounts.add_user(store, "an", None, map_id=m["id"], role="editor")
    osc = tmp_path / "day.osc"
    assert main(["osm", "update", "--db", db, "--map", "Leeg", "--changes", str(osc)]) == 2
    assert "no OSM import yet" in capsys.readouterr().err
    wrong = tmp_path / "day.txt"
    wrong.write_text("x")
    with pytest.raises(Exception, match="not an OsmChange file"):
        osmchange.check_change_file(wrong)
    with pytest.raises(Exception, match="does not exist"):
        osmchange.check_change_file(osc)


def test_offline_replication_fails_fast(changes: dict[str, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    _map_from(db, changes["old"])
    args = ["osm", "update", "--db", db, "--map", "Bourse", "--online",
            "--base", str(changes["old"])]
    assert main(args) == 2  # no URL configured
    assert "BUURTKAART_REPLICATION_URL" in capsys.readouterr().err
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BUURTKAART_REPLICATION_URL", f"http://127.0.0.1:{port}/replication/day/")
    start = time.monotonic()
    assert main(args) == 6
    assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "offline" in err
    with open_store(db) as store:  # nothing was written
        assert len(store.list_imports(store.get_map("Bourse")["id"])) == 1


def test_newer_extract_of_another_area_or_older_is_refused(
        changes: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_OSM_DIR", str(changes["old"].parent))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    _map_from(db, changes["old"])
    with open_store(db) as store:
        m = store.get_map("Bourse")
        far = store.create_map("an", name="Schaerbeek", org_name="B", lat=50.8674, lon=4.3773,
                               area=Area.circle(50.8674, 4.3773, 400))
        store.import_places("an", far["id"], [], source="file:bourse-2012.osm.pbf",
                            area=Area.circle(50.8674, 4.3773, 400).to_dict())
        with pytest.raises(InputError, match="does not cover"):
            import_newer_extract(store, "an", far["id"], changes["new"])
        done = import_newer_extract(store, "an", m["id"], changes["new"], lang="en")
        assert done.basis == "header" and done.diff is not None
        with pytest.raises(InputError, match="is older than the previous one"):
            import_newer_extract(store, "an", m["id"], changes["old"], lang="en")
        assert [len(store.list_imports(x)) for x in (m["id"], far["id"])] == [2, 1]


class _Replication(http.server.SimpleHTTPRequestHandler):
    """A static replication folder on loopback; records the User-Agent of each request."""

    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        super().do_GET()

    def log_message(self, *args: Any) -> None:
        pass


def test_online_update_from_a_loopback_replication_server(
        changes: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    day = tmp_path / "replication" / "day"
    (day / "000" / "000").mkdir(parents=True)
    state = "sequenceNumber=1\ntimestamp=2013-01-01T00\\:00\\:00Z\n"
    for name in ("state.txt", "000/000/001.state.txt"):
        (day / name).write_text(state)
    shutil.copy(changes["osc"], day / "000" / "000" / "001.osc.gz")
    base = tmp_path / "base.osm.pbf"  # the 2012 cut, at replication sequence 0
    header = osmium.io.Header()
    header.set("osmosis_replication_sequence_number", "0")
    writer = osmium.SimpleWriter(str(base), header=header)
    osmium.apply(str(changes["old"]), writer)
    writer.close()

    handler = functools.partial(_Replication, directory=str(tmp_path / "replication"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_REPLICATION_URL",
                       f"http://127.0.0.1:{server.server_port}/day/")
    try:
        _map_from(db, changes["old"])
        lat, lon = (str(v) for v in CENTRE)
        assert main(["diff", str(changes["old"]), str(changes["new"]), "--lat", lat, "--lon",
                     lon, "--radius", str(RADIUS)]) == 0
        expected = json.loads(capsys.readouterr().out)
        args = ["osm", "update", "--db", db, "--map", "Bourse", "--online", "--format", "diff"]
        assert main([*args, "--base", str(base)]) == 0
        assert json.loads(capsys.readouterr().out) == expected
        assert main(args) == 0  # the kept cut is at sequence 1: nothing new
        assert json.loads(capsys.readouterr().out) == []
    finally:
        server.shutdown()
        server.server_close()
    with open_store(db) as store:
        sources = [i["source"] for i in store.list_imports(store.get_map("Bourse")["id"])]
    assert sources == ["replication:1", f"file:{changes['old'].name}"]
    assert _Replication.agents and set(_Replication.agents) == {
        settings.get("BUURTKAART_USER_AGENT")}
