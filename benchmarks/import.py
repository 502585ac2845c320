"""How fast `roi-tracker import` loads a large cost file, against a floor measured in the same run.

Writes 1,000 projects and 1,000,000 cost rows as CSV in a temporary folder. The floor is the
same cost file parsed with the csv module and inserted with plain sqlite3 ``executemany``
into the same (migrated) schema, without any validation, on a connection with sqlite3's
defaults (no foreign key checks, a 2 MB page cache). The import is the real one
(``import_files``: reading, every rule checked, natural-key upsert, one transaction) on the
application's engine (``make_engine``: foreign keys, WAL, a 64 MB page cache), run in a
child process so that its peak memory (max RSS) is its own.

    .venv/bin/python benchmarks/import.py [--rows 1000000] [--projects 1000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roi_tracker.domain.vocabulary import CostCategory, CostStatus, Recurrence  # noqa: E402
from roi_tracker.store import migrate  # noqa: E402

GOAL_ROWS_PER_SECOND = 50_000
GOAL_RATIO = 5.0
GOAL_PEAK_MB = 1024


def write_files(folder: Path, projects: int, rows: int) -> tuple[Path, Path]:
    rng = random.Random(7)
    projects_csv, costs_csv = folder / "projects.csv", folder / "costs.csv"
    with projects_csv.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["key", "name", "start_date", "stage"])
        for i in range(projects):
            writer.writerow(
                [f"P{i:05d}", f"Project {i}", f"20{rng.randint(20, 26)}-01-01", "pilot"]
            )
    categories = [c.value for c in CostCategory]
    recurrences = [r.value for r in Recurrence]
    statuses = [s.value for s in CostStatus]
    with costs_csv.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "project_key",
                "key",
                "date",
                "category",
                "amount",
                "recurrence",
                "end_date",
                "status",
                "low",
                "high",
                "description",
            ]
        )
        for i in range(rows):
            cents = rng.randint(100, 10_000_000)
            year, month = rng.randint(2020, 2029), rng.randint(1, 12)
            writer.writerow(
                [
                    f"P{i % projects:05d}",
                    f"C{i:07d}",
                    f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
                    rng.choice(categories),
                    f"{cents / 100:.2f}",
                    rng.choice(recurrences),
                    f"{year + 1}-{month:02d}-01" if i % 3 == 0 else "",
                    rng.choice(statuses),
                    f"{cents * 8 // 10 / 100:.2f}" if i % 2 else "",
                    f"{cents * 12 // 10 / 100:.2f}" if i % 2 else "",
                    "cloud spend" if i % 5 else "",
                ]
            )
    return projects_csv, costs_csv


def floor(database: Path, projects_csv: Path, costs_csv: Path) -> float:
    """Seconds for csv.reader + sqlite3 executemany of the cost file, no checks at all."""
    migrate.upgrade(f"sqlite:///{database}")
    connection = sqlite3.connect(database)
    with projects_csv.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        connection.executemany(
            "INSERT INTO projects (key, name, start_date, stage, probability_of_success,"
            " cost_contingency, risk_premium, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 1, 0, 0, 'now', 'now')",
            reader,
        )
    connection.commit()
    ids = dict(connection.execute("SELECT key, id FROM projects"))
    start = time.perf_counter()
    with costs_csv.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        connection.executemany(
            "INSERT INTO costs (project_id, key, date, category, amount, recurrence, end_date,"
            " status, low, high, description, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'now', 'now')",
            (
                (ids[r[0]], *r[1:6], r[6] or None, r[7], r[8] or None, r[9] or None, r[10] or None)
                for r in reader
            ),
        )
    connection.commit()
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def run_import(database: Path, projects_csv: Path, costs_csv: Path) -> None:
    """In the child process: the real import; prints its seconds."""
    from roi_tracker.importing.loader import import_files
    from roi_tracker.store import make_engine

    url = f"sqlite:///{database}"
    migrate.upgrade(url)
    engine = make_engine(url)
    import_files(engine, [projects_csv])
    start = time.perf_counter()
    report = import_files(engine, [costs_csv])
    seconds = time.perf_counter() - start
    assert report.counts["costs"].created > 0
    print(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_import(*map(Path, args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"writing {args.projects:,} projects and {args.rows:,} cost rows ...")
        projects_csv, costs_csv = write_files(folder, args.projects, args.rows)
        size_mb = costs_csv.stat().st_size / 2**20
        floor_seconds = floor(folder / "floor.db", projects_csv, costs_csv)
        child = [
            sys.executable,
            __file__,
            "--child",
            str(folder / "import.db"),
            str(projects_csv),
            str(costs_csv),
        ]
        output = subprocess.run(child, check=True, capture_output=True, text=True).stdout
        import_seconds = float(output.split()[-1])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate, floor_rate = args.rows / import_seconds, args.rows / floor_seconds
    ratio = import_seconds / floor_seconds
    print(f"cost file: {args.rows:,} rows, {size_mb:.0f} MB")
    print(f"floor (csv + sqlite3, no checks): {floor_seconds:.2f} s, {floor_rate:,.0f} rows/s")
    print(
        f"import (validated, upserted, one transaction): {import_seconds:.2f} s, {rate:,.0f} rows/s"
    )
    print(f"ratio import / floor: {ratio:.2f}x (goal <= {GOAL_RATIO:g}x)")
    verdict = "met" if rate >= GOAL_ROWS_PER_SECOND else "NOT met"
    print(f"rows/s goal >= {GOAL_ROWS_PER_SECOND:,}: {verdict}")
    print(f"peak memory of the import process: {peak_mb:.0f} MB (goal < {GOAL_PEAK_MB} MB)")


if __name__ == "__main__":
    main()
