"""Texts of the Import/Export page: Dutch first, French and English."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str]] = {
    "export.title": ("Exporteren", "Exporter", "Export"),
    "export.intro": (
        "Kies een profiel. Publiek: enkel formele actoren en plekken, zonder personen, "
        "notities of contactlog; om te delen met andere diensten. Team: alles behalve "
        "privé. Volledig: back-up voor beheerders, met geschiedenis.",
        "Choisissez un profil. Public : seulement les acteurs formels et les lieux, sans "
        "personnes, notes ni journal de contacts ; pour partager avec d'autres services. "
        "Équipe : tout sauf le privé. Complet : sauvegarde pour les administrateurs, avec "
        "l'historique.",
        "Choose a profile. Public: formal actors and places only, no persons, notes or "
        "contact log; for sharing with other services. Team: everything except private. "
        "Full: an admin backup, with the history."),
    "export.relations": ("Relatielijnen toevoegen (GeoJSON)", "Ajouter les lignes de "
                         "relation (GeoJSON)", "Add relation lines (GeoJSON)"),
    "export.delimiter": ("Scheidingsteken CSV", "Séparateur CSV", "CSV delimiter"),
    "export.not_allowed": ("Uw rol laat dit profiel niet toe.",
                           "Votre rôle ne permet pas ce profil.",
                           "Your role does not allow this profile."),
    "profile.public": ("Publiek", "Public", "Public"),
    "profile.team": ("Team", "Équipe", "Team"),
    "profile.full": ("Volledig (back-up)", "Complet (sauvegarde)", "Full (backup)"),
    "export.attribution": ("Elke export vermeldt profiel, kaart, tijdstip en licentie: "
                           "© OpenStreetMap-bijdragers (ODbL).",
                           "Chaque export indique le profil, la carte, l'heure et la "
                           "licence : © contributeurs OpenStreetMap (ODbL).",
                           "Every export records profile, map, time and licence: "
                           "© OpenStreetMap contributors (ODbL)."),
    "import.title": ("Importeren", "Importer", "Import"),
    "import.file": ("Bestand (GeoJSON, CSV, uMap .umap, Overpass JSON)",
                    "Fichier (GeoJSON, CSV, uMap .umap, Overpass JSON)",
                    "File (GeoJSON, CSV, uMap .umap, Overpass JSON)"),
    "import.limits": ("Maximaal {mb} MB en {n} objecten.", "Maximum {mb} Mo et {n} objets.",
                      "At most {mb} MB and {n} features."),
    "import.format": ("Formaat", "Format", "Format"),
    "import.lat": ("Kolom breedtegraad", "Colonne latitude", "Latitude column"),
    "import.lon": ("Kolom lengtegraad", "Colonne longitude", "Longitude column"),
    "import.mapping": ("Kolommen koppelen aan velden", "Associer les colonnes aux champs",
                       "Map columns to fields"),
    "import.none": ("(geen)", "(aucune)", "(none)"),
    "import.kind": ("Soort voor nieuwe actoren", "Type des nouveaux acteurs",
                    "Kind of new actors"),
    "import.roles": ("Rollen voor nieuwe actoren", "Rôles des nouveaux acteurs",
                     "Roles of new actors"),
    "import.layer_as": ("uMap-lagen worden", "Les calques uMap deviennent",
                        "uMap layers become"),
    "import.layer_tag": ("labels", "étiquettes", "tags"),
    "import.layer_category": ("categorie", "catégorie", "category"),
    "import.keep_other": ("Andere eigenschappen bewaren als labels (sleutel=waarde)",
                          "Garder les autres propriétés comme étiquettes (clé=valeur)",
                          "Keep other properties as tags (key=value)"),
    "import.on_duplicate": ("Bij dubbels (zelfde osm_id, of zelfde naam binnen 30 m)",
                            "Doublons (même osm_id, ou même nom à moins de 30 m)",
                            "Duplicates (same osm_id, or same name within 30 m)"),
    "import.merge": ("samenvoegen (lege velden aanvullen)", "fusionner (compléter les "
                     "champs vides)", "merge (fill empty fields)"),
    "import.skip": ("overslaan", "ignorer", "skip"),
    "import.preview": ("Voorbeeld", "Aperçu", "Preview"),
    "import.counts": ("{total} objecten: {imported} nieuw, {merged} samengevoegd, "
                      "{skipped} overgeslagen",
                      "{total} objets : {imported} nouveaux, {merged} fusionnés, "
                      "{skipped} ignorés",
                      "{total} features: {imported} new, {merged} merged, {skipped} skipped"),
    "import.skipped": ("Overgeslagen (nummer en reden)", "Ignorés (numéro et raison)",
                       "Skipped (number and reason)"),
    "import.notes": ("Opmerkingen", "Remarques", "Notes"),
    "import.go": ("Importeren", "Importer", "Import"),
    "import.done": ("Klaar: {imported} nieuw, {merged} samengevoegd, {skipped} overgeslagen.",
                    "Terminé : {imported} nouveaux, {merged} fusionnés, {skipped} ignorés.",
                    "Done: {imported} new, {merged} merged, {skipped} skipped."),
    "import.failed": ("Import mislukt, er is niets gewijzigd: {reason}",
                      "Import échoué, rien n'a été modifié : {reason}",
                      "Import failed, nothing was changed: {reason}"),
    "import.unreadable": ("Bestand niet bruikbaar: {reason}", "Fichier inutilisable : {reason}",
                          "File not usable: {reason}"),
    "import.progress": ("Schrijven: {done} / {total}", "Écriture : {done} / {total}",
                        "Writing: {done} / {total}"),
    "field.name": ("Naam", "Nom", "Name"),
    "field.notes": ("Notities", "Notes", "Notes"),
    "field.category": ("Categorie", "Catégorie", "Category"),
    "field.kind": ("Soort", "Type", "Kind"),
    "field.roles": ("Rollen", "Rôles", "Roles"),
    "field.osm_id": ("OSM-id", "Id OSM", "OSM id"),
    "field.contact_person": ("Contactpersoon", "Personne de contact", "Contact person"),
    "field.address": ("Adres (naar notities)", "Adresse (vers les notes)",
                      "Address (into notes)"),
}

_LANGS = ("nl", "fr", "en")


def tr(key: str, lang: str = "nl", **kw: object) -> str:
    """Return the text of ``key`` in ``lang`` (Dutch when unknown), placeholders filled."""
    texts = TEXTS.get(key)
    if texts is None:
        return key
    text = texts[_LANGS.index(lang) if lang in _LANGS else 0]
    return text.format(**kw) if kw else text
