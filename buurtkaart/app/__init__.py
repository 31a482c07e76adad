"""The Streamlit app: the only package of buurtkaart that imports Streamlit.

``main.py`` is the entry script; :mod:`~buurtkaart.app.frame` registers one page
function per module of :mod:`~buurtkaart.app.screens`; the other modules are
helpers shared by the pages (session state, sidebar, store access, login, maps).
``static/`` holds the vendored Leaflet, the map's JavaScript and CSS.
"""
