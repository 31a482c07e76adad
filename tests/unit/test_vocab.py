"""The method's vocabulary has a label in nl, fr and en for every key."""

from __future__ import annotations

from buurtkaart.core import vocab

TABLES = {
    "ROLES": vocab.ROLES, "KINDS": vocab.KINDS, "STRENGTHS": vocab.STRENGTHS,
    "STATUSES": vocab.STATUSES, "LEANINGS": vocab.LEANINGS, "PRIVACY": vocab.PRIVACY,
    "CONTACT_OUTCOMES": vocab.CONTACT_OUTCOMES, "CHANNELS": vocab.CHANNELS,
    "DIMENSIONS": vocab.DIMENSIONS, "DOMAINS": vocab.DOMAINS,
    "SIGNAL_TYPES": vocab.SIGNAL_TYPES, "LINK_TYPES": vocab.LINK_TYPES,
    **{f"FACTORS[{d}]": f for d, f in vocab.FACTORS.items()},
}


def test_every_key_has_three_nonempty_labels() -> None:
    for table_name, table in TABLES.items():
        for key, labels in table.items():
            assert len(labels) == 3, f"{table_name}[{key!r}] needs nl, fr, en"
            assert all(isinstance(x, str) and x.strip() for x in labels), (table_name, key)


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
    assert vocab.label(vocab.ROLES, "sleutelfiguur", "nl") == "Sleutelfiguur"
    assert vocab.label(vocab.ROLES, "sleutelfiguur", "fr") == "Personne-clé"
    assert vocab.label(vocab.ROLES, "sleutelfiguur", "en") == "Key figure"
    assert vocab.label(vocab.ROLES, "unknown_role", "en") == "unknown_role"
