"""The public notice: visitor content that staff write (text.py: safe HTML; store.py: the row)."""
