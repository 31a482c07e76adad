"""App logic used by the thin Streamlit pages in ``app_pages/``.

Pure helpers (no Streamlit) live in :mod:`buurtkaart.ui.logic`; the other
modules render parts of pages and keep per-session state.
"""
