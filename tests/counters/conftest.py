"""The staff fixtures (clock, accounts, a logged-in client), as in the staff tests."""

from tests.staff.conftest import clock, staff, staff_member

__all__ = ["clock", "staff", "staff_member"]
