"""Small rendering helpers shared by the pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from buurtkaart._errors import PermissionDenied, SourceUnavailable, StoreError
from buurtkaart.app import undo
from buurtkaart.app.state import pop_flash
from buurtkaart.i18n import format_date, label, label_or_key, t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")

#: Vocabulary kind (catalog prefix) per actor field, for labels.
FIELD_KINDS: dict[str, str] = {
    "kind": "kind", "roles": "role", "status": "status",
    "leaning": "leaning", "privacy": "privacy", "domain": "domain",
    "strength": "strength", "channel": "channel", "outcome": "outcome",
}


#: Page CSS (constant, no user text): less padding, so the map gets the page's width;
#: on a phone, column headers (containers keyed ``bk_colhead*``) hide: columns stack there.
LAYOUT_CSS = ("<style>[data-testid='stMainBlockContainer']{padding:2.2rem 1.5rem 3rem;"
              "max-width:none}"
              "@media (max-width:640px){[data-testid='stMainBlockContainer']"
              "{padding:2.6rem 0.6rem 3rem}"
              "[class*='st-key-bk_colhead']{display:none}}</style>")


def layout_css() -> None:
    """Give the pages the window's width (Streamlit's wide layout keeps 5rem margins)."""
    st.markdown(LAYOUT_CSS, unsafe_allow_html=True)


#: Streamlit's uploader has English texts only ("Upload", "50MB per file • CSV", "Drag and
#: drop a file here"): they are
#: hidden and the UI language's words are drawn in their place (``::after``).
_UPLOADER = ("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
             "{{font-size:0}}"
             "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] "
             "p::after{{content:{button};font-size:0.875rem}}"
             "[data-testid='stFileUploaderDropzoneInstructions'] span{{font-size:0}}"
             "[data-testid='stFileUploaderDropzoneInstructions'] span::after"
             "{{content:{limit};font-size:0.875rem}}"
             # the line shown while a file is dragged over the zone (no test id of its own)
             "[data-testid='stFileUploaderDropzone']>div:not([data-testid])>span{{font-size:0}}"
             "[data-testid='stFileUploaderDropzone']>div:not([data-testid])>span::after"
             "{{content:{drop};font-size:1rem}}")


def css_string(text: str) -> str:
    """Return ``text`` as a quoted CSS string (quotes, backslashes and line ends escaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in text)
    return f'"{escaped}"'


def uploader_css(lang: str) -> None:
    """Show Streamlit's file uploader in the UI language (button, size limit, drop line)."""
    mb = int(st.get_option("server.maxUploadSize"))
    css = _UPLOADER.format(button=css_string(t("upload.button", lang)),
                           limit=css_string(t("upload.limit", lang, mb=mb)),
                           drop=css_string(t("upload.drop", lang)))
    st.markdown(f"<style>{css}</style>", unsafe_allow_html=True)


def md_escape(text: object) -> str:
    """Escape user text for Streamlit markdown (no links, no HTML, no formatting)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def value_label(name: str, value: Any, lang: str) -> str:
    """Return a human label for an actor field value (vocabulary labels, Belgian dates)."""
    if value is None or value == "" or value == []:
        return "—"
    kind = FIELD_KINDS.get(name)
    if isinstance(value, list | tuple):
        return ", ".join(value_label(name, v, lang) for v in value)
    if kind is not None:
        return label(kind, value, lang)
    if name in {"last_contact", "review_date", "date", "created_at", "updated_at"}:
        return format_date(str(value), lang)
    if isinstance(value, bool):
        return t("common.yes", lang) if value else t("common.no", lang)
    return str(value)


def field_rows(record: Mapping[str, Any], fields: Iterable[str], lang: str) -> None:
    """Render ``label: value`` lines for some fields of a record (escaped)."""
    lines = [f"**{md_escape(t('field.' + f, lang))}:** "
             f"{md_escape(value_label(f, record.get(f), lang))}" for f in fields]
    st.markdown("  \n".join(lines))


def show_flash() -> None:
    """Show the one-shot success message queued before a rerun."""

    message = pop_flash()
    if message:
        st.success(message)
    undo.show()  # a message with "Ongedaan maken" (hiding a place)


def category_label(key: str, lang: str) -> str:
    """Return the taxonomy label of a place category (the key when unknown)."""

    return label_or_key(key, lang)


def error_text(err: BaseException, lang: str) -> str:
    """Return the one-line message of an error for the UI (translated for refusals and faults).

    A refused action (:class:`~buurtkaart._errors.PermissionDenied`), an
    unreachable live service (:class:`~buurtkaart._errors.SourceUnavailable`)
    and a write refused during a colleague's import (a ``StoreError`` with
    ``busy_by``) get a translated sentence; other errors keep their own message, which
    names the file, field or value.
    """

    if isinstance(err, PermissionDenied):
        return t("error.permission_denied", lang)
    if isinstance(err, SourceUnavailable):
        return t("error.source_unavailable", lang, service=service_name(str(err)))
    if isinstance(err, StoreError) and err.busy_by:  # a colleague's import holds the store
        since = err.busy_since or ""
        if err.busy_what == "places":
            return t("busy.importing_places", lang, user=err.busy_by, since=since)
        return t("busy.importing_file", lang, user=err.busy_by, since=since)
    return str(err)


def service_name(message: str) -> str:
    """Return the live service named in an error message (``Overpass``, ``Nominatim``...)."""
    for name in ("Overpass", "Nominatim", "OSMnx"):
        if name.lower() in message.lower():
            return name
    return "OpenStreetMap"


def show_error(err: BaseException, lang: str) -> None:
    """Show :func:`error_text` of ``err`` as one error line (never a traceback)."""
    st.error(error_text(err, lang))
