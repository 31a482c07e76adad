"""The pre-filtered typo matcher gives exactly the answers of a full rapidfuzz scan."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from buurtkaart.core.address.fuzzy import Prepared, prepared

NAMES = ["rue de la station", "stationsstraat", "chaussee de gand", "steenweg op gent",
         "place communale", "gemeenteplaats", "rue de l eglise", "kerkstraat",
         "avenue louise", "louizalaan", "rue montoyer", "montoyerstraat", "rue haute",
         "hoogstraat", "place flagey", "flageyplein", "rue du midi", "zuidstraat",
         "rue", "a", "rue des deux eglises", "tweekerkenstraat", "boulevard anspach"]


def _full(query: str, names: list[str], limit: int, cutoff: float) -> list[tuple[str, float, int]]:
    hits = process.extract(query, names, scorer=fuzz.ratio, limit=None,
                           score_cutoff=cutoff or None)
    out = sorted(((str(n), float(s), int(i)) for n, s, i in hits), key=lambda h: (-h[1], h[2]))
    return out[:limit]


def _queries(rng: random.Random) -> list[str]:
    out = ["", "r", "zzyzx", "rue imaginaire du zzyzx", "gemeenteplein"]
    for name in NAMES:
        i = rng.randrange(len(name))
        out += [name, name[:i] + name[i + 1:], name[:i] + "x" + name[i:], name.upper()]
    return out


@pytest.mark.parametrize(("limit", "cutoff"), [(5, 85.0), (1, 91.0), (5, 0.0), (1, 0.0)])
def test_same_hits_as_a_full_scan(limit: int, cutoff: float) -> None:
    prep = Prepared(NAMES)
    for query in _queries(random.Random(13)):
        assert prep.extract(query, limit, cutoff) == _full(query, NAMES, limit, cutoff), query


def test_bounds_never_below_the_score() -> None:
    prep = Prepared(NAMES)
    for query in _queries(random.Random(7)):
        bound = prep.bounds(query)
        for pos, name_at in enumerate(prep.order):
            assert bound[pos] >= fuzz.ratio(query, NAMES[name_at]) - 1e-9


def test_typo_found_and_invented_name_refused() -> None:
    prep = Prepared(NAMES)
    assert prep.extract("chausee de gand", 1, 85.0)[0][0] == "chaussee de gand"
    assert prep.extract("rue du blamkeshvrek", 5, 85.0) == []
    assert [h[0] for h in prep.extract("rue du blamkeshvrek", 2)] != []


def test_prepared_is_rebuilt_when_the_names_change() -> None:
    cache: dict[str, Prepared] = {}
    first = prepared(cache, "streets", ["a", "b"])
    assert prepared(cache, "streets", ["a", "b"]) is first
    assert prepared(cache, "streets", ["a", "c"]).names == ["a", "c"]
    assert Prepared([]).extract("x", 5) == []
