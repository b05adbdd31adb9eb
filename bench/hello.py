"""The smallest Flask app, served by bench/run under the site's own gunicorn config.

It is the ceiling for a Flask page on this machine: the site's pages are measured against it.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
