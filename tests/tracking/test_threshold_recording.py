"""Threshold crossings are recorded once even when several processes record at the same time."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from tracking_portfolio import store_portfolio

from roi_tracker.access import Actor
from roi_tracker.services import tracking
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import BudgetThresholdCrossing

WRITERS = 4


def record_concurrently(url: str) -> list[list]:
    """Every writer has an engine of its own (a process of its own would, too)."""
    engines = [make_engine(url) for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    returned: list[list] = [[] for _ in range(WRITERS)]
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            with session_scope(engines[index]) as session:
                start.wait()
                new = tracking.record_threshold_crossings(
                    session,
                    actor=Actor.scheduler(),
                    as_of=date(2025, 4, 30),
                    now=datetime(2025, 5, 1, tzinfo=UTC),
                    default_horizon_months=36,
                )
            returned[index] = new[["category", "threshold_percent"]].values.tolist()
        except BaseException as exc:  # surfaced below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert not errors, errors
    return returned


def assert_recorded_once(url: str) -> None:
    engine = make_engine(url)
    store_portfolio(engine)
    returned = record_concurrently(url)
    everything = sorted(row for rows in returned for row in rows)
    assert everything == [["licensing", 50], ["licensing", 75], ["licensing", 90]]
    with session_scope(engine) as session:
        stored = session.execute(select(func.count()).select_from(BudgetThresholdCrossing))
        assert stored.scalar() == 3
    assert record_concurrently(url) == [[]] * WRITERS
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_recording_on_postgresql(postgres_url):
    migrate.upgrade(postgres_url)
    assert_recorded_once(postgres_url)


def test_concurrent_recording_on_sqlite(db_url):
    assert_recorded_once(db_url)
