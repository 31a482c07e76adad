"""The report as Markdown, for a coordinator's memo."""

from __future__ import annotations

from typing import Any

from buurtkaart.core import vocab
from buurtkaart.i18n import label
from buurtkaart.insights._common import category_label

_TITLES = {
    "nl": ("Inzichten", "Hoe staan we in de buurt?", "Wie missen we?", "Bruggen",
           "Verwaarloosde banden", "Afstand", "Te voet", "Cijfers", "categorie", "plekken",
           "actoren", "met band", "actief ≥ 2", "sterkste band", "naam", "sterkte",
           "laatste contact", "enige brug naar", "minuten", "bereik", "actoren binnen"),
    "fr": ("Analyses", "Où en sommes-nous dans le quartier ?", "Qui nous manque ?", "Ponts",
           "Liens négligés", "Distance", "À pied", "Chiffres", "catégorie", "lieux",
           "acteurs", "avec lien", "actifs ≥ 2", "lien le plus fort", "nom", "force",
           "dernier contact", "seul pont vers", "minutes", "portée", "acteurs dedans"),
    "en": ("Insights", "How do we stand in the neighbourhood?", "Who are we missing?",
           "Bridges", "Neglected ties", "Distance", "On foot", "Figures", "category", "places",
           "actors", "with tie", "active ≥ 2", "strongest tie", "name", "strength",
           "last contact", "only bridge to", "minutes", "reach", "actors inside"),
}


def md_cell(value: object) -> str:
    """Escape a value for a Markdown table cell."""
    text = "" if value is None else str(value)
    for ch in "\\|*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def render_markdown(report: dict[str, Any], lang: str = "nl") -> str:
    """Return the report as Markdown in ``lang`` (nl, fr or en)."""
    lang = lang if lang in vocab.LANGS else "nl"
    t = _TITLES[lang]
    m = report["map"]
    out = [f"# {t[0]}: {md_cell(m.get('name'))} ({md_cell(m.get('org_name'))})", ""]
    if report.get("message"):
        out += [f"> {md_cell(report['message'][lang])}", ""]
    out += [f"## {t[1]}", "", md_cell(report["island_score"]["sentence"][lang]), "",
            f"_{md_cell(report['island_score']['definition'][lang])}_", ""]
    out += [f"## {t[2]}", "", md_cell(report["coverage"]["sentence"][lang]), ""]
    out += _coverage_table(report["coverage"]["categories"], lang, t)
    out += [f"## {t[3]}", "", md_cell(report["bridges"]["sentence"][lang]), ""]
    for b in report["bridges"]["items"]:
        group = ", ".join(md_cell(n) for n in b["only_path_to"])
        tail = f" — {t[17]}: {group}" if group else ""
        out.append(f"- **{md_cell(b['name'])}** (betweenness {b['betweenness']:.2f}){tail}")
    out += ["", f"## {t[4]}", "", md_cell(report["neglected"]["sentence"][lang]), ""]
    if report["neglected"]["items"]:
        out += [f"| {t[14]} | {t[15]} | {t[16]} |", "|---|---|---|"]
        out += [f"| {md_cell(i['name'])} | {i['strength']} | {md_cell(i['last_contact'] or '—')} |"
                for i in report["neglected"]["items"]]
        out.append("")
    out += [f"## {t[5]}", "", md_cell(report["distance"]["sentence"][lang]), ""]
    out += [f"## {t[6]}", "", md_cell(report["walking_areas"]["sentence"][lang]), ""]
    feats = report["walking_areas"]["features"]
    if feats:
        out += [f"| {t[18]} | {t[19]} | {t[20]} |", "|---|---|---|"]
        out += [f"| {f['properties']['minutes']:g} | {f['properties']['reach_m']:.0f} m "
                f"| {f['properties']['actors_within']} |" for f in feats]
        out.append("")
    out += [f"## {t[7]}", "", md_cell(report["counts"]["sentence"][lang]), ""]
    out.append("_© OpenStreetMap contributors (ODbL)_")
    return "\n".join(out) + "\n"


def _coverage_table(rows: list[dict[str, Any]], lang: str, t: tuple[str, ...]) -> list[str]:
    if not rows:
        return []
    out = [f"| {t[8]} | {t[9]} | {t[10]} | {t[11]} | {t[12]} | {t[13]} |",
           "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        strongest = label("strength", r["max_strength"], lang) if r["actors"] else "—"
        out.append(f"| {md_cell(category_label(r['category'], lang))} | {r['places']} "
                   f"| {r['actors']} | {r['with_tie']} | {r['active_regular']} | {strongest} |")
    return [*out, ""]
