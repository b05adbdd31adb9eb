"""The helpline's own anonymous chat.

Pure modules (no Flask): `store` (the interface and its rules), `sqlite_store` and
`redis_store` (the two backends; `sqlite_file` and `sqlite_gate` hold the SQLite file and its
admission gate), `text` (cleaning what people type), `tokens` (the visitor's
capability token). The web side lives in `app.chat.web` (the store for the running app),
`app.public.chat_views` (visitors) and `app.staff.console_views` (counsellors).
"""
