"""The staff clock fixture, as in the staff and chat tests."""

from tests.staff.conftest import clock

__all__ = ["clock"]
