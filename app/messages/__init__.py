"""Anonymous messages with a pick-up code: the domain (pure: no Flask, see tests/messages).

codes.py makes and reads pick-up codes, crypto.py encrypts every text at rest, models.py holds
the tables, store.py does each step on a conversation, inbox.py lists them for counsellors,
answer_time.py keeps staff's "we answer within" line, limits.py counts site-wide without
knowing anyone.
web.py is the thin glue both blueprints share (keys and limits from the app's config).
"""
