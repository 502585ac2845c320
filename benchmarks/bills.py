"""How fast `roi-tracker bills import` reads, stores and allocates a large FOCUS export.

Writes a FOCUS 1.2 CSV of 1,000,000 hourly rows (several providers, sub accounts, services,
resources, tags, an ``x_`` column, credits) in a temporary folder. The floor, measured in the
same run, is the same file read with pyarrow and grouped by the allocation keys (day, sub
account, service, resource, tags, currency, charge category) with the costs summed, nothing
else. The import is the real one (``import_bills``: content sniffing, every cell checked,
exact decimal sums, lines stored in a migrated SQLite database, allocation by 40 rules,
monthly project costs written, one transaction), run in a child process so that its peak
memory (max RSS) is its own.

    .venv/bin/python benchmarks/bills.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL_SECONDS = 20.0
GOAL_RATIO = 3.0
GOAL_PEAK_MB = 1536
PROJECTS = 20
HEADER = [
    "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency",
    "BillingAccountId", "BillingAccountName", "BillingPeriodStart", "BillingPeriodEnd",
    "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeFrequency",
    "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceCategory", "ServiceName",
    "SubAccountId", "SubAccountName", "ResourceId", "ConsumedQuantity", "ConsumedUnit", "Tags",
    "x_UsageType",
]  # fmt: skip
SERVICES = [
    ("AWS", "Amazon Bedrock", "AI and Machine Learning"),
    ("AWS", "Amazon SageMaker", "AI and Machine Learning"),
    ("AWS", "Amazon EC2", "Compute"),
    ("AWS", "Amazon S3", "Storage"),
    ("Microsoft", "Azure OpenAI", "AI and Machine Learning"),
    ("Microsoft", "Virtual Machines", "Compute"),
    ("Google Cloud", "Vertex AI", "AI and Machine Learning"),
    ("Google Cloud", "BigQuery", "Databases"),
]
KEYS = ["day", "SubAccountName", "ServiceName", "ResourceId", "Tags", "BillingCurrency",
        "ChargeCategory"]  # fmt: skip


def write_focus(path: Path, rows: int) -> None:
    rng = random.Random(11)
    resources = [
        (f"sub-{r % 40:02d}", rng.choice(SERVICES), f"res-{r:04d}", f"P{r % PROJECTS:02d}")
        for r in range(400)
    ]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            sub, (provider, service, category), resource_id, project = resources[i % 400]
            hour = (i // 400) % 720
            day, at = 1 + hour // 24, hour % 24
            start = f"2025-11-{day:02d}T{at:02d}:00:00Z"
            end = f"2025-11-{day:02d}T{at:02d}:59:59Z"
            credit = i % 97 == 0
            cost = -rng.randint(1, 10**6) / 10**8 if credit else rng.randint(1, 10**9) / 10**10
            amount = f"{cost:.10f}"
            tags = json.dumps({"project": project, " env ": "prod"}) if i % 5 else "{}"
            writer.writerow([
                amount, amount, amount, amount, "USD", "1111", "Acme",
                "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z", start, end,
                "Credit" if credit else "Usage", "NULL", "Usage-Based", provider, provider,
                provider, category, service, sub, f"team-{sub}", resource_id,
                str(rng.randint(1, 5000)), "Tokens", tags, f"{service[:3]}-units",
            ])  # fmt: skip


def floor(path: Path) -> tuple[float, float]:
    """Seconds (wall clock, CPU) to read the file with pyarrow and group it by the keys."""
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    start, cpu = time.perf_counter(), time.process_time()
    table = pacsv.read_csv(path)
    day = pc.utf8_slice_codeunits(table.column("ChargePeriodStart").cast("string"), 0, 10)
    table = table.append_column("day", day)
    grouped = table.group_by(KEYS).aggregate([("EffectiveCost", "sum"), ("BilledCost", "sum")])
    assert grouped.num_rows > 0
    return time.perf_counter() - start, time.process_time() - cpu


def run_import(database: Path, focus: Path) -> None:
    """In the child process: projects and rules, then the real import; prints its seconds."""
    from roi_tracker.access import Actor
    from roi_tracker.services import bills, records
    from roi_tracker.store import make_engine, migrate, session_scope

    url = f"sqlite:///{database}"
    migrate.upgrade(url)
    engine = make_engine(url)

    def _save(session, entity: str, values: dict) -> str:
        return records.save_record(session, entity, values, actor=Actor.command_line())

    with session_scope(engine) as session:
        for p in range(PROJECTS):
            key = f"P{p:02d}"
            _save(session, "projects", {"key": key, "name": key, "start_date": "2025-01-01"})
            _save(session, "allocation_rules", {
                "project_key": key, "priority": 10, "match": "tag:project", "pattern": key,
            })  # fmt: skip
            _save(session, "allocation_rules", {
                "project_key": key, "priority": 20, "match": "SubAccountName",
                "pattern": f"team-sub-{p:02d}", "match_type": "glob",
            })  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        result = bills.import_bills(
            session, [(focus.name, focus)], actor=Actor.command_line(), reporting_currency="USD"
        )
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    assert result.files[0].status == "imported" and result.allocated_lines > 0
    print(result.files[0].lines, seconds, cpu_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_import(*map(Path, args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        focus = folder / "focus.csv"
        print(f"writing a FOCUS export of {args.rows:,} rows ...")
        write_focus(focus, args.rows)
        size_mb = focus.stat().st_size / 2**20
        floor_seconds, floor_cpu = floor(focus)
        child = [sys.executable, __file__, "--child", str(folder / "bills.db"), str(focus)]
        output = subprocess.run(child, check=True, capture_output=True, text=True).stdout
        lines, import_seconds, import_cpu = output.split()[-3:]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    seconds, ratio = float(import_seconds), float(import_seconds) / floor_seconds
    print(f"FOCUS file: {args.rows:,} rows, {size_mb:.0f} MB; stored as {int(lines):,} lines")
    print(
        f"floor (pyarrow read + group by the allocation keys): {floor_seconds:.2f} s "
        f"({floor_cpu:.2f} s CPU)"
    )
    print(
        f"import (read, checked, stored, allocated, one transaction): {seconds:.2f} s "
        f"({float(import_cpu):.2f} s CPU)"
    )
    print(f"seconds goal <= {GOAL_SECONDS:g}: {'met' if seconds <= GOAL_SECONDS else 'NOT met'}")
    print(f"ratio import / floor: {ratio:.2f}x (goal <= {GOAL_RATIO:g}x)")
    print(f"peak memory of the import process: {peak_mb:.0f} MB (goal < {GOAL_PEAK_MB} MB)")


if __name__ == "__main__":
    main()
