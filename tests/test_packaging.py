"""The built wheel carries the migrations, so an installed `roi-tracker init` works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import create_engine, inspect

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
    assert any(n.startswith("roi_tracker/migrations/versions/0001_") for n in names)

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
    result = subprocess.run(
        [sys.executable, "-m", "roi_tracker", "init", "--database-url", f"sqlite:///{database}"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [sys.executable, "-c", "import roi_tracker.store.migrate as m; print(m.migrations_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(located.stdout.strip()).is_relative_to(target)
    engine = create_engine(f"sqlite:///{database}")
    assert "projects" in inspect(engine).get_table_names()
    engine.dispose()
