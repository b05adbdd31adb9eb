"""Placeholder opening hours for a new site. They are flagged "to confirm" until staff save."""

from __future__ import annotations

PLACEHOLDER_HOURS: dict[str, object] = {
    "timezone": "Europe/Amsterdam",
    "channels": {
        "phone": {
            "weekly": {
                "mon": ["09:00-17:00"],
                "tue": ["09:00-17:00", "19:00-21:00"],
                "wed": ["09:00-17:00"],
                "thu": ["09:00-17:00", "19:00-21:00"],
                "fri": ["09:00-17:00"],
            },
            "holidays": "closed",
            "exceptions": [
                {"date": "2026-12-24", "hours": ["09:00-13:00"], "note": "Kerstavond"},
                {"date": "2026-12-31", "hours": ["09:00-13:00"], "note": "Oudejaarsdag"},
            ],
        },
        "chat": {
            "weekly": {
                "mon": ["13:00-17:00", "19:00-22:00"],
                "tue": ["19:00-22:00"],
                "wed": ["13:00-17:00", "19:00-22:00"],
                "thu": ["19:00-22:00"],
                "sat": ["10:00-14:00"],
            },
            "holidays": "closed",
            "exceptions": [
                {"from": "2026-12-24", "to": "2026-12-26", "closed": True, "note": "Kerst"},
            ],
        },
    },
}
