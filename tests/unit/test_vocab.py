"""The method's vocabulary: stable keys in core.vocab, a label in nl, fr and en for every key."""

from __future__ import annotations

from buurtkaart.core import vocab
from buurtkaart.i18n import LANGS, VOCAB, catalog, label

TABLES = {
    "ROLES": vocab.ROLES, "KINDS": vocab.KINDS, "STRENGTHS": vocab.STRENGTHS,
    "STATUSES": vocab.STATUSES, "LEANINGS": vocab.LEANINGS, "PRIVACY": vocab.PRIVACY,
    "CONTACT_OUTCOMES": vocab.CONTACT_OUTCOMES, "CHANNELS": vocab.CHANNELS,
    "DIMENSIONS": vocab.DIMENSIONS, "DOMAINS": vocab.DOMAINS,
    "SIGNAL_TYPES": vocab.SIGNAL_TYPES, "LINK_TYPES": vocab.LINK_TYPES, "SCORES": vocab.SCORES,
    **{f"FACTORS[{d}]": f for d, f in vocab.FACTORS.items()},
}


def test_every_table_is_known_to_the_catalog() -> None:
    assert sorted(map(repr, TABLES.values())) == sorted(map(repr, VOCAB.values()))


def test_every_key_has_three_nonempty_labels() -> None:
    for kind, keys in VOCAB.items():
        assert keys, kind
        for key in keys:
            texts = catalog().get(f"{kind}.{key}")
            assert texts is not None, f"{kind}.{key} has no label in the catalog"
            assert all(texts.get(lg, "").strip() for lg in LANGS), (kind, key)


def test_issue_role_keys_are_stable() -> None:
    assert set(vocab.ROLES) == {
        "sleutelfiguur", "brugfiguur", "pleitbezorger", "partner", "stakeholder",
        "neutrale_speler", "politieke_actor", "vrijwilliger", "buurtbewoner",
        "doelpubliek", "financier",
    }
    assert set(vocab.KINDS) == {"organisation", "person", "group", "place"}


def test_every_domain_has_factors() -> None:
    assert set(vocab.FACTORS) == set(vocab.DOMAINS)
    assert len(vocab.FACTORS["organisatie"]) == 8
    assert len(vocab.FACTORS["doelpubliek"]) == 7


def test_label_lookup_per_language() -> None:
    assert label("role", "sleutelfiguur", "nl") == "Sleutelfiguur"
    assert label("role", "sleutelfiguur", "fr") == "Personne-clé"
    assert label("role", "sleutelfiguur", "en") == "Key figure"
    assert label("role", "unknown_role", "en") == "unknown_role"
    assert label("factor.organisatie", "visie", "fr") == "Vision"
    assert label("strength", 3, "nl") == "Sterk"
    assert label("status", None, "nl") == ""  # never a raw "None"
