"""How fast `roi-tracker import` loads a large cost file, against a floor measured in the same run.

Writes 1,000 projects and 1,000,000 cost rows as CSV in a temporary folder. The floor is the
same cost file parsed with the csv module and inserted with plain sqlite3 ``executemany``
into the same (migrated) schema, without any validation, on a connection with sqlite3's
defaults (no foreign key checks, a 2 MB page cache). The import is the real one
(``import_files``: reading, every rule checked, natural-key upsert, the audit trail, one
transaction) on the application's engine (``make_engine``: foreign keys, WAL), run in a
child process so that its peak memory (max RSS) is its own. After it, a re-import of the
file with a third of the rows changed (amount, description) updates them, each changed
field written to the audit trail; it compares every row with the stored one, and should take
at most 3 times the import (a lookup that grows with the stored rows would not).

The audit trail's cost: the same import and re-import run again in another child with the
audit lines left out (the loader's two audit methods replaced by no-ops), the baseline.
Compared on the children's CPU time (SQLite runs in the process), which other work on a
shared machine does not inflate as it does the wall-clock time.

Memory: a file of about 20 MB of wide rows (long description cells) is imported, then
re-imported with every description changed, in a child of its own; its peak RSS is
compared with 3 x the file's size + 150 MB.

    .venv/bin/python benchmarks/import.py [--rows 1000000] [--projects 1000] [--wide-mb 20]
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
GOAL_AUDIT_RATIO = 1.5
#: a re-import compares every row with the stored one: at most this many times the import
GOAL_REIMPORT_RATIO = 3.0
WIDE_DESCRIPTION = 2_000  # characters of a wide row's description


def write_files(
    folder: Path, projects: int, rows: int, *, changed: bool = False, description: int = 0
) -> tuple[Path, Path]:
    """Projects and cost rows; ``changed``: a third of the costs with another amount and
    description; ``description``: cells of that many characters instead of short ones."""
    rng = random.Random(7)
    words = random.Random(11 if changed else 13)
    projects_csv = folder / "projects.csv"
    costs_csv = folder / ("costs-changed.csv" if changed else "costs.csv")
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
            if changed and i % 3 == 0:
                cents += 1
            text = "cloud spend" if i % 5 else ""
            if description:
                text = "".join(words.choices("abcdefgh ", k=description))
            elif changed and i % 3 == 0:
                text = "cloud spend, revised"
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
                    text,
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


def run_import(
    database: Path, projects_csv: Path, costs_csv: Path, changed_csv: Path, audited: bool
) -> None:
    """In the child process: the real import, then the re-import of the changed file;
    prints the seconds of each and the process's peak RSS in MB."""
    from roi_tracker.access import Actor
    from roi_tracker.importing import loader
    from roi_tracker.store import make_engine

    if not audited:
        loader._Import.audit_changes = lambda *_args: None  # type: ignore[method-assign]
        loader._Import.audit_file = lambda *_args: None  # type: ignore[method-assign]
    actor = Actor.command_line()
    url = f"sqlite:///{database}"
    migrate.upgrade(url)
    engine = make_engine(url)
    loader.import_files(engine, [projects_csv], actor=actor)
    start, cpu = time.perf_counter(), time.process_time()
    report = loader.import_files(engine, [costs_csv], actor=actor)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    assert report.counts["costs"].created > 0
    start, cpu = time.perf_counter(), time.process_time()
    again = loader.import_files(engine, [changed_csv], actor=actor)
    update_seconds, update_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert again.counts["costs"].updated > 0
    print(seconds, update_seconds, cpu_seconds, update_cpu, peak_rss_mb())


def peak_rss_mb() -> float:
    """This process's peak RSS: ru_maxrss would include the parent's (Linux keeps the
    high-water mark across fork and exec), VmHWM is the program's own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: Path, name: str, files: tuple[Path, Path, Path], audited: bool) -> list[float]:
    command = [sys.executable, __file__, "--child", str(folder / name), *map(str, files)]
    if not audited:
        command.append("--no-audit")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [float(figure) for figure in output.split()[-5:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--wide-mb", type=float, default=20.0)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--no-audit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_import(*map(Path, args.child), audited=not args.no_audit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"writing {args.projects:,} projects and {args.rows:,} cost rows ...")
        projects_csv, costs_csv = write_files(folder, args.projects, args.rows)
        _, changed_csv = write_files(folder, args.projects, args.rows, changed=True)
        size_mb = costs_csv.stat().st_size / 2**20
        floor_seconds = floor(folder / "floor.db", projects_csv, costs_csv)
        files = (projects_csv, costs_csv, changed_csv)
        import_seconds, update_seconds, import_cpu, update_cpu, peak_mb = child(
            folder, "import.db", files, True
        )
        *_, base_cpu, base_update_cpu, _ = child(folder, "baseline.db", files, False)
        wide = folder / "wide"
        wide.mkdir()
        wide_rows = int(args.wide_mb * 2**20 / (WIDE_DESCRIPTION + 80))
        wide_files = (
            *write_files(wide, 10, wide_rows, description=WIDE_DESCRIPTION),
            write_files(wide, 10, wide_rows, changed=True, description=WIDE_DESCRIPTION)[1],
        )
        wide_mb = wide_files[1].stat().st_size / 2**20
        wide_peak_mb = child(wide, "wide.db", wide_files, True)[-1]
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
    updated = (args.rows + 2) // 3
    reimport = update_seconds / import_seconds
    verdict = "met" if reimport <= GOAL_REIMPORT_RATIO else "NOT met"
    print(
        f"re-import updating {updated:,} rows (audited): {update_seconds:.2f} s, {reimport:.2f}x "
        f"the import (goal <= {GOAL_REIMPORT_RATIO:g}x: {verdict})"
    )
    for what, audited, baseline in (
        ("import", import_cpu, base_cpu),
        ("re-import", update_cpu, base_update_cpu),
    ):
        ratio = audited / baseline
        verdict = "met" if ratio <= GOAL_AUDIT_RATIO else "NOT met"
        print(
            f"audit trail: {what} {audited:.2f} s CPU with it, {baseline:.2f} s without: "
            f"ratio {ratio:.2f}x (goal <= {GOAL_AUDIT_RATIO:g}x: {verdict})"
        )
    limit = 3 * wide_mb + 150
    verdict = "met" if wide_peak_mb <= limit else "NOT met"
    print(
        f"wide rows: {wide_rows:,} rows, {wide_mb:.1f} MB imported and re-imported: peak RSS "
        f"{wide_peak_mb:.0f} MB (goal <= 3 x size + 150 MB = {limit:.0f} MB: {verdict})"
    )


if __name__ == "__main__":
    main()
