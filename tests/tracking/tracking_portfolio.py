"""A small portfolio stored through the ORM, whose figures the tracking tests work out by hand.

Project ``alpha`` starts on 2025-01-01 with a 12-month horizon:
- KPI ``resolution`` rises from 10 (2025-01-01) to 20 by 2025-12-31, measured 12 on
  2025-03-02 (day 60), 15 on 2025-05-01 (day 120) and 30 on 2025-07-01 (day 181);
- KPI ``handling-time`` falls from 100 to 50 by 2025-12-31, measured 95 on 2025-04-01 (day 90);
- costs: development planned 1,000.00 a month from January; actual 1,500.00 a month January
  to March; licensing planned 3,000.00 once in January and actually 2,900.00 on 5 February.
Project ``beta`` has a KPI without measurements and no costs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from roi_tracker.store import session_scope
from roi_tracker.store.tables import Benchmark, Cost, Kpi, Measurement, Project


def store_portfolio(engine: Engine) -> None:
    with session_scope(engine) as session:
        alpha = Project(key="alpha", name="Support assistant", start_date=date(2025, 1, 1),
                        horizon_months=12)  # fmt: skip
        beta = Project(key="beta", name="Forecasting", start_date=date(2025, 2, 1))
        session.add_all([alpha, beta])
        session.flush()
        resolution = Kpi(
            project_id=alpha.id, key="resolution", name="First-contact resolution", unit="%",
            baseline=10, target=20, target_date=date(2025, 12, 31),
            specific="share of chats closed without a hand-over to a person",
            relevant_objective="cut support cost by a fifth",
        )  # fmt: skip
        handling = Kpi(
            project_id=alpha.id, key="handling-time", name="Handling time", unit="s",
            baseline=100, target=50, baseline_date=date(2025, 1, 1),
            target_date=date(2025, 12, 31),
        )  # fmt: skip
        demand = Kpi(
            project_id=beta.id, key="accuracy", name="Forecast accuracy", unit="%",
            baseline=70, target=90, target_date=date(2026, 1, 31),
        )  # fmt: skip
        session.add_all([resolution, handling, demand])
        session.flush()
        session.add_all(
            [
                Measurement(kpi_id=resolution.id, date=date(2025, 3, 2), value=12),
                Measurement(kpi_id=resolution.id, date=date(2025, 5, 1), value=15),
                Measurement(kpi_id=resolution.id, date=date(2025, 7, 1), value=30),
                Measurement(kpi_id=handling.id, date=date(2025, 4, 1), value=95),
                Benchmark(kpi_id=resolution.id, name="Industry", value=18, source="survey"),
                Benchmark(kpi_id=resolution.id, name="Peer", value=16),
            ]
        )
        costs = [
            ("dev-plan", date(2025, 1, 31), "development", "1000", "monthly", None, "planned"),
            ("dev-actual", date(2025, 1, 20), "development", "1500", "monthly",
             date(2025, 3, 31), "actual"),
            ("licence-plan", date(2025, 1, 10), "licensing", "3000", "one_time", None, "planned"),
            ("licence-actual", date(2025, 2, 5), "licensing", "2900", "one_time", None, "actual"),
        ]  # fmt: skip
        for key, day, category, amount, recurrence, end_date, status in costs:
            session.add(
                Cost(
                    project_id=alpha.id,
                    key=key,
                    date=day,
                    category=category,
                    amount=Decimal(amount),
                    recurrence=recurrence,
                    end_date=end_date,
                    status=status,
                )
            )
