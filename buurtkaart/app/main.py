"""The Streamlit entry script of buurtkaart.

Run with ``buurtkaart app`` (any folder) or ``make run``; both start
``streamlit run`` on this file, so ``static/`` next to it is served at
``/app/static/``.
"""

from buurtkaart.app.demo_boot import ensure_demo_if_empty
from buurtkaart.app.frame import run

ensure_demo_if_empty()
run()
