"""A landmark in a commune the extract has no boundary for is found by its own name only."""

from __future__ import annotations

import pytest

from buurtkaart._errors import GeocodeError
from buurtkaart.core.address import Commune, GeocodeIndex, geocode_offline

GENERIC = ("Gemeentehuis", "Maison communale", "Hôtel de ville")


@pytest.fixture
def index() -> GeocodeIndex:
    idx = GeocodeIndex(source="toy")
    alpha = idx.add_commune(Commune("Alpha - Alfa", "1", ("1001",)), "Alpha", "Alfa")
    idx.add_area("Maison communale d'Alpha - Gemeentehuis Alfa", 50.80, 4.30, alpha, *GENERIC)
    # Saint-Gilles: no boundary relation in the extract, so no commune (-1)
    idx.add_area("Maison communale de Saint-Gilles - Gemeentehuis Sint-Gillis", 50.82, 4.34,
                 -1, *GENERIC)
    idx.add_area("Gemeentehuis", 50.84, 4.31, -1, *GENERIC)  # an unnamed town hall
    return idx


@pytest.mark.parametrize("query", ["Hôtel de ville, Saint-Gilles", "Gemeentehuis, Sint-Gillis",
                                   "maison communale, saint gilles"])
def test_found_by_the_commune_in_its_own_name(index: GeocodeIndex, query: str) -> None:
    hit = geocode_offline(query, index)
    assert (hit.precision, hit.lat, hit.lon) == ("area", 50.82, 4.34)
    assert hit.label.startswith("Maison communale de Saint-Gilles")


def test_known_commune_still_uses_its_boundary(index: GeocodeIndex) -> None:
    hit = geocode_offline("Gemeentehuis, Alfa", index)
    assert (hit.lat, hit.commune) == (50.80, "Alpha - Alfa")


@pytest.mark.parametrize("query", ["Gemeentehuis, Anderlecht", "Hôtel de ville, Nergensdorp"])
def test_a_commune_no_name_holds_is_refused_not_guessed(index: GeocodeIndex, query: str) -> None:
    with pytest.raises(GeocodeError):
        geocode_offline(query, index)
