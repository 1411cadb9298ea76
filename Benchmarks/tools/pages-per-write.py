#!/usr/bin/env python3
"""Dirty pages per customer of a fold slice, and per outbox message, on a COPY of an embedded store.

    cp data/customers.db /tmp/copy.db && python3 Benchmarks/tools/pages-per-write.py /tmp/copy.db

Each measurement empties the write-ahead log, runs one transaction, and divides the WAL frames it wrote (4 KB pages) by
the customers (or messages) in it: the state row alone, the journal alone (one new event each, a decision change for a
quarter of them, with the entry-id index), both, and outbox messages of random customers. It changes the copy; never
run it on a store in use. docs/performance.md (fourth session of 2026-11-24) quotes its results.
"""
import os
import random
import sqlite3
import sys

random.seed(1)
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
keys = [row[0] for row in db.execute("SELECT grain_key FROM grain_state WHERE grain_type = 'customer'")]
print(f"{len(keys)} customers")


def pages_per_item(items, write):
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("BEGIN")
    for item in items:
        write(item)
    db.execute("COMMIT")
    return db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1] / len(items)


def state(key):
    db.execute("UPDATE grain_state SET version = version + 1, updated_at = updated_at + 1 "
               "WHERE grain_type = 'customer' AND grain_key = ?", (key,))


def journal(key):
    for stream, count in (("events", 1), ("changes", 1 if random.random() < 0.25 else 0)):
        for _ in range(count):
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM grain_journal "
                             "WHERE grain_type = 'customer' AND grain_key = ? AND stream = ?", (key, stream)).fetchone()[0]
            db.execute("INSERT INTO grain_journal VALUES ('customer', ?, ?, ?, ?, 0, randomblob(165))",
                       (key, stream, seq, os.urandom(8).hex()))


def outbox(key):
    db.execute("INSERT INTO outbox (message_id, topic, label, grain_type, grain_key, created_at, payload) "
               "VALUES (?, 'alerts', 'x', 'customer', ?, 0, randomblob(350))", (os.urandom(8).hex(), key))


for size in (150, 1500):
    for name, write in (("state", state), ("journal", journal), ("state + journal", lambda k: (state(k), journal(k))),
                        ("outbox message", outbox)):
        runs = [pages_per_item(sorted(random.sample(keys, size)), write) for _ in range(3)]
        print(f"{size:5} customers, {name:16}: " + " / ".join(f"{r:.2f}" for r in runs) + " pages each")
