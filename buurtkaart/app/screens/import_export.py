"""The Import/Export page.

It shows download buttons for every profile and format (exports are made only
when a button is clicked) and an import wizard: upload, format, coordinate
columns (CSV), column-to-field mapping, a dry-run preview with every skipped
feature and its reason, then the import in one transaction with a progress bar.
A CSV with an address column instead of coordinates is geocoded with the
offline index of the app's extract: the preview shows each row's precision,
flags the rows found only on the street or a square, and lists the misses.
User text is never rendered as Markdown or HTML.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from buurtkaart._errors import BuurtkaartError, DataFileError, InputError, PermissionDenied
from buurtkaart.app import data as app_data
from buurtkaart.app.context import PageContext, page_context
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.core import vocab
from buurtkaart.exchange import profiles, service
from buurtkaart.exchange.mapping import MAPPABLE, FieldMapping, Geocoder, Located, default_mapping
from buurtkaart.exchange.readers import (
    FORMATS,
    ReadResult,
    find_coordinate_columns,
    max_features,
    max_upload_bytes,
)
from buurtkaart.exchange.readers import read_bytes as read_upload
from buurtkaart.i18n import cell, format_date, format_number, label, t
from buurtkaart.store.types import Map

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_safe(text: object) -> str:
    """Escape Markdown (and so HTML) in user text shown by Markdown-rendering widgets."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "buurtkaart"


def _allowed(store: GuardedStore, action: str, map_id: str) -> bool:
    try:
        service.check_action(store, action, map_id)
    except PermissionDenied:
        return False
    return True


