"""Stable vocabulary keys of the method, with their Dutch, French and English labels.

Keys never change (they appear in the CLI, exports and the store); labels are
translated. The words follow Resokit's "kaart van sociale inclusie".
Each table maps ``key -> (nl, fr, en)``.
"""

from __future__ import annotations

Labels = dict[str, tuple[str, str, str]]

ROLES: Labels = {
    "sleutelfiguur": ("Sleutelfiguur", "Personne-clé", "Key figure"),
    "brugfiguur": ("Brugfiguur", "Personne-relais", "Bridge figure"),
    "pleitbezorger": ("Pleitbezorger", "Porte-parole", "Advocate"),
    "partner": ("Partner", "Partenaire", "Partner"),
    "stakeholder": ("Stakeholder", "Partie prenante", "Stakeholder"),
    "neutrale_speler": ("Neutrale speler", "Acteur neutre", "Neutral player"),
    "politieke_actor": ("Politieke actor", "Acteur politique", "Political actor"),
    "vrijwilliger": ("Vrijwilliger", "Bénévole", "Volunteer"),
    "buurtbewoner": ("Buurtbewoner", "Habitant du quartier", "Resident"),
    "doelpubliek": ("Doelpubliek", "Public cible", "Target group"),
    "financier": ("Financier", "Financeur", "Funder"),
}

KINDS: Labels = {
    "organisation": ("Organisatie", "Organisation", "Organisation"),
    "person": ("Persoon", "Personne", "Person"),
    "group": ("Groep", "Groupe", "Group"),
    "place": ("Plek", "Lieu", "Place"),
}

STRENGTHS: dict[int, tuple[str, str, str]] = {
    0: ("Geen", "Aucune", "None"),
    1: ("Oppervlakkig", "Superficielle", "Superficial"),
    2: ("Regelmatig", "Régulière", "Regular"),
    3: ("Sterk", "Forte", "Strong"),
}

STATUSES: Labels = {
    "to_contact": ("Te contacteren", "À contacter", "To contact"),
    "in_conversation": ("In gesprek", "En discussion", "In conversation"),
    "cooperating": ("Samenwerking", "Coopération", "Cooperating"),
    "paused": ("Gepauzeerd", "En pause", "Paused"),
    "conflict": ("Conflict", "Conflit", "Conflict"),
}

LEANINGS: Labels = {
    "ally": ("Bondgenoot", "Allié", "Ally"),
    "neutral": ("Neutraal", "Neutre", "Neutral"),
    "opponent": ("Mogelijke tegenstander", "Opposant possible", "Possible opponent"),
}

PRIVACY: Labels = {
    "public": ("Publiek", "Public", "Public"),
    "team": ("Team", "Équipe", "Team"),
    "private": ("Privé", "Privé", "Private"),
}

CONTACT_OUTCOMES: Labels = {
    "reached": ("Bereikt", "Joint", "Reached"),
    "no_answer": ("Geen antwoord", "Pas de réponse", "No answer"),
    "refused": ("Geweigerd", "Refusé", "Refused"),
    "agreement": ("Afspraak", "Accord", "Agreement"),
}

CHANNELS: Labels = {
    "visit": ("Bezoek", "Visite", "Visit"),
    "phone": ("Telefoon", "Téléphone", "Phone"),
    "email": ("E-mail", "E-mail", "Email"),
    "meeting": ("Overleg", "Réunion", "Meeting"),
    "event": ("Activiteit", "Activité", "Event"),
    "other": ("Andere", "Autre", "Other"),
}

DIMENSIONS: Labels = {
    "cultuur": ("Cultuur", "Culture", "Culture"),
    "beleid": ("Beleid", "Politique", "Policy"),
    "praktijk": ("Praktijk", "Pratique", "Practice"),
}

DOMAINS: Labels = {
    "omgeving": ("Politiek-sociale omgeving", "Environnement politico-social",
                 "Political-social environment"),
    "organisatie": ("Organisatie", "Organisation", "Organisation"),
    "medewerkers": ("Medewerkers", "Collaborateurs", "Staff"),
    "doelpubliek": ("Doelpubliek", "Public cible", "Target group"),
}

