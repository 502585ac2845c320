"""How fast 500 email summaries are built and rendered over the demo portfolio.

Loads the demo portfolio into a temporary SQLite file, adds 500 subscriptions (the whole
portfolio or one project each, in several time zones, half of them with a previous delivery
to compare with) and builds, renders and wraps every summary into a MIME message the way
``digest send --due`` does, without sending. The portfolio state is computed once per as-of
date and shared by all summaries; the baseline, measured in the same run, computes it for each
summary (timed on a few and scaled to 500). Goal: under 10 s for the 500.

    .venv/bin/python benchmarks/summary.py [--subscriptions 500] [--baseline-sample 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roi_tracker import clock  # noqa: E402
from roi_tracker.access import Actor  # noqa: E402
from roi_tracker.config import Settings  # noqa: E402
from roi_tracker.reporting.delivery import SummaryMaker  # noqa: E402
from roi_tracker.reporting.mailer import build_message, message_id_for  # noqa: E402
from roi_tracker.reporting.render import render_summary  # noqa: E402
from roi_tracker.reporting.subscriptions import subscribe  # noqa: E402
from roi_tracker.reporting.summary import Previous, load_state  # noqa: E402
from roi_tracker.services.demo import load_demo  # noqa: E402
from roi_tracker.store import make_engine, migrate, session_scope  # noqa: E402
from roi_tracker.store.queries import projects_frame  # noqa: E402

GOAL_SECONDS = 10.0
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
NOW = clock.now().replace(hour=12, minute=0, second=0, microsecond=0)


def setup(url: str, count: int) -> list:
    migrate.upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_demo(session, actor=Actor.command_line(), today=NOW.date())
        keys = [None, *projects_frame(session)["key"]]
        subscriptions = [
            subscribe(
                session,
                actor=Actor.command_line(),
                email=f"reader{i}@example.com",
                project_key=keys[i % len(keys)],
                frequency=("daily", "weekly", "monthly")[i % 3],
                timezone=ZONES[i % len(ZONES)],
            )
            for i in range(count)
        ]
    engine.dispose()
    return subscriptions


def make_all(url: str, settings: Settings, subscriptions: list, previous: dict) -> float:
    """Seconds to build, render and wrap every summary, state shared per as-of date."""
    engine = make_engine(url)
    started = time.perf_counter()
    with session_scope(engine) as session:
        maker = SummaryMaker(session, settings)
        for subscription in subscriptions:
            summary = maker.summary(subscription, now=NOW, previous=previous.get(subscription.id))
            build_message(
                render_summary(summary),
                sender="roi@example.com",
                recipient=subscription.email,
                message_id=message_id_for(subscription.id, "bench", sender="roi@example.com"),
                date=NOW,
            )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def baseline_per_summary(url: str, settings: Settings, subscriptions: list) -> float:
    """Seconds per summary when every summary computes the portfolio state itself."""
    engine = make_engine(url)
    timings = []
    for subscription in subscriptions:
        with session_scope(engine) as session:
            started = time.perf_counter()
            maker = SummaryMaker(session, settings, loader=load_state)
            render_summary(maker.summary(subscription, now=NOW, previous=None))
            timings.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=500)
    parser.add_argument("--baseline-sample", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = Settings(database_url=url, base_url="https://roi.example.com", _env_file=None)
        subscriptions = setup(url, args.subscriptions)

        # half of the readers got a summary a week ago: their summaries show changes
        engine = make_engine(url)
        with session_scope(engine) as session:
            maker = SummaryMaker(session, settings)
            previous = {
                s.id: Previous.from_snapshot(
                    NOW, maker.summary(s, now=NOW, previous=None).snapshot()
                )
                for s in subscriptions[::2]
            }
        engine.dispose()

        runs = [make_all(url, settings, subscriptions, previous) for _ in range(args.repeat)]
        best = min(runs)
        per_summary = baseline_per_summary(url, settings, subscriptions[: args.baseline_sample])

    count = args.subscriptions
    baseline_total = per_summary * count
    print(f"summaries built, rendered and wrapped: {count} ({len(ZONES)} time zones)")
    print(f"shared state, best of {args.repeat}: {best:.2f} s ({best / count * 1000:.1f} ms each)")
    print(f"baseline, state per summary: {per_summary * 1000:.0f} ms each, "
          f"{baseline_total:.1f} s for {count} (median of {args.baseline_sample})")  # fmt: skip
    print(f"speed-up against the baseline: {baseline_total / best:.1f}x")
    verdict = "met" if best < GOAL_SECONDS else "NOT met"
    print(f"goal < {GOAL_SECONDS:.0f} s for {count}: {verdict}")


if __name__ == "__main__":
    main()
