"""Fixtures for real data files: the shared Brussels/uMap data and the demo extract.

Shared data live in ``../shared/data`` (or ``BUURTKAART_SHARED_DATA``). When a
file is absent the test is skipped with a reason, unless
``BUURTKAART_REQUIRE_SHARED_DATA=1`` (CI), where it fails instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtkaart import settings
from buurtkaart.core.address import GeocodeIndex
from buurtkaart.sources.addresses import load_index

MOLENBEEK = (50.8552, 4.3387)  # Place Communale, (lat, lon)


def shared_file(relpath: str) -> Path:
    """Return a shared data file, or skip/fail the calling test if it is absent."""
    path = settings.shared_data_dir() / relpath
    if not path.exists():
        msg = f"shared data file {path} is absent (see ../shared/data/README.md)"
        if settings.get_bool("BUURTKAART_REQUIRE_SHARED_DATA"):
            pytest.fail(msg + " and BUURTKAART_REQUIRE_SHARED_DATA=1")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def brussels_2013() -> Path:
    return shared_file("brussels/brussels-2013-01-01.osm.pbf")


@pytest.fixture(scope="session")
def brussels_2012() -> Path:
    return shared_file("brussels/brussels-2012-01-01.osm.pbf")


@pytest.fixture(scope="session")
def places_2026() -> Path:
    return shared_file("brussels/places-2026.geojson")


@pytest.fixture(scope="session")
def boundaries() -> Path:
    return shared_file("brussels/communes-and-quarters.geojson")


@pytest.fixture(scope="session")
def region_boundary() -> Path:
    return shared_file("brussels/brussels-region-boundary.geojson")


@pytest.fixture(scope="session")
def umap_dir() -> Path:
    return shared_file("umap")


@pytest.fixture(scope="session")
def demo_pbf() -> Path:
    path = settings.demo_osm_file()
    assert path.exists(), f"demo extract missing: {path}"
    return path


@pytest.fixture(scope="session")
def geocode_index_2013(brussels_2013: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> GeocodeIndex:
    """The offline geocoding index of the 2013 extract, built once per test session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUURTKAART_CACHE_DIR", str(tmp_path_factory.mktemp("geocache")))
        return load_index(brussels_2013)


@pytest.fixture(scope="session")
def molenbeek() -> tuple[float, float]:
    return MOLENBEEK
