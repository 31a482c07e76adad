"""Safe inputs of ``buurtkaart diff``: an older extract given as the newer one is refused.

The extracts are written here with pyosmium: a 5 x 5 grid of tagged nodes
around Molenbeek, with or without a header timestamp and object timestamps.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import osmium
import pytest

from buurtkaart._errors import InputError
from buurtkaart.cli import main
from buurtkaart.meeting.diff import ensure_newer
from buurtkaart.sources.osmtime import extract_time

LAT, LON = 50.8552, 4.3387
WHERE = ("--lat", str(LAT), "--lon", str(LON), "--radius", "200")


def write_extract(path: Path, *, header: str | None, objects: dt.datetime | None,
                  names: tuple[str, ...] = ("Bakkerij Jan",)) -> Path:
    """Write a small .osm.pbf: 25 nodes over 600 m; the centre one and its east neighbour
    (147 m) are the named shops."""
    h = osmium.io.Header()
    if header:
        h.set("osmosis_replication_timestamp", header)
    with osmium.SimpleWriter(str(path), header=h, overwrite=True) as writer:
        for k in range(25):
            slot = k - 12  # node 13 is the centre, node 14 its east neighbour
            tags = ({"shop": "bakery", "name": names[slot]} if 0 <= slot < len(names)
                    else {"barrier": "bollard"})
            node = osmium.osm.mutable.Node(
                id=k + 1, location=(LON - 0.0042 + 0.0021 * (k % 5),
                                    LAT - 0.0027 + 0.00135 * (k // 5)),
                tags=tags, version=1, timestamp=objects)
            writer.add_node(node)
    return path


def test_header_timestamp_comes_first(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "a.osm.pbf", header="2013-01-01T00:00:00Z",
                         objects=dt.datetime(2012, 6, 1, tzinfo=dt.UTC))
    got = extract_time(path)
    assert (got.when, got.basis) == (dt.datetime(2013, 1, 1, tzinfo=dt.UTC), "header")
    path = write_extract(tmp_path / "b.osm.pbf", header=None,
                         objects=dt.datetime(2012, 6, 1, tzinfo=dt.UTC))
    got = extract_time(path)
    assert (got.when, got.basis) == (dt.datetime(2012, 6, 1, tzinfo=dt.UTC), "data")
    got = extract_time(write_extract(tmp_path / "c.osm.pbf", header=None, objects=None))
    assert (got.when, got.basis) == (None, "none")


def test_ensure_newer_says_which_time_was_used() -> None:
    old = ("old.osm.pbf", dt.datetime(2013, 1, 1, tzinfo=dt.UTC), "header")
    new = ("new.osm.pbf", dt.datetime(2012, 1, 1, tzinfo=dt.UTC), "header")
    assert ensure_newer(new, old) == "header"
    with pytest.raises(InputError, match=r"older than the previous.*file header's timestamp"):
        ensure_newer(old, new)
    with pytest.raises(InputError, match=r"ouder dan het vorige.*Er is niets opgeslagen"):
        ensure_newer(old, new, "nl")
    assert ensure_newer(old, (new[0], None, "none")) == "none"
    data = ("new.osm.pbf", dt.datetime(2012, 1, 1, tzinfo=dt.UTC), "data")
    with pytest.raises(InputError, match=r"file header's timestamp / the newest object"):
        ensure_newer(old, data)


@pytest.mark.parametrize("use_header", [True, False])
def test_cli_refuses_an_older_newer_extract(tmp_path: Path, use_header: bool,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def extract(name: str, when: str) -> Path:
        stamp = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
        return write_extract(tmp_path / name, header=when + "Z" if use_header else None,
                             objects=None if use_header else stamp)

    y2012 = extract("y2012.osm.pbf", "2012-01-01T00:00:00")
    y2013 = extract("y2013.osm.pbf", "2013-01-01T00:00:00")
    assert main(["diff", str(y2013), str(y2012), *WHERE]) == 2
    captured = capsys.readouterr()
    basis = "the file header's timestamp" if use_header else "the newest object in the data"
    assert "y2012.osm.pbf" in captured.err and basis in captured.err
    assert "Nothing was written" in captured.err and captured.out == ""
    assert main(["diff", str(y2012), str(y2013), *WHERE]) == 0
    captured = capsys.readouterr()
    assert f"compared by {'header' if use_header else 'data'} timestamp" in captured.err
    assert json.loads(captured.out)["counts"]["unchanged"] == 1


def test_cli_warns_when_no_time_is_known(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    a = write_extract(tmp_path / "a.osm.pbf", header=None, objects=None)
    b = write_extract(tmp_path / "b.osm.pbf", header=None, objects=None,
                      names=("Bakkerij Jan", "Café Nieuw"))
    assert main(["diff", str(a), str(b), *WHERE]) == 0
    captured = capsys.readouterr()
    assert "cannot check which extract is newer" in captured.err
    assert [e["name"] for e in json.loads(captured.out)["new"]] == ["Café Nieuw"]


def test_cli_table_reads_changes_as_sentences(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    a = write_extract(tmp_path / "a.osm.pbf", header="2012-01-01T00:00:00Z", objects=None)
    b = write_extract(tmp_path / "b.osm.pbf", header="2013-01-01T00:00:00Z", objects=None,
                      names=("Bakkerij Jan Express",))
    assert main(["diff", str(a), str(b), *WHERE, "--format", "table", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "naam gewijzigd: Bakkerij Jan → Bakkerij Jan Express" in out
    assert "=" not in out and "0 new, 0 gone, 1 changed, 0 redrawn, 0 merged" in out
