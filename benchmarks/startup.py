"""How fast the command line starts, against bare Python measured in the same run.

Wall time of real processes: ``roi-tracker --help``, ``roi-tracker COMMAND --help`` for every
command and sub-command (read from the typer tree), and ``roi-tracker report --format json`` on
the demo portfolio (loaded with ``roi-tracker demo`` into a temporary SQLite file). The
baselines are ``python -c pass`` (the interpreter) and ``python -c "import typer"`` (the floor
of any typer command line). Every process runs ``--runs`` times, all of them in turns so that
a busy machine slows each alike; best and median are printed, with the ratio of the median to
each baseline. Goals, on the median: every help <= 0.3 s, the report <= 1 s.

Python runs as installed: its bytecode cached (in a temporary ``PYTHONPYCACHEPREFIX``, filled
by one untimed run of each process), even where ``PYTHONDONTWRITEBYTECODE`` is set.
``--compile`` keeps the caller's setting instead, so that a process without a cache compiles
the sources it imports on every run.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--compile]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import typer.main  # noqa: E402

from roi_tracker.cli import app  # noqa: E402

GOAL_HELP_SECONDS = 0.3
GOAL_REPORT_SECONDS = 1.0


def command_line() -> list[str]:
    """The installed ``roi-tracker`` script next to this Python, else ``python -m roi_tracker``."""
    script = Path(sys.executable).with_name("roi-tracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "roi_tracker"]


def command_paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the typer tree, the top level first."""
    paths = [path]
    for name, sub in getattr(command, "commands", {}).items():
        paths += command_paths(sub, (*path, name))
    return paths


def wall_time(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--compile", action="store_true", help="keep the caller's bytecode cache setting"
    )
    args = parser.parse_args()

    roi = command_line()
    baselines = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
    }
    helps = {
        " ".join(["roi-tracker", *path, "--help"]): [*roi, *path, "--help"]
        for path in command_paths(typer.main.get_command(app))
    }
    report = {"roi-tracker report --format json": [*roi, "report", "--format", "json"]}
    processes = {**baselines, **helps, **report}

    with tempfile.TemporaryDirectory() as folder:
        # run in the temporary folder: the caller's .env and database are not read
        env = dict(os.environ, ROI_TRACKER_DATABASE_URL=f"sqlite:///{Path(folder) / 'demo.db'}")
        if not args.compile:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        subprocess.run([*roi, "demo"], env=env, cwd=folder, check=True, capture_output=True)
        for argv in processes.values():
            wall_time(argv, env, folder)  # fills the bytecode cache; not timed
        times: dict[str, list[float]] = {name: [] for name in processes}
        for _ in range(args.runs):
            for name, argv in processes.items():
                times[name].append(wall_time(argv, env, folder))

    medians = {name: statistics.median(runs) for name, runs in times.items()}
    interpreter, typer_floor = (medians[name] for name in baselines)
    width = max(map(len, processes))
    cache = "compiled on every run" if args.compile else "cached"
    print(f"wall time of {args.runs} runs each (in turns), seconds; ratios of the medians; "
          f"bytecode {cache}")  # fmt: skip
    print(f"{'':<{width}}  {'best':>6}  {'median':>6}  {'x python':>8}  {'x typer':>7}  goal")
    for name, runs in times.items():
        goal = ""
        if name in helps or name in report:
            limit = GOAL_HELP_SECONDS if name in helps else GOAL_REPORT_SECONDS
            goal = f"<= {limit:g} s {'met' if medians[name] <= limit else 'MISSED'}"
        print(
            f"{name:<{width}}  {min(runs):6.3f}  {medians[name]:6.3f}  "
            f"{medians[name] / interpreter:7.1f}x  {medians[name] / typer_floor:6.1f}x  {goal}"
        )
    slowest_help = max(helps, key=medians.__getitem__)
    met = all(medians[n] <= GOAL_HELP_SECONDS for n in helps)
    print(
        f"help: {len(helps)} commands, slowest {slowest_help} {medians[slowest_help]:.3f} s; "
        f"goal <= {GOAL_HELP_SECONDS:g} s: {'met' if met else 'MISSED'}"
    )
    name = next(iter(report))
    verdict = "met" if medians[name] <= GOAL_REPORT_SECONDS else "MISSED"
    print(f"{name}: {medians[name]:.3f} s; goal <= {GOAL_REPORT_SECONDS:g} s: {verdict}")


if __name__ == "__main__":
    main()
