"""nginx in front of several app replicas on loopback (the recipe of docs/deploy.md).

``start_balancer(tmp, upstreams)`` writes a config into ``tmp`` and starts
Debian's nginx in the foreground (``master_process off``: it runs as whoever
starts it, root included, and writes only under ``tmp``). Sessions stick to one
replica by a cookie (``bk_sticky``, set by nginx on the first answer and hashed
with ``hash ... consistent``); websockets are upgraded. Every answer names the
replica that served it in ``X-Upstream``. ``hardened=True`` adds the
"Production hardening" recipe of docs/deploy.md: :data:`HARDENING_HTTP`,
:data:`HARDENING_SERVER` and :data:`HEADERS` (tests check that the docs hold
these lines verbatim).
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")

CONFIG = """
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    map $cookie_bk_sticky $bk_sticky {{ "" $request_id; default $cookie_bk_sticky; }}
{http_extra}
    upstream buurtkaart {{
        hash $bk_sticky consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 60m;
{server_extra}
        location / {{
            proxy_pass http://buurtkaart;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
            proxy_buffering off;
            add_header Set-Cookie "bk_sticky=$bk_sticky; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-Upstream $upstream_addr always;
{location_extra}
        }}
    }}
}}
"""


#: The recipe's lines for the ``http { }`` block.
HARDENING_HTTP = ("limit_req_zone $binary_remote_addr zone=bk_ws:10m rate=5r/s;",)
#: The recipe's lines for the ``server { }`` block (before ``location /``).
HARDENING_SERVER = (
    "location = /_stcore/metrics { return 404; }",
    "location ^~ /_stcore/agent/ { return 404; }",
    "location /_stcore/stream { limit_req zone=bk_ws burst=20; proxy_pass http://buurtkaart;",
    "proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade;",
    "proxy_set_header Connection \"upgrade\"; proxy_set_header Host $http_host;",
    "proxy_read_timeout 1h; }",
)
#: The recipe's headers, in every ``location`` that has an ``add_header`` of its own
#: (nginx does not inherit ``add_header`` into a location that sets any).
HEADERS = (
    'add_header X-Frame-Options "SAMEORIGIN" always;',
    'add_header Content-Security-Policy "default-src \'self\'; img-src \'self\' data: blob: '
    'https://tile.openstreetmap.org; style-src \'self\' \'unsafe-inline\'; font-src \'self\' '
    'data:; script-src \'self\' \'unsafe-inline\' \'unsafe-eval\' blob:; connect-src \'self\' '
    'wss: ws:; frame-src \'self\'; frame-ancestors \'self\'; object-src \'none\'; '
    'base-uri \'self\'; form-action \'self\'" always;',
    'add_header X-Content-Type-Options "nosniff" always;',
    'add_header Referrer-Policy "same-origin" always;',
    'add_header Strict-Transport-Security "max-age=31536000" always;',
)


def _block(lines: tuple[str, ...], indent: int) -> str:
    return "\n".join(" " * indent + line.replace("{", "{{").replace("}", "}}") for line in lines)


@dataclass
class Balancer:
    """A running nginx on ``url`` in front of ``upstreams``."""

    url: str
    upstreams: list[str]
    proc: subprocess.Popen[bytes]
    tmp: Path

    def replica_of(self, sticky: str) -> str:
        """Return the upstream (``host:port``) that serves the sticky cookie value ``sticky``."""
        req = urllib.request.Request(self.url + "/_stcore/health",
                                     headers={"Cookie": f"bk_sticky={sticky}"})
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return str(resp.headers["X-Upstream"])
        except urllib.error.HTTPError as err:  # answered, with an error status
            return str(err.headers["X-Upstream"])

    def stickies(self) -> dict[str, str]:
        """Return one sticky cookie value per upstream (found by asking nginx)."""
        found: dict[str, str] = {}
        for i in range(200):
            value = f"s{i}"
            found.setdefault(self.replica_of(value), value)
            if len(found) == len(self.upstreams):
                return found
        msg = f"no sticky value found for every upstream: {found}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        """Stop nginx (kill after 10 s)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_balancer(tmp: Path, upstreams: list[str], timeout: float = 20,
                   hardened: bool = False) -> Balancer:
    """Write the config for ``upstreams`` (``host:port``) and start nginx; wait until it answers.

    ``hardened`` adds the production-hardening recipe (headers, closed paths, limits).
    """
    tmp.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    servers = "\n".join(f"        server {u} max_fails=0;" for u in upstreams)
    conf = tmp / "nginx.conf"
    extra = {"http_extra": _block(HARDENING_HTTP, 4) if hardened else "",
             "server_extra": _block(HARDENING_SERVER, 8) if hardened else "",
             "location_extra": _block(HEADERS, 12) if hardened else ""}
    text = CONFIG.format(tmp=tmp, port=port, servers=servers, **extra)
    conf.write_text(text.replace("{{", "{").replace("}}", "}"), encoding="utf-8")
    log = (tmp / "nginx.out").open("wb")
    proc = subprocess.Popen([str(NGINX), "-c", str(conf), "-p", str(tmp)], stdout=log,
                            stderr=subprocess.STDOUT)
    balancer = Balancer(f"http://127.0.0.1:{port}", upstreams, proc, tmp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            balancer.replica_of("probe")
            return balancer
        except OSError:
            time.sleep(0.2)
    balancer.stop()
    text = (tmp / "nginx.out").read_text(errors="replace") + (
        (tmp / "error.log").read_text(errors="replace") if (tmp / "error.log").exists() else "")
    msg = f"nginx did not start on {balancer.url}: {text[-2000:]}"
    raise RuntimeError(msg)
