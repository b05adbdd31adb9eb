"""The visitor blueprint object, apart from the package so views import it without a circle."""

from flask import Blueprint

bp = Blueprint("public", "app.public")
