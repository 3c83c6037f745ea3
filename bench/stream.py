"""A province in one run: peak memory and throughput of `hallcheck check --format jsonl` as the
number of halls grows, with worker processes (--jobs) or in this process.

    python bench/stream.py                            # 1,000 and 10,000 village stations, --jobs 2
    python bench/stream.py --halls 100,1000 --jobs 1  # a quicker run, in one process
    python bench/stream.py --halls 100000             # the simulated 100,000 village stations
    python bench/stream.py --mix deck --halls 200     # the benchmark's deck of 20 (city centres too)
    python bench/stream.py --executor dask            # on a Dask LocalCluster of --jobs processes

Each run is `hallcheck check DIR --format jsonl --omit not_applicable -o FILE` in a fresh child
process; the child reports its own peak resident memory (the parent's) and the largest of its
waited-for children's (the largest worker's), both from getrusage. With Dask the figure for the
workers is the largest of the LocalCluster's processes that ended (the nanny and its worker). What to look for: the
parent's peak flat as the halls grow tenfold (the report is streamed, never held), each worker's
flat too (bounded by the largest hall), and per-hall time flat. Nothing is asserted: the figures
are printed.

Halls are generated once into a cache directory (bench/generate.py; village stations of 济宁 and
乌海 by default, from --seed) and kept across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import cli
started = time.perf_counter()
code = cli.main({argv!r})
wall = time.perf_counter() - started
self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"code": code, "wall": wall, "parent_kb": self.ru_maxrss, "worker_kb": children.ru_maxrss,
                  "cpu": self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime}}), file=sys.stderr)
"""


def village_text(seed: int, index: int) -> str:
    sys.path.insert(0, str(HERE))
    import generate
    rng = random.Random(f"hallcheck-village/{seed}/{index}")
    return generate.dump(generate.hall_document(rng, ("jining-village", "wuhai-village")[index % 2]))


def deck_text(seed: int, index: int) -> str:
    sys.path.insert(0, str(HERE))
    import generate
    return generate.hall_text(seed, index)


def ensure_halls(directory: Path, halls: int, seed: int, mix: str) -> int:
    """The first `halls` halls in `directory` (kept across runs); their total bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    text_of = village_text if mix == "village" else deck_text
    total = 0
    started = time.perf_counter()
    for index in range(halls):
        path = directory / f"hall-{index:06d}.yaml"
        if not path.exists():
            path.write_text(text_of(seed, index), encoding="utf-8")
        total += path.stat().st_size
        if (index + 1) % 10000 == 0:
            print(f"  {index + 1} halls ready ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return total


def measure(directory: Path, halls: int, jobs: int, engine: str, executor: str = "local") -> dict:
    """One run over the first `halls` files of `directory`, in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="hallcheck-bench-") as work:
        listing = Path(work) / "halls"
        listing.mkdir()
        for index in range(halls):  # links, so that the run sees exactly these halls
            name = f"hall-{index:06d}.yaml"
            os.symlink(directory / name, listing / name)
        out = Path(work) / "report.jsonl"
        argv = ["check", str(listing), "--format", "jsonl", "--omit", "not_applicable", "--lang", "en",
                "--engine", engine, "--jobs", str(jobs), "-o", str(out), "--allow-nothing-checked",
                "--executor", executor]
        done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), argv=argv)],
                              capture_output=True, text=True, cwd=work, env={**os.environ, "CI": "1"})
        figures = json.loads(done.stderr.strip().splitlines()[-1])
        figures["report_mb"] = out.stat().st_size / 1e6 if out.exists() else 0.0
        lines = out.read_text(encoding="utf-8").count("\n") if out.exists() else 0
        figures["lines"] = lines
        return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--halls", default="1000,10000", help="comma-separated counts (default 1000,10000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", default="python", choices=("python", "durable", "auto"))
    parser.add_argument("--mix", default="village", choices=("village", "deck"))
    parser.add_argument("--executor", default="local", choices=("local", "dask"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "hallcheck-bench-stream")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.halls.split(",")]
    directory = args.dir / f"{args.mix}-{args.seed}"
    print(f"{'halls':>7} {'jobs':>4} {'wall s':>8} {'cpu s':>8} {'ms/hall':>8} {'halls/s':>8} "
          f"{'parent MB':>10} {'worker MB':>10} {'report MB':>10} {'exit':>4}")
    for halls in counts:
        size = ensure_halls(directory, halls, args.seed, args.mix)
        f = measure(directory, halls, args.jobs, args.engine, args.executor)
        assert f["lines"] == halls + 2, f"the report has {f['lines']} lines for {halls} halls"
        print(f"{halls:>7} {args.jobs:>4} {f['wall']:>8.1f} {f['cpu']:>8.1f} {1000 * f['wall'] / halls:>8.2f} "
              f"{halls / f['wall']:>8.1f} {f['parent_kb'] / 1024:>10.0f} {f['worker_kb'] / 1024:>10.0f} "
              f"{f['report_mb']:>10.1f} {f['code']:>4}   ({size / 1e6:.0f} MB of YAML)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
