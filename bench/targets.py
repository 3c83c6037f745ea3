"""Every speed and memory target of hallcheck in one table: the figure, the target, met or not.

    python bench/targets.py              # everything (memory up to 1,000 halls: about 10 minutes)
    python bench/targets.py --quick      # memory up to 100 halls only (a couple of minutes)

Each figure is measured in a fresh child process (bench/run.py's workers), on the generated
halls of bench/generate.py (seed 0, cached in $TMPDIR/hallcheck-bench) and a snapshot of the
bundled rules:

- total audit / bare parse: CPU seconds of `audit_file` (load, validate, audit) over 100
  generated halls, divided by the CPU seconds of `yaml.load(f, Loader=yaml.CSafeLoader)` on the
  same files; with every bundled rule, and with only the rules bench/peer.py writes by hand.
- rule evaluation / hand-written: the rules alone (`audit_hall` on halls read beforehand)
  against bench/peer.py's functions alone (on halls parsed beforehand), the same rules.
- the 开封 city centre: `audit_file` of the generated ones (the largest halls, about 1,000 items
  and 600 cases each), every bundled rule.
- memory: the child's peak RSS (wait4) reading (load + validate), and auditing, the largest
  hall alone and then all of them (1,000); flat means within 10 % of the largest hall's.
- start-up: wall seconds (median) of `python cli.py check <village station> --engine python`
  with a warm rule cache, and of `python cli.py --help`, each a fresh process.

Wall times suffer on a busy machine: the load average is printed with them. Nothing asserts a
figure; the table says which targets are met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402 - bench/run.py: the data set, the rule snapshots and the measuring children

ROOT = HERE.parent
VILLAGE = ROOT / "samples" / "jining-xizhuang-village-station-noncompliant.yaml"
TOTAL_OVER_PARSE = 1.3  # Rego (regorus) on the same rules: 1.33
EVALUATION_OVER_HAND = 20.0
KAIFENG_S = 0.5
FLAT = 0.10
CHECK_S = 0.25
HELP_S = 0.15


def row(name: str, figure: str, target: str, met: bool) -> None:
    print(f"{name:<58} {figure:>16}   {target:<12} {'met' if met else 'NOT MET'}", flush=True)


def ratio(over: dict, under: dict) -> float:
    return over["cpu_seconds"] / under["cpu_seconds"]


def total_over_parse(paths: list[Path], warm: Path, peer_rules: tuple) -> None:
    parse = run.measure("parse", "-", paths, None)
    for label, rules in (("every bundled rule", None), (f"the {len(list(peer_rules[0].rglob('*.yaml')))} hand-written rules", peer_rules)):
        audit = run.measure("audit", "python", paths, warm, rules=rules)
        row(f"total audit / bare C-loader parse, {len(paths)} halls, {label}",
            f"{ratio(audit, parse):.2f}x", f"<= {TOTAL_OVER_PARSE}x", ratio(audit, parse) <= TOTAL_OVER_PARSE)
    read = run.measure("read", "-", paths, warm)
    print(f"{'':<4}(of which reading: load + validate {read['cpu_seconds'] / parse['cpu_seconds']:.2f}x the parse; "
          f"parse {parse['cpu_seconds'] * 1000 / len(paths):.0f} ms per hall)")


def evaluation_over_hand(paths: list[Path], warm: Path, peer_rules: tuple, engines: list[str]) -> None:
    hand = run.measure("peer-evaluate", "-", paths, None)
    for engine in engines:
        engine_run = run.measure("evaluate", engine, paths, warm, rules=peer_rules)
        same = Counter(engine_run["statuses"]) == Counter(hand["statuses"])
        row(f"rule evaluation / hand-written Python, {engine}{'' if same else ' (verdicts differ)'}",
            f"{ratio(engine_run, hand):.1f}x", f"<= {EVALUATION_OVER_HAND:g}x",
            ratio(engine_run, hand) <= EVALUATION_OVER_HAND)
        if not same:
            print(f"{'':<4}(verdicts: {dict(sorted(engine_run['statuses'].items()))} by {engine}, "
                  f"{dict(sorted(hand['statuses'].items()))} by hand)")


def kaifeng(paths: list[Path], warm: Path, engines: list[str]) -> None:
    centres = paths[::20]  # hall 0 of every deck of 20 is the generated 开封 city centre (bench/generate.py)
    for engine in engines:
        audit = run.measure("audit", engine, centres, warm)
        each = audit["cpu_seconds"] / len(centres)
        row(f"the 开封 city centre (generated, {len(centres)} of them), {engine}", f"{each:.2f} s each",
            f"< {KAIFENG_S} s", each < KAIFENG_S)


def memory(paths: list[Path], warm: Path, engines: list[str]) -> None:
    """Peak memory of the largest hall alone against all of them: a run's memory should be that
    of its largest hall, not grow with their number (the generated halls differ in size, so the
    first hall is no baseline)."""
    largest = max(paths, key=lambda path: path.stat().st_size)
    for mode, engine in [("read", "-")] + [("audit", engine) for engine in engines]:
        one, many = (run.measure(mode, engine, subset, warm)["rss_peak_kb"] for subset in ([largest], paths))
        label = "reading (load + validate)" if mode == "read" else f"audit, {engine}"
        row(f"peak memory, largest hall -> {len(paths):,} halls, {label}", f"{one / 1024:.0f} -> {many / 1024:.0f} MB",
            f"<= +{FLAT:.0%}", many <= one * (1 + FLAT))


def wall_seconds(command: list[str], runs: int) -> float:
    """The median wall seconds of `command` run as fresh processes, after one run to warm caches."""
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def start_up(runs: int) -> None:
    check = wall_seconds([sys.executable, "cli.py", "check", str(VILLAGE.relative_to(ROOT)), "--engine", "python"], runs)
    row(f"`hallcheck check` one village station, warm rule cache", f"{check:.2f} s", f"< {CHECK_S} s", check < CHECK_S)
    shown = wall_seconds([sys.executable, "cli.py", "--help"], runs)
    row("`hallcheck --help`", f"{shown:.2f} s", f"< {HELP_S} s", shown < HELP_S)
    print(f"{'':<4}(wall medians of {runs} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s))")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="memory up to 100 halls instead of 1,000")
    parser.add_argument("--engines", type=run.engine_list, default=["python", "durable"], help="default python,durable")
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per start-up figure")
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "hallcheck-bench"))
    args = parser.parse_args(argv)
    data = Path(args.data) / "seed-0"
    largest = 100 if args.quick else 1000
    paths = run.ensure_data(data, largest, 0)
    warm = run.warmup_file(data, 0)
    rule_count = run.use_snapshot(data, None)
    peer_rules = run.peer_snapshot(Path(tempfile.mkdtemp(prefix="peer-", dir=data.parent)))
    print(f"hallcheck targets: {rule_count} rules, generated halls in {data}, Python {sys.version.split()[0]}; "
          "CPU seconds unless said otherwise")
    print(f"{'measure':<58} {'figure':>16}   {'target':<12}")
    print("-" * 100)
    total_over_parse(paths[:100], warm, peer_rules)
    evaluation_over_hand(paths[:100], warm, peer_rules, args.engines)
    kaifeng(paths[:100], warm, args.engines)
    memory(paths[:largest], warm, args.engines)
    start_up(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
