"""The Streamlit login gate of the app.

Three modes, chosen in this order:

1. **OpenID Connect** (``st.login``) when ``[auth]`` is configured in
   ``.streamlit/secrets.toml``; the user name is the OIDC e-mail (or ``sub``).
2. **Local accounts** kept in the store (argon2 hashes, ``buurtkaart user add``).
3. **Single-user mode** without login, only when ``BUURTKAART_SINGLE_USER=1``;
   the sidebar says so clearly.

The app calls :func:`current_user` once per run, before rendering any page;
it returns the user name or stops the run behind a login form. Every store
access then goes through :func:`guarded`, so roles are enforced in the data
layer whatever the pages show.
"""

from __future__ import annotations

import streamlit as st

from buurtkaart import settings
from buurtkaart._errors import PermissionDenied
from buurtkaart.auth import accounts
from buurtkaart.auth.guard import GuardedStore, single_user_mode
from buurtkaart.auth.identity import SINGLE_USER_NAME
from buurtkaart.i18n import t
from buurtkaart.store import Store

SESSION_KEY = "user"

def oidc_configured() -> bool:
    """Return whether ``[auth]`` is configured in Streamlit's ``secrets.toml``."""
    try:
        return "auth" in st.secrets
    except Exception:  # Streamlit raises its own error when no secrets file exists
        return False


def _oidc_user(lang: str) -> str:
    user = st.user
    if not user.get("is_logged_in", False):
        st.title("buurtkaart")
        if st.button(t("login.oidc", lang), type="primary"):
            st.login()
        st.stop()
    name = user.get("email") or user.get("preferred_username") or user.get("sub") or ""
    return accounts.check_name(str(name))


def _local_user(store: Store, lang: str) -> str:
    current = st.session_state.get(SESSION_KEY)
    if current and st.session_state.get("_auth_ok") == current:
        return str(current)
    st.title("buurtkaart")
    if not accounts.has_users(store):
        st.error(t("login.no_accounts", lang))
        st.stop()
    with st.form("login_form"):
        st.subheader(t("login.title", lang))
        name = st.text_input(t("login.name", lang), key="login_name")
        password = st.text_input(t("login.password", lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit", lang))
    if submitted:
        if accounts.verify_password(store, name.strip(), password):
            st.session_state[SESSION_KEY] = name.strip()
            st.session_state["_auth_ok"] = name.strip()
            st.rerun()
        st.error(t("login.wrong", lang))
    st.stop()
    return ""  # pragma: no cover - st.stop() ends the run


def current_user(store: Store, lang: str = "nl") -> str:
    """Return the logged-in user, or stop the run behind a login (form or OIDC button).

    Parameters
    ----------
    store : Store
        The app's store (for local accounts).
    lang : str
        UI language of the gate.

    Returns
    -------
    str
        The user name, also kept in ``st.session_state["user"]``.
    """
    if single_user_mode():
        name = (st.session_state.get(SESSION_KEY) or settings.get("BUURTKAART_USER")
                or SINGLE_USER_NAME)
        st.session_state[SESSION_KEY] = name
        st.sidebar.warning(t("login.single_user", lang))
        return str(name)
    name = _oidc_user(lang) if oidc_configured() else _local_user(store, lang)
    st.session_state[SESSION_KEY] = name
    st.sidebar.caption(t("login.logged_in", lang, user=name))
    if st.sidebar.button(t("login.logout", lang), key="logout_button"):
        logout()
    return name


def logout() -> None:
    """End the session's login (OIDC or local) and rerun."""
    for key in (SESSION_KEY, "_auth_ok", "login_password"):
        st.session_state.pop(key, None)
    if oidc_configured():
        st.logout()
    st.rerun()


def guarded(store: Store) -> GuardedStore:
    """Return ``store`` wrapped for this session's user (roles enforced on every call)."""
    user = str(st.session_state.get(SESSION_KEY) or "")
    single = single_user_mode()
    if not user and single:
        user = settings.get("BUURTKAART_USER") or SINGLE_USER_NAME
    if not user:

        message = "not logged in: the app reached the store before the login gate"
        raise PermissionDenied(message)
    return GuardedStore(store, user, single_user=single)