def _exporter(store: GuardedStore, map_id: str, profile: str, fmt: str, relations: bool,
              delimiter: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return service.export_map(store, map_id, profile, fmt, relations, delimiter)

    return make


def export_section(store: GuardedStore, the_map: Map, lang: str) -> None:
    """Download buttons for every profile and format."""
    st.subheader(t("exchange.export.title", lang))
    st.caption(t("exchange.export.intro", lang))
    relations = st.checkbox(t("exchange.export.relations", lang), key="bk_exp_relations")
    delimiter = st.radio(t("exchange.export.delimiter", lang), [";", ","], horizontal=True,
                         key="bk_exp_delim")
    stem = _file_stem(str(the_map.get("name")))
    for profile in profiles.PROFILES:
        cols = st.columns([2, 1, 1, 1])
        cols[0].markdown(f"**{t('exchange.profile.' + profile, lang)}**")
        if not _allowed(store, f"export_{profile}", the_map["id"]):
            cols[1].caption(t("exchange.export.not_allowed", lang))
            continue
        for col, fmt in zip(cols[1:], service.EXPORT_FORMATS, strict=True):
            col.download_button(
                fmt.upper(), _exporter(store, the_map["id"], profile, fmt, relations,
                                       str(delimiter)),
                file_name=f"{stem}-{profile}{service.SUFFIX[fmt]}", mime=service.MIME[fmt],
                key=f"bk_exp_{profile}_{fmt}", on_click="ignore")
    st.caption(t("exchange.export.attribution", lang))


def _read(data: bytes, name: str, fmt: str, lat: str | None,
          lon: str | None) -> ReadResult:
    return read_upload(data, name, fmt, lat, lon)


def _mapping_form(result: ReadResult, lang: str) -> FieldMapping:
    st.markdown(f"**{t('exchange.import.mapping', lang)}**")
    guess = default_mapping(result.columns)
    none = t("exchange.import.none", lang)
    options = [none, *result.columns]
    chosen: dict[str, str | None] = {}
    cols = st.columns(4)
    for i, fname in enumerate(MAPPABLE):
        current = guess.columns.get(fname)
        pick = cols[i % 4].selectbox(t("exchange.field." + fname, lang), options,
                                     index=options.index(current) if current else 0,
                                     key=f"bk_map_{fname}")
        chosen[fname] = None if pick == none else str(pick)
    kinds = list(vocab.KINDS)
    kind = st.selectbox(t("exchange.import.kind", lang), kinds, index=0, key="bk_def_kind",
                        format_func=lambda k: label("kind", k, lang))
    roles = st.multiselect(t("exchange.import.roles", lang), list(vocab.ROLES), key="bk_def_roles",
                           placeholder=t("common.choose", lang), select_all=False,
                           format_func=lambda k: label("role", k, lang))
    layer_as = st.radio(t("exchange.import.layer_as", lang), ["tag", "category"], horizontal=True,
                        key="bk_def_layer",
                        format_func=lambda k: t("exchange.import.layer_" + k, lang))
    keep = st.checkbox(t("exchange.import.keep_other", lang), value=True, key="bk_def_keep")
    return FieldMapping(columns=chosen, kind=str(kind), roles=list(roles),
                        layer_as=str(layer_as), keep_other=bool(keep))


def precision_word(precision: str, lang: str) -> str:
    """Return the short word of a geocoding precision in ``lang``."""
    words = {"housenumber": t("batch.precision.housenumber", lang),
             "interpolated": t("batch.precision.interpolated", lang),
             "estimated": t("batch.precision.estimated", lang),
             "street": t("batch.precision.street", lang),
             "area": t("batch.precision.area", lang),
             "place": t("batch.precision.place", lang)}
    return words.get(precision, t("batch.precision.miss", lang))


def miss_text(loc: Located, lang: str) -> str:
    """Return why a row's address was not placed, in ``lang``."""
    found = "; ".join(loc.candidates)
    texts = {"ambiguous": t("geocode.ambiguous", lang, candidates=found),
             "no_street": t("geocode.no_street", lang),
             "no_geocoder": t("batch.miss.no_geocoder", lang),
             "empty": t("batch.miss.empty", lang)}
    if loc.reason in texts:
        return texts[loc.reason]
    if found:
        return t("geocode.not_found", lang, candidates=found)
    return t("geocode.not_found_none", lang)


def _located_table(located: list[Located], lang: str) -> None:
    st.markdown(f"**{t('batch.import.located', lang)}**")
    rows = [{"#": loc.index, t("batch.col.address", lang): loc.address,
             t("batch.col.precision", lang): precision_word(loc.precision, lang),
             t("batch.col.found", lang): loc.label if loc.precision else miss_text(loc, lang),
             t("batch.col.commune", lang): loc.commune,
             t("batch.col.check", lang): "⚠ " + t("batch.check", lang) if loc.check else ""}
            for loc in located]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="bk_imp_located")
    to_check = sum(1 for loc in located if loc.check)
    misses = sum(1 for loc in located if not loc.precision)
    if to_check:
        st.warning(t("batch.import.to_check", lang, n=to_check))
    if misses:
        st.warning(t("batch.import.misses", lang, n=misses))


def _show_report(report: Any, lang: str) -> None:
    st.write(t("exchange.import.counts", lang, total=report.total, imported=report.imported,
                merged=report.merged, skipped=len(report.skipped)))
    if report.located:
        _located_table(report.located, lang)
    if report.preview:
        st.dataframe(pd.DataFrame(report.preview).map(lambda v: cell(v, lang)), hide_index=True)
    if report.skipped:
        st.markdown(f"**{t('exchange.import.skipped', lang)}**")
        st.dataframe(pd.DataFrame([{"#": r.index, t("exchange.import.reason", lang): r.reason}
                                   for r in report.skipped]), hide_index=True)
    if report.notes:
        with st.expander(t("exchange.import.notes", lang)):
            st.text("\n".join(report.notes))


