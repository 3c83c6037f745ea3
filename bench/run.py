"""hallcheck benchmark: audit throughput, peak memory, cost over bare YAML parsing, cold start.

    python bench/run.py                          # 1, 100, 1,000 and 10,000 halls, both engines
    python bench/run.py --halls 1,100,1000       # a quicker run
    python bench/run.py --profile python --halls 100   # where the time goes (cProfile)

The 10,000-hall step generates about 1.3 GB of YAML (once; it is cached) and audits it once per
engine, which takes hours (see README "Benchmark" for what it costs at present); choose counts
with --halls for a shorter run.

Every figure is measured in a fresh child process, so runs do not pollute one another; peak
memory is that child's maxrss as reported by wait4 (resource.getrusage of the child). Inside a
child the rules and the regulation register load once (as `hallcheck check` loads them), one
small hall is audited to warm caches up, and then the clock runs over
`checker.audit.hall.audit_file` for each hall; reports are tallied and dropped, so what memory grows
by is the engine's, not a list of reports. The floor is the same files parsed with PyYAML's C
loader, `yaml.load(f, Loader=yaml.CSafeLoader)`, which is what any Python tool reading them pays.

Times are the CPU seconds of the measured loop (time.process_time; wall seconds are shown too):
on a machine that is doing other work at the same time, CPU time is the steadier figure.

Cold start is `python cli.py check FILE --engine python` run as a fresh process (min and
median of --cold-runs runs) on two of the generated halls: the smallest (a village station) and
the median-sized one of the first 20.

The peer column: a few bundled rules are also written by hand as Python functions (bench/peer.py),
the floor any engine is measured against. For each count the engine audits a snapshot holding
only those rules, and the hand-written functions run on the same files read with the C loader;
the table prints both, their ratio, and whether their verdict counts agree.

Targets, printed next to the figures: pure-Python audit at most 2x the parse time; durable at
most 5x; peak memory flat as the number of halls grows (here: the largest count's peak at most
20 % above the smallest's); cold start under 0.5 s. Nothing here asserts a timing: the table
says which targets were met and which were missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = ROOT  # the hallcheck source tree measured (--source: e.g. a copy of another revision)
DEFAULT_COUNTS = (1, 100, 1000, 10000)
TARGET_RATIO = {"python": 2.0, "durable": 5.0}
TARGET_COLD_S = 0.5
FLAT_MEMORY = 1.20  # largest count's peak may be at most 20 % above the smallest count's


# ------------------------------------------------------------------ the data set

def _generator_digest() -> str:
    sources = [HERE / "generate.py"]  # the Chinese words it reads from vocabulary.yaml only ever grow
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]


def _write_range(args) -> int:
    sys.path.insert(0, str(HERE))
    import generate
    outdir, seed, start, stop = args
    total = 0
    for index in range(start, stop):
        text = generate.hall_text(seed, index).encode("utf-8")
        (Path(outdir) / generate.file_name(index)).write_bytes(text)
        total += len(text)
    return total


def ensure_data(directory: Path, halls: int, seed: int) -> list[Path]:
    """The first `halls` generated halls, cached in `directory` across runs (same seed, same generator)."""
    sys.path.insert(0, str(HERE))
    import generate
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / "manifest.json"
    digest = _generator_digest()
    have = 0
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("generator") == digest and manifest.get("seed") == seed:
            have = manifest.get("halls", 0)
    if have < halls:
        print(f"generating halls {have}..{halls - 1} (seed {seed}) in {directory} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        chunk = 50
        jobs = [(str(directory), seed, start, min(halls, start + chunk)) for start in range(have, halls, chunk)]
        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        if workers > 1:
            import multiprocessing
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                for done, _ in enumerate(pool.imap_unordered(_write_range, jobs), 1):
                    if done % 20 == 0:
                        print(f"  {min(halls, have + done * chunk)} / {halls}", file=sys.stderr, flush=True)
        else:
            for job in jobs:
                _write_range(job)
        manifest_path.write_text(json.dumps({"generator": digest, "seed": seed, "halls": halls}))
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return [directory / generate.file_name(i) for i in range(halls)]


def warmup_file(directory: Path, seed: int) -> Path:
    """A small hall outside the measured set (a village station), to warm caches up."""
    sys.path.insert(0, str(HERE))
    import random
    import generate
    path = directory / "warmup.yaml"
    text = generate.dump(generate.hall_document(random.Random(f"warmup/{seed}"), "jining-village"))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the rules

def _load(rules_dir: Path, regulations_dir: Path):
    """The register and the rules, loaded the way `hallcheck check --rules DIR` loads them."""
    sys.path.insert(0, str(SOURCE))
    from checker.paths import display
    from checker.ruleset.regulations import load_register
    register = load_register(regulations_dir)
    try:
        from checker.ruleset.packs import load_ruleset
    except ImportError:  # before rule packs: a plain directory of rules
        from checker.ruleset.rules import load_rules, rule_files
        return register, load_rules(rule_files(rules_dir), register, display)
    return register, load_ruleset(rules_dir, register, display).rules


def snapshot_rules(into: Path, rules_from: Path | None = None) -> tuple[Path, Path, int]:
    """A copy of the rules (bundled, or --rules) and the bundled regulations, so that every
    measurement audits the same rule set even while someone edits rules/ (a half-written rule
    would stop the run)."""
    import shutil
    sys.path.insert(0, str(SOURCE))
    from checker.paths import bundled
    from checker.problems import InputError
    for attempt in range(30):
        rules, regulations = into / "rules", into / "regulations"
        shutil.rmtree(into, ignore_errors=True)
        shutil.copytree(rules_from or bundled("rules"), rules)
        shutil.copytree(bundled("regulations"), regulations)
        try:
            _, loaded = _load(rules, regulations)
            return rules, regulations, len(loaded)
        except InputError as err:
            print(f"the rules do not load yet ({len(err.problems)} problem(s)); retrying in 10 s", file=sys.stderr)
            time.sleep(10)
    raise SystemExit("the bundled rules do not load")


# ------------------------------------------------------------------ the child processes

def worker(mode: str, engine: str, list_file: str, warmup: str | None, profile: str | None,
           rules_dir: str | None = None, regulations_dir: str | None = None) -> None:
    import resource
    paths = Path(list_file).read_text(encoding="utf-8").splitlines()
    result: dict = {"mode": mode, "engine": engine, "halls": len(paths)}
    if mode == "parse":
        import yaml
        loader = yaml.CSafeLoader

        def run():
            for path in paths:
                with open(path, "rb") as stream:
                    yaml.load(stream, Loader=loader)
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    elif mode == "peer":
        import yaml
        sys.path.insert(0, str(HERE))
        import peer
        loader, tally = yaml.CSafeLoader, Counter()
        if warmup:
            peer.audit(yaml.load(Path(warmup).read_bytes(), Loader=loader))

        def run():
            for path in paths:
                with open(path, "rb") as stream:
                    tally.update(peer.audit(yaml.load(stream, Loader=loader)))
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["rules"] = len(peer.RULES)
        result["statuses"] = tally
    elif mode == "peer-evaluate":  # the hand-written rules alone, on halls parsed before the clock starts
        import yaml
        sys.path.insert(0, str(HERE))
        import peer
        docs = [yaml.load(Path(path).read_bytes(), Loader=yaml.CSafeLoader) for path in paths]
        tally = Counter()

        def run():
            for doc in docs:
                tally.update(peer.audit(doc))
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["statuses"] = tally
    elif mode == "read":  # load and validate only: the input stage
        sys.path.insert(0, str(SOURCE))
        from checker.input.load import load_file
        from checker.input.validate import validate_hall
        from checker.problems import InputError
        tally = Counter()
        if warmup:
            validate_hall(load_file(warmup))

        def run():
            for path in paths:
                try:
                    validate_hall(load_file(path))
                    tally["valid"] += 1
                except InputError:
                    tally["unusable"] += 1
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["statuses"] = tally
    elif mode == "evaluate":  # the rules alone, on halls read and validated before the clock starts
        sys.path.insert(0, str(SOURCE))
        from checker.audit.backends import get_backend
        from checker.audit.hall import audit_hall
        from checker.input.load import load_file
        from checker.input.validate import validate_hall
        register, rules = _load(Path(rules_dir), Path(regulations_dir))
        backend = get_backend(engine)
        halls = [validate_hall(load_file(path)) for path in paths]
        tally = Counter()
        if warmup:
            audit_hall(validate_hall(load_file(warmup)), rules, register, backend, None)

        def run():
            for hall in halls:
                tally.update(result.status for result in audit_hall(hall, rules, register, backend, None).results)
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["rules"] = len(rules)
        result["statuses"] = tally
    else:
        sys.path.insert(0, str(SOURCE))
        from checker.audit.hall import audit_file
        from checker.audit.backends import get_backend
        from checker.paths import bundled
        register, rules = _load(Path(rules_dir) if rules_dir else bundled("rules"),
                                Path(regulations_dir) if regulations_dir else bundled("regulations"))
        backend = get_backend(engine)
        tally: Counter = Counter()
        if warmup:
            audit_file(warmup, "warmup.yaml", rules, register, backend, None)

        def run():
            for path in paths:
                report = audit_file(path, path, rules, register, backend, None)
                if report.problems:
                    tally["unusable"] += 1
                tally.update(result.status for result in report.results)
        result["rss_before_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["rules"] = len(rules)
        result["statuses"] = tally
    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        started, cpu = time.perf_counter(), time.process_time()
        profiler.runcall(run)
        result["seconds"], result["cpu_seconds"] = time.perf_counter() - started, time.process_time() - cpu
        profiler.dump_stats(profile)
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    else:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        result["seconds"], result["cpu_seconds"] = time.perf_counter() - started, time.process_time() - cpu
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # the durable engine's host threads never stop; do not wait for them


RULES: tuple = ()  # (rules dir, regulations dir) of the snapshot every child audits with


def measure(mode: str, engine: str, paths: list[Path], warmup: Path | None, profile: str | None = None,
            rules: tuple | None = None) -> dict:
    """Run one measurement in a fresh child (with the rules of `rules`, or of the snapshot);
    its own maxrss comes from wait4."""
    rules = rules or RULES
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as listing:
        listing.write("\n".join(str(p) for p in paths))
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--engine", engine, "--list", listing.name,
               "--source", str(SOURCE)]
    if warmup:
        command += ["--warmup", str(warmup)]
    if profile:
        command += ["--profile-out", profile]
    if rules:
        command += ["--rules-dir", str(rules[0]), "--regulations-dir", str(rules[1])]
    try:
        with tempfile.TemporaryFile() as errors:
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors if not profile else None, cwd=SOURCE)
            output = child.stdout.read()
            child.stdout.close()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0 or not output.strip():
                errors.seek(0)
                raise RuntimeError(f"{mode}/{engine} child failed ({child.returncode}):\n{errors.read().decode(errors='replace')}")
    finally:
        os.unlink(listing.name)
    result = json.loads(output)
    result["rss_peak_kb"] = usage.ru_maxrss
    return result


def cold_start(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system, from wait4) of fresh `hallcheck check` processes."""
    walls, cpus = [], []
    attempts = 0
    while len(walls) < runs:
        attempts += 1
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "cli.py", "check", str(path), "--engine", "python"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=SOURCE)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code in (0, 1):
            walls.append(wall)
            cpus.append(usage.ru_utime + usage.ru_stime)
        elif attempts >= runs + 5:
            raise RuntimeError(f"hallcheck check {path} exited {code}")
        else:  # e.g. a rule file half-written by someone editing rules/: wait and try again
            time.sleep(5)
    return walls, cpus


