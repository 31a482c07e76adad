"""The basemap default: OSM tiles when the tile host answers, the offline basemap when not."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from buurtkaart.sources import _tiles


@pytest.fixture(autouse=True)
def _fresh_probes() -> Iterator[None]:
    _tiles.forget_probes()
    yield
    _tiles.forget_probes()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_listening_tile_host_is_online(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        monkeypatch.setenv("BUURTKAART_TILE_URL", f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
        monkeypatch.setenv("BUURTKAART_BASEMAP", "auto")
        assert _tiles.tiles_reachable() is True
        assert _tiles.default_basemap() == "osm"


def test_refused_tile_host_means_offline_basemap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_TILE_URL", f"http://127.0.0.1:{_closed_port()}/{{z}}.png")
    monkeypatch.setenv("BUURTKAART_BASEMAP", "auto")
    assert _tiles.default_basemap() == "offline"


def test_blocked_network_answers_within_the_probe_deadline(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def stall(*_: object, **__: object) -> socket.socket:
        time.sleep(30)
        raise OSError("unreachable")

    monkeypatch.setattr(_tiles.socket, "create_connection", stall)
    monkeypatch.setenv("BUURTKAART_TILE_URL", "https://tile.example.invalid/{z}/{x}/{y}.png")
    started = time.monotonic()
    assert _tiles.tiles_reachable() is False
    # A failure-mode bound (the app must not hang offline), not a speed benchmark.
    assert time.monotonic() - started < _tiles.PROBE_TIMEOUT_S + 2


def test_explicit_setting_wins_without_probing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object, **__: object) -> socket.socket:
        raise AssertionError("no probe expected")

    monkeypatch.setattr(_tiles.socket, "create_connection", fail)
    for choice in ("osm", "offline"):
        monkeypatch.setenv("BUURTKAART_BASEMAP", choice)
        assert _tiles.default_basemap() == choice


def test_answer_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []

    def refuse(address: tuple[str, int], **_: object) -> socket.socket:
        calls.append(address)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(_tiles.socket, "create_connection", refuse)
    monkeypatch.setenv("BUURTKAART_TILE_URL", "https://tiles.test:8443/{z}/{x}/{y}.png")
    assert _tiles.tiles_reachable() is False
    assert _tiles.tiles_reachable() is False
    assert calls == [("tiles.test", 8443)]
