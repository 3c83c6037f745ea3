"""A watcher's state in the audit store (checker.run.store): its day, every clock, the events it
has seen and the transitions it emitted. Saved in one transaction, so a watcher stopped at any
point resumes from its last save: the events after it are read again and the transitions they
bring are emitted then, once; the events before it are known and change nothing.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from ..problems import InputError, Location, Problem
from ..run.store import Store, tables
from .state import Clock
from .watcher import Watcher

CHUNK = 500


def load(store: Store, name: str, watcher: Watcher) -> None:
    """Fill `watcher` with what the store keeps under `name` (nothing the first time)."""
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(tables.watchers).where(tables.watchers.c.name == name)).first()
        if row is None:
            return
        if row.regulation != watcher.policy.regulation:
            raise InputError([Problem("watch.other_regulation", Location(store.name),
                                      {"name": name, "regulation": row.regulation,
                                       "given": watcher.policy.regulation})])
        watcher.day = row.day
        for body, in connection.execute(sa.select(tables.watch_clocks.c.body)
                                        .where(tables.watch_clocks.c.watcher == name)):
            clock = Clock.from_json(json.loads(body))
            if clock.rule is None and clock.limit is not None:  # saved before clocks named their rule
                clock.rule = getattr(watcher.policy.first(clock.subject), "id", None)
            watcher.clocks[clock.key] = clock
        watcher.seen.update(key for key, in connection.execute(
            sa.select(tables.watch_events.c.key).where(tables.watch_events.c.watcher == name)))


def save(store: Store, name: str, watcher: Watcher) -> None:
    """What changed since the last save, in one transaction; then nothing is pending."""
    clocks = tables.watch_clocks
    with store.engine.begin() as connection:
        updated = connection.execute(tables.watchers.update().where(tables.watchers.c.name == name)
                                     .values(day=watcher.day, regulation=watcher.policy.regulation)).rowcount
        if not updated:
            connection.execute(tables.watchers.insert().values(name=name, regulation=watcher.policy.regulation,
                                                               day=watcher.day))
        dirty = sorted(watcher.dirty)
        for start in range(0, len(dirty), CHUNK):
            chunk = dirty[start:start + CHUNK]
            connection.execute(clocks.delete().where(clocks.c.watcher == name, clocks.c.key.in_(chunk)))
            connection.execute(clocks.insert(), [
                {"watcher": name, "key": key, "colour": watcher.clocks[key].colour, "open": watcher.clocks[key].open,
                 "body": json.dumps(watcher.clocks[key].to_json(), ensure_ascii=False)} for key in chunk])
        if watcher.new_events:
            connection.execute(tables.watch_events.insert(), [{"watcher": name, "key": key} for key in watcher.new_events])
        if watcher.emitted:
            connection.execute(tables.watch_transitions.insert(), [
                {"watcher": name, "happened_on": t.on, "body": json.dumps(t.to_json(), ensure_ascii=False)}
                for t in watcher.emitted])
    watcher.dirty.clear()
    watcher.new_events.clear()
    watcher.emitted.clear()
