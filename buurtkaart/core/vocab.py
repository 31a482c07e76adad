"""Stable vocabulary keys of the method (Resokit's "kaart van sociale inclusie").

Keys never change (they appear in the CLI, exports and the store); their Dutch,
French and English labels live in the text catalog (``buurtkaart/i18n/vocab.toml``,
key ``<kind>.<key>``, read with :func:`buurtkaart.i18n.label`). Each table here is
the tuple of keys in display order.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = (
    "sleutelfiguur",
    "brugfiguur",
    "pleitbezorger",
    "partner",
    "stakeholder",
    "neutrale_speler",
    "politieke_actor",
    "vrijwilliger",
    "buurtbewoner",
    "doelpubliek",
    "financier",
)

KINDS: tuple[str, ...] = ("organisation", "person", "group", "place")

STRENGTHS: tuple[int, ...] = (0, 1, 2, 3)

STATUSES: tuple[str, ...] = ("to_contact", "in_conversation", "cooperating", "paused", "conflict")

LEANINGS: tuple[str, ...] = ("ally", "neutral", "opponent")

PRIVACY: tuple[str, ...] = ("public", "team", "private")

CONTACT_OUTCOMES: tuple[str, ...] = ("reached", "no_answer", "refused", "agreement")

CHANNELS: tuple[str, ...] = ("visit", "phone", "email", "meeting", "event", "other")

DIMENSIONS: tuple[str, ...] = ("cultuur", "beleid", "praktijk")

DOMAINS: tuple[str, ...] = ("omgeving", "organisatie", "medewerkers", "doelpubliek")

#: Working factors per domain, after the method's "inclusietracker".
FACTORS: dict[str, tuple[str, ...]] = {
    "omgeving": (
        "regelgeving",
        "stakeholders",
        "inspirerende_praktijken",
        "inrichting_buurt",
        "figuren",
    ),
    "organisatie": (
        "visie",
        "cultuur",
        "leiderschap",
        "structuur",
        "historiek",
        "infrastructuur",
        "administratie",
        "aanbod",
    ),
    "medewerkers": (
        "visie",
        "toerusting",
        "ervaren_voordelen",
        "werkwijze",
    ),
    "doelpubliek": (
        "beeldvorming",
        "burgerschap",
        "gewaardeerde_rollen",
        "worteling",
        "informatie",
        "vitaliteit_netwerk",
        "levensdomeinen",
    ),
}

#: Types of actor-to-actor links.
LINK_TYPES: tuple[str, ...] = ("kent", "werkt_samen", "familie", "conflict", "andere")

SIGNAL_TYPES: tuple[str, ...] = (
    "new_place",
    "closure",
    "new_group",
    "infrastructure",
    "policy",
    "event",
    "other",
)

#: Scores of the domain reflection (1 = not yet present ... 4 = firmly rooted).
SCORES: tuple[int, ...] = (1, 2, 3, 4)

LANGS = ("nl", "fr", "en")
