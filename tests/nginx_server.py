"""A real nginx (Debian's) running the shipped deploy/nginx/ configuration, for tests.

The configuration is used as shipped; only what must differ on a test machine is replaced:
ports, the folders it writes to (all inside the test's folder), the user (the test's folders
are private to root) and the TLS certificate (a throwaway one). Every replacement must find
its text in the shipped files, so a change there cannot leave the tests on an old layout.
With `cache_status=True` the answers carry a test-only `X-Test-Cache` header; the shipped
configuration never tells a visitor whether someone else fetched a page a moment ago.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.live_server import ROOT, free_port

SHIPPED = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ONION_HOST = "helplinetestonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"
CLEARNET_HOST = "help.example.nl"


class NginxServer:
    def __init__(
        self,
        root: Path,
        upstream_port: int,
        *,
        streams_port: int | None = None,
        cache_status: bool = False,
    ) -> None:
        """`streams_port`: the gevent server for the chat's streams (default: the app's own)."""
        self.root = root
        self.conf = root / "nginx-conf"
        self.run = root / "nginx-run"
        self.fallback = root / "fallback"
        self.http_port, self.https_port, self.onion_port = free_port(), free_port(), free_port()
        self.upstream_port = upstream_port
        self.streams_port = streams_port or upstream_port
        self.cache_status = cache_status
        self.process: subprocess.Popen[bytes] | None = None
        self.output_path = root / "nginx.output"

    def _replacements(self) -> dict[str, str]:
        run, conf = self.run, self.conf
        return {
            "user www-data;": "user root;",
            "pid /run/nginx.pid;": f"pid {run}/nginx.pid;",
            "/run/nginx-helpline-": f"{run}/nginx-helpline-",
            "/etc/nginx/helpline/": f"{conf}/",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.upstream_port};",
            "server 127.0.0.1:8001;": f"server 127.0.0.1:{self.streams_port};",
            "listen 80 default_server;": f"listen 127.0.0.1:{self.http_port} default_server;",
            "listen 443 ssl default_server;": (
                f"listen 127.0.0.1:{self.https_port} ssl default_server;"
            ),
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{self.onion_port};",
            "/etc/ssl/help.example.nl/": f"{conf}/",
            "/srv/helpline/static/": f"{ROOT / 'static'}/",
            "/srv/helpline/fallback": str(self.fallback),
        }

    def write_config(self) -> Path:
        self.conf.mkdir(parents=True)
        self.run.mkdir()
        replacements = self._replacements()
        if self.cache_status:
            replacements["proxy_cache pages;"] = (
                "proxy_cache pages;\n    add_header X-Test-Cache $upstream_cache_status always;"
            )
        unused = set(replacements)
        for source in SHIPPED.glob("*.conf"):
            text = source.read_text()
            for old, new in replacements.items():
                if old in text:
                    unused.discard(old)
                    text = text.replace(old, new)
            (self.conf / source.name).write_text(text)
        assert not unused, f"the shipped nginx files no longer contain {sorted(unused)}"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", f"/CN={CLEARNET_HOST}", "-keyout", str(self.conf / "privkey.pem")]
            + ["-out", str(self.conf / "fullchain.pem")],
            check=True,
            capture_output=True,
        )
        return self.conf / "nginx.conf"

    def check(self) -> subprocess.CompletedProcess[str]:
        """`nginx -t` on the configuration (written first if need be)."""
        config = self.conf / "nginx.conf"
        if not config.exists():
            self.write_config()
        command = [NGINX, "-t", "-c", str(config), "-e", "/dev/null"]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start(self) -> NginxServer:
        checked = self.check()
        assert checked.returncode == 0, checked.stderr
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(
                [NGINX, "-c", str(self.conf / "nginx.conf"), "-e", "/dev/null"]
                + ["-g", "daemon off;"],
                stdout=output,
                stderr=output,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.onion_port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start:\n" + self.output()) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def __enter__(self) -> NginxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- requests

    def onion_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.onion_port}{path}"

    def request(
        self,
        path: str,
        *,
        host: str = ONION_HOST,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """An answer through the onion server (or, for CLEARNET_HOST, the TLS server)."""
        request_headers = {"Host": host, **(headers or {})}
        if host == CLEARNET_HOST:
            # The name resolves to nothing here: connect to loopback, but say the name (SNI).
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
            url = f"https://{CLEARNET_HOST}:{self.https_port}{path}"
            opener = urllib.request.build_opener(
                LoopbackHTTPS(context, self.https_port), NoRedirects()
            )
        else:
            url = self.onion_url(path)
            opener = urllib.request.build_opener(NoRedirects())
        request = urllib.request.Request(url, data=data, headers=request_headers)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class LoopbackHTTPS(urllib.request.HTTPSHandler):
    """HTTPS to CLEARNET_HOST with the name in SNI and Host, the connection to 127.0.0.1."""

    def __init__(self, context: ssl.SSLContext, port: int) -> None:
        super().__init__(context=context)
        self.port = port

    def https_open(self, req: urllib.request.Request) -> object:
        import http.client

        port = self.port
        context = self._context  # type: ignore[attr-defined]

        class Connection(http.client.HTTPSConnection):
            def connect(self) -> None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                self.sock = context.wrap_socket(sock, server_hostname=CLEARNET_HOST)

        return self.do_open(Connection, req, context=context)