#: Working factors per domain, after the method's "inclusietracker".
FACTORS: dict[str, Labels] = {
    "omgeving": {
        "regelgeving": ("Wet- en regelgeving", "Lois et réglementation", "Laws and regulations"),
        "stakeholders": ("Stakeholders", "Parties prenantes", "Stakeholders"),
        "inspirerende_praktijken": ("Inspirerende praktijken in de omgeving",
                                    "Pratiques inspirantes dans l'environnement",
                                    "Inspiring practices nearby"),
        "inrichting_buurt": ("Inrichting van de buurt", "Aménagement du quartier",
                             "Layout of the neighbourhood"),
        "figuren": ("Pleitbezorgers, brug- en sleutelfiguren",
                    "Porte-parole, personnes-relais et personnes-clés",
                    "Advocates, bridge and key figures"),
    },
    "organisatie": {
        "visie": ("Visie", "Vision", "Vision"),
        "cultuur": ("Cultuur", "Culture", "Culture"),
        "leiderschap": ("Leiderschap", "Leadership", "Leadership"),
        "structuur": ("Structuur", "Structure", "Structure"),
        "historiek": ("Historiek", "Historique", "History"),
        "infrastructuur": ("Infrastructuur", "Infrastructure", "Infrastructure"),
        "administratie": ("Administratieve processen", "Processus administratifs",
                          "Administrative processes"),
        "aanbod": ("Aanbod", "Offre", "Services offered"),
    },
    "medewerkers": {
        "visie": ("Visie", "Vision", "Vision"),
        "toerusting": ("Toerusting voor inclusie, netwerken en buurt",
                       "Outils pour l'inclusion, les réseaux et le quartier",
                       "Equipment for inclusion, networks and neighbourhood"),
        "ervaren_voordelen": ("Ervaren voordelen voor zichzelf en de doelgroep",
                              "Avantages perçus pour soi et le public cible",
                              "Perceived benefits for themselves and the target group"),
        "werkwijze": ("Werkwijze om inclusie te introduceren en competentie te laten groeien",
                      "Méthode pour introduire l'inclusion et développer les compétences",
                      "Way of introducing inclusion and growing competence"),
    },
    "doelpubliek": {
        "beeldvorming": ("Beeldvorming en zelfbeeld", "Image et estime de soi",
                         "Image and self-image"),
        "burgerschap": ("Actief burgerschap en participatie", "Citoyenneté active et participation",
                        "Active citizenship and participation"),
        "gewaardeerde_rollen": ("Sociaal gewaardeerde rollen", "Rôles socialement valorisés",
                                "Socially valued roles"),
        "worteling": ("Ervaren voordelen van worteling in de buurt",
                      "Avantages perçus de l'ancrage dans le quartier",
                      "Perceived benefits of rootedness in the neighbourhood"),
        "informatie": ("Beschikbare of ontbrekende informatie",
                       "Information disponible ou manquante",
                       "Available or missing information"),
        "vitaliteit_netwerk": ("Vitaliteit van het netwerk", "Vitalité du réseau",
                               "Vitality of the network"),
        "levensdomeinen": ("Hoe men zich beweegt over levensdomeinen",
                           "Mobilité entre les domaines de vie",
                           "Moving across life domains"),
    },
}

#: Types of actor-to-actor links.
LINK_TYPES: Labels = {
    "kent": ("Kent", "Connaît", "Knows"),
    "werkt_samen": ("Werkt samen", "Collabore", "Works with"),
    "familie": ("Familie", "Famille", "Family"),
    "conflict": ("Conflict", "Conflit", "Conflict"),
    "andere": ("Andere", "Autre", "Other"),
}

SIGNAL_TYPES: Labels = {
    "new_place": ("Nieuwe winkel of organisatie", "Nouveau commerce ou organisation",
                  "New shop or organisation"),
    "closure": ("Sluiting", "Fermeture", "Closure"),
    "new_group": ("Nieuwe bewonersgroep", "Nouveau groupe d'habitants", "New resident group"),
    "infrastructure": ("Infrastructuur of verkeer", "Infrastructure ou circulation",
                       "Infrastructure or traffic"),
    "policy": ("Beleid", "Politique", "Policy"),
    "event": ("Gebeurtenis", "Événement", "Event"),
    "other": ("Andere", "Autre", "Other"),
}

LANGS = ("nl", "fr", "en")


def label(table: dict, key: object, lang: str = "nl") -> str:
    """Return the label of ``key`` in ``table`` for ``lang`` (the key itself if unknown)."""
    labels = table.get(key)
    if labels is None:
        return str(key)
    return labels[LANGS.index(lang) if lang in LANGS else 0]
