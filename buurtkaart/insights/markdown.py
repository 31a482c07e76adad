"""The report as Markdown, for a coordinator's memo."""

from __future__ import annotations

from typing import Any

from buurtkaart.core import vocab
from buurtkaart.i18n import format_date, format_number, label, t
from buurtkaart.insights._common import category_label


def md_cell(value: object) -> str:
    """Escape a value for a Markdown table cell."""
    text = "" if value is None else str(value)
    for ch in "\\|*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def _section(title: str, sentence: str) -> list[str]:
    return [f"## {title}", "", md_cell(sentence), ""]


def _header(*titles: str) -> list[str]:
    return ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]


def render_markdown(report: dict[str, Any], lang: str = "nl") -> str:
    """Return the report as Markdown in ``lang`` (nl, fr or en)."""
    lang = lang if lang in vocab.LANGS else "nl"
    m = report["map"]
    out = [f"# {t('memo.title', lang)}: {md_cell(m.get('name'))} "
           f"({md_cell(m.get('org_name'))})", ""]
    if report.get("message"):
        out += [f"> {md_cell(report['message'][lang])}", ""]
    out += _section(t("memo.how", lang), report["island_score"]["sentence"][lang])
    out += [f"_{md_cell(report['island_score']['definition'][lang])}_", ""]
    out += _section(t("memo.missing", lang), report["coverage"]["sentence"][lang])
    out += _coverage_table(report["coverage"]["categories"], lang)
    out += _section(t("memo.bridges", lang), report["bridges"]["sentence"][lang])
    for b in report["bridges"]["items"]:
        group = ", ".join(md_cell(n) for n in b["only_path_to"])
        tail = f" — {t('memo.only_bridge', lang)}: {group}" if group else ""
        score = format_number(b["betweenness"], lang, 2)
        out.append(f"- **{md_cell(b['name'])}** ({t('memo.betweenness', lang)} {score}){tail}")
    out += ["", *_section(t("memo.neglected", lang), report["neglected"]["sentence"][lang])]
    if report["neglected"]["items"]:
        out += _header(t("memo.name", lang), t("memo.strength", lang),
                       t("memo.last_contact", lang))
        out += [f"| {md_cell(i['name'])} | {i['strength']} "
                f"| {md_cell(format_date(i['last_contact']) or '—')} |"
                for i in report["neglected"]["items"]]
        out.append("")
    if report.get("unanswered", {}).get("items"):
        out += _section(t("insights.unanswered", lang), report["unanswered"]["sentence"][lang])
    out += _section(t("memo.distance", lang), report["distance"]["sentence"][lang])
    out += _section(t("memo.walk", lang), report["walking_areas"]["sentence"][lang])
    feats = report["walking_areas"]["features"]
    if feats:
        out += _header(t("memo.minutes", lang), t("memo.reach", lang),
                       t("memo.actors_within", lang))
        out += [f"| {format_number(float(f['properties']['minutes']), lang)} "
                f"| {f['properties']['reach_m']:.0f} m "
                f"| {f['properties']['actors_within']} |" for f in feats]
        out.append("")
    out += _section(t("memo.counts", lang), report["counts"]["sentence"][lang])
    out.append("_© OpenStreetMap contributors (ODbL)_")
    return "\n".join(out) + "\n"


def _coverage_table(rows: list[dict[str, Any]], lang: str) -> list[str]:
    if not rows:
        return []
    out = [*_header(t("memo.category", lang), t("memo.places", lang), t("memo.actors", lang),
                    t("memo.with_tie", lang), t("memo.active", lang),
                    t("memo.strongest", lang))]
    out[1] = "|---|---:|---:|---:|---:|---:|"
    for r in rows:
        strongest = label("strength", r["max_strength"], lang) if r["actors"] else "—"
        out.append(f"| {md_cell(category_label(r['category'], lang))} | {r['places']} "
                   f"| {r['actors']} | {r['with_tie']} | {r['active_regular']} | {strongest} |")
    return [*out, ""]