def peer_snapshot(into: Path) -> tuple[Path, Path]:
    """The rule files bench/peer.py writes by hand, alone, and the bundled regulations."""
    import shutil
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(SOURCE))
    import peer
    from checker.paths import bundled
    rules, regulations = into / "rules", into / "regulations"
    shutil.rmtree(into, ignore_errors=True)
    for name in peer.RULES:
        (rules / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(bundled("rules") / name, rules / name)
    shutil.copytree(bundled("regulations"), regulations)
    return rules, regulations


def print_peer(counts: list[int], paths: list[Path], warm: Path, engines: list[str], data: Path) -> None:
    rules = peer_snapshot(Path(tempfile.mkdtemp(prefix="peer-", dir=data.parent)))
    print()
    print(f"peer: the same {len(list(rules[0].rglob('*.yaml')))} rules written by hand (bench/peer.py) on the same files; "
          "both totals include reading the YAML (hallcheck: load, validate, audit; by hand: the C loader)")
    header = f"{'halls':>6} {'engine':>8} {'audit s':>8} {'by hand s':>9} {'audit/hand':>10}  verdicts (engine / by hand)"
    print(header)
    print("-" * len(header))
    for count in counts:
        floor = measure("peer", "-", paths[:count], warm)
        for engine in engines:
            audit = measure("audit", engine, paths[:count], warm, rules=rules)
            same = Counter(audit["statuses"]) == Counter(floor["statuses"])
            tallies = " / ".join(", ".join(f"{k} {v}" for k, v in sorted(t.items())) for t in (audit["statuses"], floor["statuses"]))
            print(f"{count:>6} {engine:>8} {audit['cpu_seconds']:>8.2f} {floor['cpu_seconds']:>9.2f} "
                  f"{audit['cpu_seconds'] / floor['cpu_seconds']:>9.1f}x  {'same' if same else 'DIFFERENT'}: {tallies}",
                  flush=True)


# ------------------------------------------------------------------ the table

def _mb(kb: float) -> str:
    return f"{kb / 1024:.0f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def use_snapshot(data: Path, rules_from: str | None) -> int:
    global RULES
    into = Path(tempfile.mkdtemp(prefix="rules-", dir=data.parent))
    rules, regulations, count = snapshot_rules(into, Path(rules_from) if rules_from else None)
    RULES = (rules, regulations)
    return count


def run_benchmark(args) -> int:
    counts = sorted(set(args.halls))
    data = Path(args.data) / f"seed-{args.seed}"
    paths = ensure_data(data, max(counts), args.seed)
    warm = warmup_file(data, args.seed)
    rule_count = use_snapshot(data, args.rules)
    sizes = [p.stat().st_size for p in paths]
    print(f"hallcheck benchmark: seed {args.seed}, {rule_count} rules, data in {data}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)", flush=True)
    header = (f"{'halls':>6} {'YAML MB':>8} {'parse s':>8} {'engine':>8} {'audit s':>8} {'(wall)':>8} {'halls/s':>8} "
              f"{'audit/parse':>11} {'target':>7} {'':>6} {'RSS MB base':>11} {'peak':>6}")
    print(header)
    print("-" * len(header))
    rows = []
    for count in counts:
        subset = paths[:count]
        parse = measure("parse", "-", subset, None)
        for engine in args.engines:
            audit = measure("audit", engine, subset, warm)
            ratio = audit["cpu_seconds"] / parse["cpu_seconds"]
            ok = ratio <= TARGET_RATIO[engine]
            rows.append({"halls": count, "engine": engine, "parse": parse, "audit": audit, "ratio": ratio})
            print(f"{count:>6} {sum(sizes[:count]) / 1e6:>8.1f} {parse['cpu_seconds']:>8.2f} {engine:>8} "
                  f"{audit['cpu_seconds']:>8.2f} {audit['seconds']:>8.2f} {count / audit['cpu_seconds']:>8.2f} {ratio:>10.1f}x "
                  f"{'<= ' + format(TARGET_RATIO[engine], 'g') + 'x':>7} {_verdict(ok):>6} "
                  f"{_mb(audit['rss_before_kb']):>11} {_mb(audit['rss_peak_kb']):>6}", flush=True)
            if audit["statuses"].get("unusable"):
                print(f"  warning: {audit['statuses']['unusable']} generated hall(s) were unusable", flush=True)
    print("times are CPU seconds of the measured loop (time.process_time), which a busy machine disturbs less "
          "than wall time; halls/s and audit/parse use them")
    print(f"parse: peak RSS {', '.join(_mb(r['parse']['rss_peak_kb']) for r in rows[::len(args.engines)])} MB "
          f"for {', '.join(str(c) for c in counts)} halls")
    print()
    print("memory (peak RSS of the audit child, smallest -> largest count; target: flat, <= "
          f"{FLAT_MEMORY:.2f}x):")
    for engine in args.engines:
        mine = [r for r in rows if r["engine"] == engine]
        first, last = mine[0]["audit"]["rss_peak_kb"], mine[-1]["audit"]["rss_peak_kb"]
        steps = " -> ".join(f"{_mb(r['audit']['rss_peak_kb'])}" for r in mine)
        print(f"  {engine:>8}: {steps} MB ({last / first:.2f}x) {_verdict(last <= first * FLAT_MEMORY)}")
    if not args.no_peer:
        print_peer(counts, paths, warm, args.engines, data)
    if args.cold_runs:
        print()
        print(f"cold start: `python cli.py check FILE --engine python`, {args.cold_runs} runs; target < {TARGET_COLD_S} s")
        head = sorted(paths[: min(len(paths), 20)], key=lambda p: p.stat().st_size)
        for label, path in (("the smallest of the first 20 halls", head[0]),
                            ("the median-sized of the first 20 halls", head[len(head) // 2])):
            walls, cpus = cold_start(path, args.cold_runs)
            median = statistics.median(walls)
            print(f"  {path.name} ({label}, {path.stat().st_size / 1e3:.0f} kB): wall min {min(walls):.2f} s, "
                  f"median {median:.2f} s; CPU min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s "
                  f"{_verdict(median < TARGET_COLD_S)}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=dict))
    return 0


def run_profile(args) -> int:
    count = max(args.halls)
    data = Path(args.data) / f"seed-{args.seed}"
    paths = ensure_data(data, count, args.seed)
    use_snapshot(data, args.rules)
    out = str(Path(tempfile.gettempdir()) / f"hallcheck-{args.profile}-{count}.prof")
    result = measure("audit", args.profile, paths[:count], warmup_file(data, args.seed), profile=out)
    print(f"{count} halls, {args.profile}: {result['seconds']:.2f} s under cProfile; stats saved to {out}")
    return 0


def _counts(text: str) -> list[int]:
    try:
        counts = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text}")
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("hall counts must be at least 1")
    return counts


def engine_list(text: str) -> list[str]:
    engines = [part.strip() for part in text.split(",") if part.strip()]
    if not engines or set(engines) - set(TARGET_RATIO):
        raise argparse.ArgumentTypeError("engines are python and durable")
    return engines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--halls", type=_counts, default=list(DEFAULT_COUNTS),
                        help="comma-separated hall counts (default 1,100,1000,10000; 10,000 takes hours)")
    parser.add_argument("--engines", type=engine_list, default=["python", "durable"], help="default python,durable")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "hallcheck-bench"),
                        help="where generated halls are cached (default $TMPDIR/hallcheck-bench)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold-start runs (0 to skip)")
    parser.add_argument("--rules", help="audit with the rules in this directory instead of the bundled ones")
    parser.add_argument("--source", help="the hallcheck source tree to measure (default: this checkout); "
                                         "a copy keeps a long run on one revision while the checkout changes")
    parser.add_argument("--no-peer", action="store_true", help="leave out the hand-written peer column")
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--profile", choices=sorted(TARGET_RATIO),
                        help="instead of the table: cProfile one engine over the largest --halls count")
    parser.add_argument("--worker", choices=["audit", "parse", "peer", "peer-evaluate", "read", "evaluate"], help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    parser.add_argument("--rules-dir", help=argparse.SUPPRESS)
    parser.add_argument("--regulations-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.source:
        global SOURCE
        SOURCE = Path(args.source).resolve()
    if args.worker:
        worker(args.worker, args.engine, args.list, args.warmup, args.profile_out, args.rules_dir, args.regulations_dir)
        return 0
    if args.profile:
        return run_profile(args)
    return run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
