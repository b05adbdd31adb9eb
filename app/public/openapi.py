"""The OpenAPI 3.1 description of the public status API (served at /api/openapi.json)."""

from typing import Any

_INSTANT = {"type": ["string", "null"], "format": "date-time"}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Helpline opening status",
        "version": "1.0.0",
        "description": "Whether the helpline's phone and chat are open, for partner sites. "
        "No credentials, no cookies; answers may be cached for 30 seconds.",
    },
    "paths": {
        "/api/status": {
            "get": {
                "summary": "Status of every channel now, or at a given instant",
                "parameters": [
                    {
                        "name": "at",
                        "in": "query",
                        "required": False,
                        "description": "ISO 8601 instant with offset, "
                        "e.g. 2026-12-24T18:00:00+01:00",
                        "schema": {"type": "string", "format": "date-time"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Status per channel",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Status"}}
                        },
                    },
                    "400": {
                        "description": "`at` is not an ISO 8601 instant with an offset",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    "503": {
                        "description": "Opening hours are temporarily unavailable",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Status": {
                "type": "object",
                "required": ["timezone", "at", "channels"],
                "properties": {
                    "timezone": {"type": "string", "examples": ["Europe/Amsterdam"]},
                    "at": {"type": "string", "format": "date-time"},
                    "channels": {
                        "type": "object",
                        "additionalProperties": {"$ref": "#/components/schemas/ChannelStatus"},
                    },
                },
            },
            "ChannelStatus": {
                "type": "object",
                "required": ["open", "closes_at", "opens_at", "note", "note_en"],
                "properties": {
                    "open": {
                        "type": "boolean",
                        "description": "For the chat, right now: the hours say open and a "
                        "counsellor is available.",
                    },
                    "closes_at": _INSTANT,
                    "opens_at": _INSTANT,
                    "note": {
                        "type": ["string", "null"],
                        "description": "Staff's note for the day (a holiday, a change), in Dutch.",
                    },
                    "note_en": {
                        "type": ["string", "null"],
                        "description": "The same note in English; null when staff wrote none.",
                    },
                    "counsellor_available": {
                        "type": "boolean",
                        "description": "Chat only, and only without 'at': whether a "
                        "counsellor is available now.",
                    },
                },
            },
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}
