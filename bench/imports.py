"""hallcheck import benchmark: a year of cases (100,000 rows) read from a ledger.

    python bench/imports.py                      # 100,000 rows, as .xlsx and as GB18030 .csv
    python bench/imports.py --rows 20000 --formats csv

Writes a case export (a title row, headers, Chinese dates in one column and date cells in
another, every 50th row blank) once into a temporary directory, then, in a fresh child process
per format, times reading it into a hall (`checker.input.imports.merged_document`, which is the rows
read, normalised and merged) and then validating the hall (`validate_hall`), and reports the
child's peak memory (maxrss). Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["办件编号", "事项编码", "办件类别", "受理时间", "办结时间", "受理人"]


def case_rows(count: int):
    start = dt.date(2024, 1, 2)
    for number in range(count):
        if number % 50 == 49:
            yield [""] * len(HEADER)
            continue
        applied = start + dt.timedelta(days=number % 360)
        done = applied + dt.timedelta(days=number % 7)
        yield [f"B{number:06d}", f"{1000 + number % 300}", "企业开办" if number % 9 == 0 else "一般事项",
               f"{applied.year}年{applied.month}月{applied.day}日", done, f"S{number % 40:02d}"]


def write_xlsx(path: Path, count: int) -> None:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("办件明细")
    sheet.append(["办件明细（2024年）"])
    sheet.append(HEADER)
    for row in case_rows(count):
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, count: int) -> None:
    import csv
    with open(path, "w", encoding="gb18030", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["办件明细（2024年）"])
        writer.writerow(HEADER)
        for row in case_rows(count):
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])


def measure(folder: str, ledger: str) -> None:
    """In a child: time the import and the validation, print JSON."""
    sys.path.insert(0, str(ROOT))
    from checker.input import imports
    from checker.input.load import load_file
    from checker.input.validate import validate_hall
    map_path = os.path.join(folder, f"map-{ledger}.yaml")
    with open(map_path, "w", encoding="utf-8") as stream:
        stream.write(f"sources:\n  - {{file: {ledger}, into: cases, layout: cases}}\n")
    sources = imports.load_mapping(map_path, map_path)
    started, cpu = time.perf_counter(), time.process_time()
    document = imports.merged_document(load_file(os.path.join(folder, "base.yaml")), sources)
    read_s, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    hall = validate_hall(document)
    validate_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": len(hall.data["cases"]), "read_s": read_s, "read_cpu_s": read_cpu,
                      "validate_s": validate_s, "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "base.yaml").write_text((ROOT / "ledgers" / "base.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")  # the README example's hall
        print(f"{args.rows:,} case rows; seconds are wall time, peak memory the child's maxrss")
        print(f"{'ledger':<10} {'size MB':>8} {'write s':>8} {'records':>8} {'import s':>9} {'rows/s':>9} "
              f"{'validate s':>10} {'peak MB':>8}")
        for suffix in args.formats.split(","):
            ledger = f"cases.{suffix}"
            started = time.perf_counter()
            (write_xlsx if suffix == "xlsx" else write_csv)(Path(folder, ledger), args.rows)
            written = time.perf_counter() - started
            out = subprocess.run([sys.executable, __file__, "--child", folder, ledger], capture_output=True,
                                 text=True, check=True).stdout
            got = json.loads(out)
            size = os.path.getsize(Path(folder, ledger)) / 1e6
            print(f"{suffix:<10} {size:>8.1f} {written:>8.1f} {got['records']:>8,} {got['read_s']:>9.2f} "
                  f"{got['records'] / got['read_s']:>9,.0f} {got['validate_s']:>10.2f} {got['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
