"""CLI: ``buurtkaart app`` starts the Streamlit app from any folder.

::

    buurtkaart app [--port 8501] [--address 127.0.0.1] [--single-user] [--headless]

It runs ``streamlit run`` on ``buurtkaart/app/asgi.py``, an ``st.App`` around
the packaged entry script (``buurtkaart/app/main.py``) whose middleware answers
404 to ``/_stcore/metrics``, and passes the configuration that
``.streamlit/config.toml`` holds in a checkout as flags, since that file is not
in the current folder of an installed package: static serving (the vendored
Leaflet at ``/app/static/``), the upload cap (``BUURTKAART_MAX_UPLOAD_MB``), no
usage statistics, the minimal toolbar, no error details in the browser, XSRF
protection, no agent API and a quiet log (``docs/deploy.md``, "Production
hardening"; Streamlit 1.67 has no setting for ``/_stcore/metrics``, hence the
``st.App``). The process is replaced by Streamlit,
so stopping it stops the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from buurtkaart import settings

#: The Streamlit entry script inside the package (``static/`` is next to it).
MAIN_SCRIPT = Path(__file__).resolve().parent.parent / "app" / "main.py"
#: What ``streamlit run`` is given: the ``st.App`` around :data:`MAIN_SCRIPT` that
#: closes ``/_stcore/metrics`` (``app/asgi.py``).
ASGI_SCRIPT = MAIN_SCRIPT.with_name("asgi.py")


def streamlit_command(port: int, address: str | None = None, headless: bool = False) -> list[str]:
    """Return the ``python -m streamlit run ...`` command line of the app.

    Parameters
    ----------
    port : int
        TCP port of the server.
    address : str, optional
        Address to listen on (Streamlit's default: every interface).
    headless : bool
        Do not open a browser.
    """
    cmd = [sys.executable, "-m", "streamlit", "run", str(ASGI_SCRIPT),
           "--server.port", str(port),
           "--server.enableStaticServing=true",
           f"--server.maxUploadSize={int(settings.get_float('BUURTKAART_MAX_UPLOAD_MB'))}",
           "--browser.gatherUsageStats=false",
           "--client.toolbarMode=minimal",
           "--client.showErrorDetails=none",  # no tracebacks or messages in the browser
           "--server.enableXsrfProtection=true",
           "--server.enableAgentApi=false",
           "--logger.level=warning",  # no per-session info lines in the server log
           "--runner.postScriptGC=false"]  # a full GC per run costs 0.1-0.2 s CPU (issue 15)
    if address:
        cmd += ["--server.address", address]
    if headless:
        cmd += ["--server.headless=true"]
    return cmd


def _app(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.single_user:
        env["BUURTKAART_SINGLE_USER"] = "1"
    cmd = streamlit_command(args.port, args.address, args.headless)
    os.execve(sys.executable, cmd, env)  # replaces this process: no orphaned server
    return 0  # pragma: no cover - execve does not return


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``app`` command."""
    p = sub.add_parser("app", help="start the Streamlit app (any folder)",
                       description="Start the buurtkaart app with Streamlit on the packaged "
                                   "entry script, with its static assets.")
    p.add_argument("--port", type=int, default=8501, help="TCP port (default 8501)")
    p.add_argument("--address", default=None,
                   help="address to listen on, e.g. 127.0.0.1 (default: all)")
    p.add_argument("--single-user", action="store_true",
                   help="no login, every right (BUURTKAART_SINGLE_USER=1; local demo only)")
    p.add_argument("--headless", action="store_true", help="do not open a browser")
    p.set_defaults(func=_app)
