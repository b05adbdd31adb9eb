"""gunicorn settings for every environment (`make run`, the tests, production).

Privacy: there is no access log, and the error log goes through app.privacy.GunicornLogger,
which cannot write a client address, a URL or an exception message (see its docstring).
Settings can be tuned through the GUNICORN_* variables below; the privacy ones cannot.
"""

import os
from typing import Any

from gunicorn.arbiter import Arbiter

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Pages: threads. The chat's long polls and event streams: a second server of the same app with
# GUNICORN_WORKER_CLASS=gevent (deploy/helpline-streams.service; deploy/nginx/ routes those
# paths to it), where each waiting visitor is a greenlet, so idle streams take no page thread.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
if worker_class not in ("gthread", "gevent"):
    raise SystemExit("GUNICORN_WORKER_CLASS must be gthread or gevent")
# gthread: threads are started only when needed; a chat page served here still holds one.
threads = int(os.environ.get("GUNICORN_THREADS", "100"))
# gevent: how many connections (greenlets) one worker takes at once.
worker_connections = int(os.environ.get("GUNICORN_CONNECTIONS", "4000"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (against slow leaks); each replacement costs
# a second of boot on its core, so not too often: a stream server's replacement also drops
# its open streams (they reconnect by themselves).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10

# No visitor is ever logged.
accesslog = None
disable_redirect_access_to_syslog = True
errorlog = "-"
loglevel = "warning"
logger_class = "app.privacy.GunicornLogger"
capture_output = False

# gunicorn 25+ opens a control socket (gunicornc) in $XDG_RUNTIME_DIR or ~/.gunicorn/ unless
# told not to: a file we do not need, and a way in for anyone who can reach it.
control_socket_disable = True

# The app never looks at client addresses, so no proxy is trusted to tell it one.
forwarded_allow_ips = ""
proxy_protocol = False


def on_exit(server: Arbiter) -> None:
    """After the last worker has stopped: fold the chat store's log back (see fold_log)."""
    from app.chat.sqlite_file import fold_log

    fold_log(server.app.wsgi().config["CHAT_STORE_URL"])


def on_starting(server: Any) -> None:
    """gunicorn's own error answers (malformed requests) get our privacy headers and no longer
    echo the request (app.privacy.write_gunicorn_error); workers inherit this when forked."""
    from app import privacy

    privacy.install_gunicorn_error_answers()
