"""An import's memory is bounded by the size of its files: a wide file is not held whole."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from roi_tracker.store import make_engine
from roi_tracker.store.tables import Cost

FILE_MB = 20
DESCRIPTION = 2_000  # characters of each row's description
ALLOWED_BASE_MB = 150

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from roi_tracker.access import Actor
    from roi_tracker.services import transfer
    from roi_tracker.store import make_engine

    url, folder = sys.argv[1], Path(sys.argv[2])
    engine = make_engine(url)
    names = ["projects.csv", "costs.csv"]
    assert transfer.check_import(engine, folder, names, actor=Actor.command_line()).ok
    transfer.run_import(engine, folder, names, actor=Actor.command_line())
    # the peak RSS of this program: ru_maxrss would also count the pytest process that
    # started it (Linux keeps the parent's high-water mark across fork and exec)
    status = Path("/proc/self/status").read_text().splitlines()
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    """
)


def write_wide_costs(folder: Path, megabytes: int) -> Path:
    rng = random.Random(5)
    with (folder / "projects.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["key", "name", "start_date"])
        writer.writerows([f"P{i}", f"Project {i}", "2025-01-01"] for i in range(10))
    path = folder / "costs.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["project_key", "key", "date", "category", "amount", "description"])
        row = 0
        while file.tell() < megabytes * 2**20:
            text = "".join(rng.choices("abcdefgh ", k=DESCRIPTION))
            writer.writerow([f"P{row % 10}", f"C{row}", "2025-02-01", "data", "12.50", text])
            row += 1
    return path


def test_a_wide_file_is_imported_in_at_most_three_times_its_size_and_150_mb(db_url, tmp_path):
    costs = write_wide_costs(tmp_path, FILE_MB)
    size_mb = costs.stat().st_size / 2**20

    result = subprocess.run(
        [sys.executable, "-c", CHILD, db_url, str(tmp_path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip

    peak_mb = int(result.stdout.split()[-1]) / 1024  # VmHWM is in KiB
    assert peak_mb <= 3 * size_mb + ALLOWED_BASE_MB, f"{peak_mb:.0f} MB for {size_mb:.0f} MB"
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            stored = session.execute(select(func.count()).select_from(Cost)).scalar_one()
    finally:
        engine.dispose()
    assert stored > FILE_MB * 2**20 / (DESCRIPTION + 100)
