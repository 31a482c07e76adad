"""A loopback HTTP server for standalone map pages (previews, tests, benchmarks).

It serves the app's ``static/`` folder (:data:`~buurtkaart.views.map_assets.STATIC_DIR`)
at ``/app/static/`` (as Streamlit does) and given pages at
their own paths, on 127.0.0.1 only.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from buurtkaart.views.map_assets import STATIC_DIR


def _handler(pages: Mapping[str, str], static_dir: Path) -> type[BaseHTTPRequestHandler]:
    root = static_dir.resolve()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path in pages:
                self._send(pages[path].encode("utf-8"), "text/html; charset=utf-8")
                return
            if path.startswith("/app/static/"):
                file = (root / path[len("/app/static/"):]).resolve()
                if file.is_file() and file.is_relative_to(root):
                    ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    self._send(file.read_bytes(), ctype)
                    return
            self.send_error(404)

        def _send(self, body: bytes, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def serve_pages(pages: Mapping[str, str], static_dir: Path = STATIC_DIR) -> Iterator[str]:
    """Serve ``pages`` (``"/path" -> html``) and ``static_dir`` on a free loopback port.

    Yields
    ------
    str
        The base URL, e.g. ``"http://127.0.0.1:40123"``.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages, static_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
