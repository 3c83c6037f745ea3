"""The condition language alone: rule evaluation per hall against the hand-written floor, the
开封 civic centre, and memory over many audits.

    python bench/language.py                     # 100 generated halls, both engines
    python bench/language.py --halls 300 --engines python
    python bench/language.py --memory 1000       # also: peak memory after 1, 10, 100, 1000 audits

Rule evaluation: the halls are read and validated before the clock runs; the clock runs over
`checker.audit.hall.audit_hall` (applicability, facts, matching) with the rules bench/peer.py
writes by hand, and over those hand-written functions on the same halls already parsed. The
开封 civic centre (samples/kaifeng-civic-centre.yaml) is audited with every bundled rule: load
and validate, then the audit, each timed. Memory: the same hall audited again and again, its
document re-read each time (as a batch reads new halls), with the process's peak RSS printed
after 1, 10, 100 ... audits: flat means nothing of an earlier hall is kept.

Targets, printed next to the figures, never asserted: evaluation within 20x of the hand-written
functions; the 开封 centre under 0.5 s in total; peak memory within 10 % from the first audit to
the last. Every figure is CPU time of this process (time.process_time) unless it says wall.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

TARGET_PEER = 20.0
TARGET_KAIFENG_S = 0.5
FLAT_MEMORY = 1.10


def _rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an
    exec, so a child started by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peer_rules(register):
    import peer
    from checker.paths import bundled, display
    from checker.ruleset.rules import load_rules
    return load_rules([bundled("rules") / name for name in peer.RULES], register, display)


def evaluation(paths: list[Path], engines: list[str]) -> None:
    import yaml

    import peer
    from checker.audit.backends import get_backend
    from checker.audit.hall import audit_hall
    from checker.input.load import load_file
    from checker.input.validate import validate_hall
    from checker.paths import bundled
    from checker.ruleset.regulations import load_register

    register = load_register(bundled("regulations"))
    rules = _peer_rules(register)
    halls = [validate_hall(load_file(str(path))) for path in paths]
    docs = [yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader) for path in paths]
    peer.audit(docs[0])  # warm up (the vocabulary)
    started = time.process_time()
    floor = Counter(status for doc in docs for status in peer.audit(doc))
    by_hand = (time.process_time() - started) / len(docs)
    print(f"rule evaluation, {len(rules)} rules ({', '.join(sorted({r.regulation for r in rules}))}), "
          f"{len(halls)} generated halls read and validated before the clock runs")
    print(f"{'engine':>8} {'ms/hall':>8} {'by hand':>8} {'ratio':>7} {'target':>7}  verdicts")
    for engine in engines:
        backend = get_backend(engine)
        audit_hall(halls[0], rules, register, backend, None)  # warm up
        started = time.process_time()
        tally = Counter(result.status for hall in halls for result in audit_hall(hall, rules, register, backend, None).results)
        per_hall = (time.process_time() - started) / len(halls)
        ratio = per_hall / by_hand
        print(f"{engine:>8} {per_hall * 1000:>8.2f} {by_hand * 1000:>8.3f} {ratio:>6.0f}x {'met' if ratio <= TARGET_PEER else 'MISSED':>7}"
              f"  {'same' if tally == floor else 'DIFFERENT'}: {_tally(tally)} / by hand {_tally(floor)}",
              flush=True)
    from checker.paths import display
    from checker.ruleset.rules import load_rules, rule_files
    every = load_rules(rule_files(bundled("rules")), register, display)
    for engine in engines:
        backend = get_backend(engine)
        started = time.process_time()
        for hall in halls:
            audit_hall(hall, every, register, backend, None)
        per_hall = (time.process_time() - started) / len(halls)
        print(f"{engine:>8} {per_hall * 1000:>8.2f} ms/hall with all {len(every)} bundled rules (no hand-written peer)",
              flush=True)


def _tally(counts: Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def kaifeng(engines: list[str]) -> None:
    from checker.audit.backends import get_backend
    from checker.audit.hall import audit_hall
    from checker.input.load import load_file
    from checker.input.validate import validate_hall
    from checker.paths import bundled, display
    from checker.ruleset.regulations import load_register
    from checker.ruleset.rules import load_rules, rule_files

    register = load_register(bundled("regulations"))
    rules = load_rules(rule_files(bundled("rules")), register, display)
    sample = ROOT / "samples" / "kaifeng-civic-centre.yaml"
    print(f"\n开封 civic centre ({sample.name}), {len(rules)} bundled rules")
    print(f"{'engine':>8} {'load+validate s':>15} {'audit s':>8} {'total s':>8} {'target':>7}")
    for engine in engines:
        backend = get_backend(engine)
        started = time.process_time()
        hall = validate_hall(load_file(str(sample)))
        loaded = time.process_time() - started
        audit_hall(hall, rules, register, backend, None)
        audited = time.process_time() - started - loaded
        total = loaded + audited
        print(f"{engine:>8} {loaded:>15.3f} {audited:>8.3f} {total:>8.3f} {'met' if total < TARGET_KAIFENG_S else 'MISSED':>7}",
              flush=True)
    import subprocess
    command = [sys.executable, str(ROOT / "cli.py"), "check", str(sample), "--format", "json", "--allow-nothing-checked"]
    subprocess.run(command, capture_output=True, check=False)  # warms the rule cache
    walls = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        walls.append(time.perf_counter() - started)
    print(f"`hallcheck check` of it as a fresh process, warm rule cache: {min(walls):.2f} s wall (best of 3) "
          f"{'met' if min(walls) < TARGET_KAIFENG_S else 'MISSED'}")


def memory(audits: int, engine: str) -> None:
    """Peak memory after 1, 10, 100 ... audits of the same hall, read afresh each time."""
    from checker.audit.backends import get_backend
    from checker.audit.hall import audit_hall
    from checker.input.load import load_file
    from checker.input.validate import validate_hall
    from checker.paths import bundled, display
    from checker.ruleset.regulations import load_register
    from checker.ruleset.rules import load_rules, rule_files

    register = load_register(bundled("regulations"))
    rules = load_rules(rule_files(bundled("rules")), register, display)
    sample = str(ROOT / "samples" / "kaifeng-civic-centre.yaml")
    backend = get_backend(engine)
    marks, peaks, done = [1, 10, 100, 1000, 10000], [], 0
    for mark in [m for m in marks if m <= audits]:
        while done < mark:
            audit_hall(validate_hall(load_file(sample)), rules, register, backend, None)
            done += 1
        peaks.append((mark, _rss_mb()))
    first, last = peaks[0][1], peaks[-1][1]
    growth = last / first
    print(f"{engine:>8} " + " ".join(f"{mark}: {mb:.0f} MB" for mark, mb in peaks)
          + f"  growth {growth:.2f}x {'met' if growth <= FLAT_MEMORY else 'MISSED'}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--halls", type=int, default=100)
    parser.add_argument("--engines", default="python,durable")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=None, help="where bench/run.py keeps its generated halls")
    parser.add_argument("--memory", type=int, default=0, help="audits of the 开封 centre for the memory figures (0: skip)")
    parser.add_argument("--memory-engine", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    if args.memory_engine:
        memory(args.memory, args.memory_engine)
        return 0
    import tempfile

    import run
    data = Path(args.data or Path(tempfile.gettempdir()) / "hallcheck-bench") / f"seed-{args.seed}"
    paths = run.ensure_data(data, args.halls, args.seed)
    evaluation(paths, engines)
    kaifeng(engines)
    if args.memory:
        import subprocess
        print(f"\npeak memory (RSS) over {args.memory} audits of the 开封 centre, each in a fresh process")
        for engine in engines:
            subprocess.run([sys.executable, __file__, "--memory", str(args.memory), "--memory-engine", engine], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
