"""The built wheel carries the migrations and the demo, so an installed package works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

REPO = Path(__file__).resolve().parents[1]


def test_installed_wheel_initialises_a_database(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(wheels)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("roi_tracker-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "roi_tracker/migrations/env.py" in names
    assert "roi_tracker/services/finance/report.py" in names
    assert any(n.startswith("roi_tracker/migrations/versions/0001_") for n in names)
    stories = [n for n in names if n.startswith("roi_tracker/demo/") and n.endswith(".toml")]
    assert stories
    # every module of the source tree is in the wheel (the package list is written out)
    sources = {str(path.relative_to(REPO)) for path in (REPO / "roi_tracker").rglob("*.py")}
    assert sources <= set(names), sources - set(names)
    assert "roi_tracker/ui/chart.js" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    database = tmp_path / "installed.db"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env["PYTHONPATH"] = str(target)

    def installed(*args: str) -> subprocess.CompletedProcess[str]:
        """The installed package's Python, run away from the source tree."""
        return subprocess.run(
            [sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True
        )

    url = f"sqlite:///{database}"
    result = installed("-m", "roi_tracker", "init", "--database-url", url)
    assert result.returncode == 0, result.stderr
    located = installed("-c", "import roi_tracker.store.migrate as m; print(m.migrations_dir())")
    assert Path(located.stdout.strip()).is_relative_to(target)
    engine = create_engine(url)
    assert "projects" in inspect(engine).get_table_names()
    engine.dispose()

    demo = installed("-m", "roi_tracker", "demo", "--database-url", url)
    assert demo.returncode == 0, demo.stderr
    read = installed("-c", "import roi_tracker.services.demo as d; print(d.STORIES)")
    assert Path(read.stdout.strip()).is_relative_to(target)
    engine = create_engine(url)
    with engine.connect() as connection:
        projects = connection.execute(text("select count(*) from projects")).scalar_one()
    engine.dispose()
    assert projects == len(stories)
