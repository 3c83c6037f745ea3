"""`check --executor dask`: halls audited on a Dask cluster (the `distributed` scheduler), a
LocalCluster on this machine unless `--scheduler ADDRESS` names one. An optional extra:
`pip install 'hallcheck[dask]'`.

Why Dask rather than Ray: it is pure Python, installs from PyPI on every platform hallcheck runs
on, starts a LocalCluster in a second with no daemon to manage, and a city's IT can run its
scheduler and workers as two ordinary commands (`dask scheduler`, `dask worker ADDRESS`).

How. The settings (rule set, register, holiday notices) are scattered to every worker once.
Halls go out in chunks, a few chunks per worker in flight, and come back in input order as each
chunk and those before it are done. A Dask task cannot be killed on its own, and durable-rules
can hang in C or abort its process, so inside each Dask worker the halls run in the same
pebble pool as `--jobs` (one spawned process, kept for the next chunks): a hung or crashed hall
costs that hall, reported as with --jobs, and the Dask worker lives on. Workers that start
processes of their own must not be daemonic: the LocalCluster is started so, and a remote
cluster's workers need `DASK_DISTRIBUTED__WORKER__DAEMON=False`.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import deque
from typing import Iterator

from . import batch
from .results import HallReport

CHUNK = 8  # halls per task: few enough to keep workers evenly busy, enough to amortise a round trip
AHEAD = 2  # chunks per worker in flight

_pools: dict = {}  # in a Dask worker: settings key -> its pebble pool


class DaskUnavailable(RuntimeError):
    pass


def _chunk_task(settings, key: str, files: list, timeout) -> list:
    """In a Dask worker: the chunk's halls audited in this worker's pebble pool, slim reports in order."""
    pool = _pools.get(key)
    if pool is None:
        for old in _pools.values():
            old.stop()
        _pools.clear()
        pool = _pools[key] = batch.worker_pool(settings, 1)
    return list(batch.pooled_slim(pool, files, settings, 1, timeout))


def audit_on_dask(files: list[tuple[str, str]], rules: list, register: dict, backend, as_of,
                  timeout: float | None, scheduler: str | None = None, workers: int = 2,
                  on_progress=None, imports: tuple | None = None) -> Iterator[HallReport]:
    """Each hall's report, in input order, audited on the cluster at `scheduler` or on a
    LocalCluster of `workers` processes."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise DaskUnavailable(str(err)) from None
    if not files:
        return
    settings = batch.settings_for(rules, register, backend.name, as_of, imports)
    key = hashlib.sha256(pickle.dumps(settings)).hexdigest()
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                      dashboard_address=None, silence_logs=40)
        try:
            with Client(scheduler or cluster) as client:
                yield from _stream(client, settings, key, files, timeout, on_progress)
        finally:
            if cluster is not None:
                cluster.close()


def _stream(client, settings, key: str, files, timeout, on_progress) -> Iterator[HallReport]:
    shipped = client.scatter(settings, broadcast=True)  # the rule set, once per worker
    rules = {rule.id: rule for rule in settings.rules}
    width = max(1, len(client.scheduler_info().get("workers", {}))) * AHEAD
    chunks = iter([files[start:start + CHUNK] for start in range(0, len(files), CHUNK)])
    flight: deque = deque()

    def fill() -> None:
        while len(flight) < width:
            chunk = next(chunks, None)
            if chunk is None:
                return
            flight.append(client.submit(_chunk_task, shipped, key, chunk, timeout, pure=False))

    fill()
    done = 0
    while flight:
        reports = flight.popleft().result()
        fill()
        for report in reports:
            done += 1
            yield batch.rebuild(report, rules)
            if on_progress:
                on_progress(done, len(files))
