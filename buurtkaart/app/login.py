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
from buurtkaart.auth import accounts, sessions, throttle
from buurtkaart.auth.guard import GuardedStore, single_user_mode
from buurtkaart.auth.identity import SINGLE_USER_NAME
from buurtkaart.auth.permcache import PermissionCache
from buurtkaart.i18n import t
from buurtkaart.store import Store

SESSION_KEY = "user"
#: Session key of the account's session version at login (auth.sessions).
VERSION_KEY = "_auth_version"
#: Session key of the guard's cache of map ids and roles (auth.permcache).
CACHE_KEY = "_auth_cache"

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


def _client() -> str | None:
    """Return the client's address as Streamlit sees it (None when unknown)."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a browser session (AppTest)
        return None
    return str(address) if address else None


def _session_holds(store: Store, current: str) -> bool:
    """Whether the logged-in session may go on (its account version is unchanged)."""
    if VERSION_KEY not in st.session_state:  # logged in before versions were kept
        st.session_state[VERSION_KEY] = sessions.version(store, current)
    if sessions.still_valid(store, current, st.session_state.get(VERSION_KEY)):
        return True
    for key in (SESSION_KEY, "_auth_ok", VERSION_KEY):
        st.session_state.pop(key, None)
    st.session_state["_session_ended"] = True
    return False


def _try_login(store: Store, name: str, password: str, lang: str) -> None:
    result = throttle.login(store, name, password, client=_client())
    if result.ok:
        st.session_state[SESSION_KEY] = name
        st.session_state["_auth_ok"] = name
        st.session_state[VERSION_KEY] = sessions.version(store, name)
        st.rerun()
    if result.locked:
        st.error(t("login.locked", lang, minutes=max(1, round(result.wait_s / 60))))
    else:
        st.error(t("login.wrong", lang))
        if result.wait_s > 0:
            st.warning(t("login.wait", lang, seconds=max(1, round(result.wait_s))))


def _local_user(store: Store, lang: str) -> str:
    current = st.session_state.get(SESSION_KEY)
    if current and st.session_state.get("_auth_ok") == current and _session_holds(
            store, str(current)):
        return str(current)
    st.title("buurtkaart")
    if st.session_state.get("_session_ended"):
        st.info(t("login.session_ended", lang))
    if not accounts.has_users(store):
        st.error(t("login.no_accounts", lang))
        st.stop()
    with st.form("login_form", enter_to_submit=False):
        st.subheader(t("login.title", lang))
        name = st.text_input(t("login.name", lang), key="login_name")
        password = st.text_input(t("login.password", lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit", lang))
    if submitted:
        st.session_state.pop("_session_ended", None)
        _try_login(store, name.strip(), password, lang)
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
    for key in (SESSION_KEY, "_auth_ok", VERSION_KEY, "login_password"):
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
    cache = st.session_state.get(CACHE_KEY)
    if not isinstance(cache, PermissionCache) or cache.user != user:
        cache = st.session_state[CACHE_KEY] = PermissionCache(user)
    return GuardedStore(store, user, single_user=single, cache=cache)
