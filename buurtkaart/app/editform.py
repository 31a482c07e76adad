"""The actor edit form with optimistic concurrency and conflict resolution.

The form edits the version of the actor as it was when the form was opened
(kept in ``st.session_state.edit_base``); saving passes that version as
``if_version``. On a :class:`~buurtkaart._errors.ConflictError` the panel shows
both values of every conflicting field and the user chooses; nothing is
overwritten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from buurtkaart import i18n
from buurtkaart._errors import BuurtkaartError, ConflictError
from buurtkaart.app import data, state
from buurtkaart.app.common import md_escape, show_error, value_label
from buurtkaart.core import vocab
from buurtkaart.i18n import label, t
from buurtkaart.store.types import Actor
from buurtkaart.views.filters import EDITABLE_FIELDS, form_changes, resolve_conflicts


def _base(actor: Actor) -> dict[str, Any]:
    bases: dict[str, dict[str, Any]] = st.session_state.setdefault("edit_base", {})
    base = bases.get(str(actor["id"]))
    if base is None:
        base = {k: actor.get(k) for k in (*EDITABLE_FIELDS, "id", "version")}
        bases[str(actor["id"])] = base
    return base


def _edited_fields(actor: Actor, base: Mapping[str, Any]) -> list[str]:
    """Return the form's fields whose stored value differs from the opened version."""
    return [k for k in EDITABLE_FIELDS if actor.get(k) != base.get(k)]


def _current_base(actor: Actor, lang: str) -> dict[str, Any]:
    """Return the version the form edits, warning only when another worker changed it.

    A newer version that changed none of the form's fields (a contact log entry
    moves ``last_contact`` and so the version), or that this user saved
    elsewhere, is taken over silently: there is nothing to resolve.
    """
    base = _base(actor)
    if int(actor.get("version") or 0) == int(base.get("version") or 0):
        return base
    if not _edited_fields(actor, base) or actor.get("updated_by") == state.user():
        _forget_base(actor["id"])
        return _base(actor)
    st.info(t("edit.changed_meanwhile", lang, user=md_escape(actor.get("updated_by") or "?")))
    return base


def _forget_base(actor_id: str) -> None:
    st.session_state.setdefault("edit_base", {}).pop(str(actor_id), None)


def _select(text: str, kind: str, value: Any, key: str, lang: str) -> Any:
    options: list[Any] = list(i18n.VOCAB[kind])
    if value not in options:
        options = [None, *options]
    return st.selectbox(text, options, index=options.index(value), key=key,
                        format_func=lambda k: "—" if k is None else i18n.label(kind, k, lang))


def _form_values(base: Mapping[str, Any], lang: str, prefix: str) -> dict[str, Any]:
    roles_default = [r for r in (base.get("roles") or []) if r in vocab.ROLES]
    return {
        "name": st.text_input(t("field.name", lang), value=base.get("name") or "",
                              key=prefix + "name"),
        "kind": _select(t("field.kind", lang), "kind", base.get("kind"), prefix + "kind",
                        lang),
        "formal": st.checkbox(t("field.formal", lang), value=bool(base.get("formal")),
                              key=prefix + "formal"),
        "roles": st.multiselect(t("field.roles", lang), list(vocab.ROLES),
                               placeholder=t("common.choose", lang), select_all=False,
                                default=roles_default, key=prefix + "roles",
                                format_func=lambda k: label("role", k, lang)),
        "strength": st.select_slider(
            t("field.strength", lang), options=list(vocab.STRENGTHS),
            value=int(base.get("strength") or 0), key=prefix + "strength",
            format_func=lambda k: label("strength", k, lang)),
        "status": _select(t("field.status", lang), "status", base.get("status"),
                          prefix + "status", lang),
        "leaning": _select(t("field.leaning", lang), "leaning", base.get("leaning"),
                           prefix + "leaning", lang),
        "contact_person": st.text_input(t("field.contact_person", lang),
                                        value=base.get("contact_person") or "",
                                        key=prefix + "contact_person"),
        "privacy": _select(t("field.privacy", lang), "privacy", base.get("privacy"),
                           prefix + "privacy", lang),
        "notes": st.text_area(t("field.notes", lang), value=base.get("notes") or "",
                              key=prefix + "notes"),
    }


def actor_edit(actor: Actor, lang: str) -> None:
    """Render the edit form (or the conflict chooser) for ``actor``."""
    pending = st.session_state.get("pending_edit")
    if pending and pending.get("actor_id") == str(actor["id"]):
        conflict_chooser(actor, pending, lang)
        return
    base = _current_base(actor, lang)
    prefix = f"edit_{actor['id']}_{base.get('version')}_"
    with st.form(prefix + "form", enter_to_submit=False):
        st.markdown(f"**{t('edit.title', lang)}**")
        values = _form_values(base, lang, prefix)
        submitted = st.form_submit_button(t("edit.save", lang), type="primary",
                                          key=prefix + "submit")
    if submitted:
        save(actor, base, form_changes(base, values), lang)


def save(actor: Actor, base: Mapping[str, Any], changes: dict[str, Any], lang: str) -> None:
    """Save ``changes`` against the base version; on conflict, queue the chooser."""
    if not changes:
        st.info(t("edit.nothing", lang))
        return
    try:
        data.get_store().update_actor(state.user(), actor["id"], changes,
                                      if_version=base["version"])
    except ConflictError as err:
        st.session_state["pending_edit"] = {
            "actor_id": str(actor["id"]), "changes": changes,
            "conflicts": {k: list(v) for k, v in err.conflicts.items()},
        }
        st.rerun()
    except BuurtkaartError as err:
        show_error(err, lang)
        return
    _forget_base(actor["id"])
    state.flash(t("edit.saved", lang, name=actor.get("name") or ""))
    st.rerun()


def conflict_chooser(actor: Actor, pending: Mapping[str, Any], lang: str) -> None:
    """Show both values of each conflicting field and let the user choose."""
    st.error(t("edit.conflict", lang, user=md_escape(actor.get("updated_by") or "?")))
    conflicts = {k: tuple(v) for k, v in pending["conflicts"].items()}
    choices: dict[str, str | None] = {}
    with st.form(f"conflict_{actor['id']}", enter_to_submit=False):
        for name, (theirs, mine) in conflicts.items():
            labels = {
                "theirs": t("edit.theirs", lang, value=value_label(name, theirs, lang)),
                "mine": t("edit.mine", lang, value=value_label(name, mine, lang)),
            }
            choices[name] = st.radio(t("field." + name, lang), ["theirs", "mine"], index=None,
                                     key=f"conflict_{actor['id']}_{name}",
                                     format_func=lambda k, lb=labels: lb[k])  # type: ignore[misc]
        ok = st.form_submit_button(t("edit.resolve", lang), type="primary",
                                   key=f"conflict_submit_{actor['id']}")
    if st.button(t("edit.cancel", lang), key=f"conflict_cancel_{actor['id']}"):
        st.session_state["pending_edit"] = None
        _forget_base(actor["id"])
        st.rerun()
    if not ok:
        return
    if any(v is None for v in choices.values()):
        st.warning(t("edit.choose_all", lang))
        return
    picked = {k: str(v) for k, v in choices.items()}
    changes = resolve_conflicts(pending["changes"], conflicts, picked)
    st.session_state["pending_edit"] = None
    _forget_base(actor["id"])
    save(actor, {"version": actor["version"]}, changes, lang)
