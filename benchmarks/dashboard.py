"""How fast the Portfolio page renders server-side with a large portfolio.

Builds 1,000 projects with 20,000 cost and 10,000 benefit rows in a temporary SQLite file,
renders the Portfolio page with Streamlit's AppTest (the app opened once, then the page
rendered again: cold with empty caches, warm with the cached reads), and compares with the
same page on an empty portfolio measured in the same run. It also counts the SQL
statements each render runs, to show none runs per project.

    .venv/bin/python benchmarks/dashboard.py [--projects 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from roi_tracker.config import get_settings  # noqa: E402
from roi_tracker.domain.vocabulary import (  # noqa: E402
    BenefitCategory,
    CostCategory,
    Recurrence,
    Stage,
)
from roi_tracker.store import make_engine, migrate, session_scope  # noqa: E402
from roi_tracker.store.db import StatementCounter  # noqa: E402
from roi_tracker.store.tables import (  # noqa: E402
    Benchmark,
    Benefit,
    Cost,
    Decision,
    Kpi,
    Measurement,
    Project,
)

GOAL_SECONDS = 2.0
PAGE = "app_pages/portfolio.py"


def build_portfolio(
    url: str,
    projects: int,
    costs: int,
    benefits: int,
    seed: int = 7,
    *,
    kpis_per_project: int = 0,
    measurements_per_kpi: int = 0,
) -> None:
    """Random but plausible projects, costs and benefits, bulk-inserted through the ORM.

    With ``kpis_per_project``, each project also gets that many KPIs, each with
    ``measurements_per_kpi`` monthly measurements, a benchmark, and the project a decision.
    """
    rng = random.Random(seed)
    units = ["Finance", "Marketing", "Operations", "Service", "Sales", "HR"]
    use_cases = ["assistant", "automation", "forecasting", "personalisation", "vision"]
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.execute(
            insert(Project),
            [
                {
                    "key": f"p{i:04d}",
                    "name": f"Project {i}",
                    "business_unit": rng.choice(units),
                    "owner": f"Owner {i % 37}",
                    "use_case": rng.choice(use_cases),
                    "stage": rng.choice(list(Stage)).value,
                    "start_date": date(2023 + i % 3, 1 + i % 12, 1),
                    "horizon_months": rng.choice([24, 36, 48]),
                    "probability_of_success": round(rng.uniform(0.4, 1.0), 2),
                    "cost_contingency": 0.1,
                }
                for i in range(projects)
            ],
        )
        ids = list(session.execute(select(Project.id)).scalars())

        def item(i: int, status: str) -> dict:
            project_id = ids[i % len(ids)]
            amount = Decimal(rng.randrange(1_000, 60_000))
            return {
                "project_id": project_id,
                "key": f"item{i}",
                "date": date(2023 + i % 3, 1 + i % 12, 1),
                "amount": amount,
                "recurrence": rng.choice(list(Recurrence)).value,
                "status": status,
                "low": amount * Decimal("0.8"),
                "high": amount * Decimal("1.3"),
            }

        session.execute(
            insert(Cost),
            [
                {**item(i, rng.choice(["planned", "actual"])),
                 "category": rng.choice(list(CostCategory)).value}
                for i in range(costs)
            ],
        )  # fmt: skip
        session.execute(
            insert(Benefit),
            [
                {**item(i, rng.choice(["expected", "realized"])),
                 "type": rng.choice(["hard", "soft"]),
                 "category": rng.choice(list(BenefitCategory)).value,
                 "confidence": round(rng.uniform(0.5, 1.0), 2), "ramp_months": i % 4}
                for i in range(benefits)
            ],
        )  # fmt: skip
        if kpis_per_project:
            add_kpis(session, ids, rng, kpis_per_project, measurements_per_kpi)
    engine.dispose()


def add_kpis(
    session, project_ids: list[int], rng: random.Random, per_project: int, measurements: int
) -> None:
    """KPIs with monthly measurements drifting from baseline to target, benchmarks, decisions."""
    session.execute(
        insert(Kpi),
        [
            {"project_id": project_id, "key": f"k{k}", "name": f"KPI {k} of {project_id}",
             "unit": rng.choice(["%", "hours", "days", "EUR"]), "baseline": 10.0,
             "target": rng.choice([4.0, 20.0]), "baseline_date": date(2023, 1, 1),
             "target_date": date(2024 + k % 3, 12, 31), "owner": f"Owner {project_id % 37}"}
            for project_id in project_ids
            for k in range(per_project)
        ],
    )  # fmt: skip
    kpis = session.execute(select(Kpi.id, Kpi.target)).all()
    session.execute(
        insert(Measurement),
        [
            {"kpi_id": kpi_id, "date": date(2023 + (m + 1) // 12, (m + 1) % 12 + 1, 1),
             "value": round(10.0 + (target - 10.0) * (m + 1) / measurements
                            * rng.uniform(0.6, 1.1), 2)}
            for kpi_id, target in kpis
            for m in range(measurements)
        ],
    )  # fmt: skip
    session.execute(
        insert(Benchmark),
        [{"kpi_id": kpi_id, "name": "Industry", "value": target} for kpi_id, target in kpis],
    )
    session.execute(
        insert(Decision),
        [
            {"project_id": project_id, "date": date(2024, 6, 1), "decision": "continue",
             "rationale": "On plan.", "author": "Steering committee"}
            for project_id in project_ids
        ],
    )  # fmt: skip


def open_portfolio(url: str) -> AppTest:
    """The app on ``url`` with the Portfolio (its default page) rendered once."""
    os.environ["ROI_TRACKER_DATABASE_URL"] = url
    get_settings.cache_clear()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.run()
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return at


def render_seconds(at: AppTest, *, warm: bool) -> tuple[float, int]:
    """Seconds and SQL statements to render the page again (cold: with empty caches)."""
    if not warm:
        st.cache_data.clear()
    with StatementCounter() as statements:
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return elapsed, statements.count


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--costs", type=int, default=20_000)
    parser.add_argument("--benefits", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        empty_url = f"sqlite:///{Path(folder) / 'empty.db'}"
        large_url = f"sqlite:///{Path(folder) / 'large.db'}"
        migrate.upgrade(empty_url)
        migrate.upgrade(large_url)
        started = time.perf_counter()
        build_portfolio(large_url, args.projects, args.costs, args.benefits)
        print(
            f"built {args.projects:,} projects, {args.costs:,} costs, {args.benefits:,} "
            f"benefits in {time.perf_counter() - started:.1f} s"
        )
        results = {}
        for label, url in (("empty portfolio", empty_url), ("large portfolio", large_url)):
            at = open_portfolio(url)  # imports, migrations and the app's setup out of the timings
            for warm in (False, True):
                runs = [render_seconds(at, warm=warm) for _ in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                results[(label, warm)] = seconds
                print(
                    f"{label:16} {'warm' if warm else 'cold'} cache: {seconds:6.3f} s "
                    f"(median of {args.repeat}), {runs[-1][1]} SQL statements"
                )
        cold = results[("large portfolio", False)]
        print(
            f"large/empty ratio: cold {cold / results[('empty portfolio', False)]:.1f}x, "
            f"warm {results[('large portfolio', True)] / results[('empty portfolio', True)]:.1f}x"
        )
        verdict = "meets" if cold < GOAL_SECONDS else "MISSES"
        print(f"large portfolio, cold: {cold:.2f} s, {verdict} the goal of {GOAL_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
