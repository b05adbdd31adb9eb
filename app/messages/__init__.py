"""Anonymous messages with a pick-up code: the domain (pure: no Flask, see tests/messages).

codes.py makes and reads pick-up codes, crypto.py encrypts every text at rest, store.py keeps
conversations and does each step on them, limits.py counts site-wide without knowing anyone.
web.py is the thin glue both blueprints share (keys and limits from the app's config).
"""
