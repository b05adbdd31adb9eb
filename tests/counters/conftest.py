"""The staff fixtures (clock, accounts, a logged-in client), as in the staff tests, and a
counsellor who is logged in and available in the chat of the module's `app`."""

import pytest
from flask import Flask

from tests.staff.conftest import Clock, StaffLogin, clock, create_account, staff, staff_member

__all__ = ["clock", "counsellor", "staff", "staff_member"]


@pytest.fixture
def counsellor(app: Flask, clock: Clock) -> StaffLogin:
    login = StaffLogin(app.test_client(), clock)
    login.login(create_account(app, "counsellor.one"))
    login.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    return login
