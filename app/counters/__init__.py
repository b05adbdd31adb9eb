"""Figures the helpline can show: counters per day (metric, bucket, count), never records.

metrics.py is the fixed list of what is counted; store.py the one table and its atomic
increment. Pure Python: no Flask (the web layer counts through app/counters/web.py).
"""