def import_section(store: GuardedStore, the_map: Map, user: str, lang: str) -> None:
    """The import wizard: upload, map columns, preview, import with progress."""
    st.subheader(t("exchange.import.title", lang))
    if not _allowed(store, "import", the_map["id"]):
        st.info(t("exchange.export.not_allowed", lang))
        return
    for cut in service.recent_cancelled(store, the_map["id"], user):  # e.g. a closed tab
        st.warning(t("exchange.import.cancelled", lang, file=cut["source"].removeprefix(
            "import:"), at=format_date(cut["at"], lang)))
    st.caption(t("exchange.import.limits", lang, mb=max_upload_bytes() // 1048576,
                 n=format_number(max_features(), lang)))
    upload = st.file_uploader(t("exchange.import.file", lang), key="bk_imp_file",
                              type=["geojson", "json", "csv", "tsv", "txt", "umap"])
    if upload is None:
        return
    fmt = str(st.selectbox(t("exchange.import.format", lang), FORMATS, key="bk_imp_fmt"))
    data, name = upload.getvalue(), str(upload.name)
    try:
        result = _read(data, name, fmt, None, None)
        lat = lon = None
        if result.fmt == "csv" and not _by_address(result):
            lat, lon = _coordinate_pickers(data, name, result, lang)
            result = _read(data, name, fmt, lat, lon)
    except (DataFileError, InputError) as e:
        st.error(t("exchange.import.unreadable", lang, reason=md_safe(e)))
        return
    geocode = None
    if _by_address(result):
        osm = app_data.osm_file()
        st.info(t("batch.import.by_address", lang, osm=osm.name))
        geocode = service.offline_geocoder(osm)
    mapping = _mapping_form(result, lang)
    on_dup = str(st.radio(t("exchange.import.on_duplicate", lang), ["merge", "skip"],
                          horizontal=True, key="bk_imp_dup",
                          format_func=lambda k: t("exchange.import." + k, lang)))
    service.check_action(store, "import", the_map["id"])
    st.markdown(f"**{t('exchange.import.preview', lang)}**")
    waiting = (st.spinner(t("batch.import.geocoding", lang)) if geocode
               else contextlib.nullcontext())
    with waiting:
        preview = service.plan_for(store, the_map, result, name, on_dup, True, mapping, geocode)
    _show_report(preview.report, lang)
    if st.button(t("exchange.import.go", lang), type="primary", key="bk_imp_go"):
        _run_import(store, the_map, (data, name, fmt, lat, lon), mapping, on_dup, user, lang,
                    geocode)


def _by_address(result: ReadResult) -> bool:
    """True for a CSV read without coordinate columns: its rows are located by address."""
    return result.fmt == "csv" and any(f.geometry is None for f in result.features)


def _coordinate_pickers(data: bytes, name: str, result: ReadResult,
                        lang: str) -> tuple[str | None, str | None]:

    header = result.columns
    lat_guess, lon_guess = find_coordinate_columns(header)
    cols = st.columns(2)
    lat = cols[0].selectbox(t("exchange.import.lat", lang), header, key="bk_imp_lat",
                            index=header.index(lat_guess) if lat_guess in header else 0)
    lon = cols[1].selectbox(t("exchange.import.lon", lang), header, key="bk_imp_lon",
                            index=header.index(lon_guess) if lon_guess in header else 0)
    return str(lat), str(lon)


def _run_import(store: GuardedStore, the_map: Map, upload: tuple[Any, ...],
                mapping: FieldMapping, on_dup: str, user: str, lang: str,
                geocode: Geocoder | None = None) -> None:
    data, name, fmt, lat, lon = upload
    bar = st.progress(0.0, text=t("exchange.import.progress", lang, done=0, total="…"))

    def progress(done: int, total: int) -> None:
        frac = 1.0 if total == 0 else done / total
        bar.progress(frac, text=t("exchange.import.progress", lang, done=done, total=total))

    try:
        result = _read(data, name, fmt, lat, lon)
        report = service.import_result(store, the_map["id"], result, name, user, False,
                                       on_dup, mapping, progress, geocode)
    except BuurtkaartError as e:
        st.error(t("exchange.import.failed", lang, reason=md_safe(e)))
        return
    st.success(t("exchange.import.done", lang, imported=report.imported, merged=report.merged,
                  skipped=len(report.skipped)))


def page() -> None:
    """The Import/Export page of the navigation."""
    ctx = page_context("nav.import_export")
    if ctx is not None:
        render(ctx)


def render(ctx: PageContext) -> None:
    """Render the page body for a context with ``store``, ``map``, ``lang`` and ``user``."""
    if ctx.map is None:
        return
    export_section(ctx.store, ctx.map, ctx.lang)
    st.divider()
    import_section(ctx.store, ctx.map, ctx.user, ctx.lang)
