"""The demo's value story: driven benefits on three projects, one attributed by a control
group, one redeployment; the measured values stay close to what the story typed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine

from roi_tracker.access import Actor
from roi_tracker.config import Settings
from roi_tracker.services import finance
from roi_tracker.services.demo import load_demo
from roi_tracker.store import session_scope
from roi_tracker.store.tables import Benefit, Measurement, Project, Redeployment, ValueDriver

TODAY = date(2026, 11, 26)


def test_the_demo_values_benefits_from_its_kpis(engine: Engine, db_url: str) -> None:
    settings = Settings(database_url=db_url, _env_file=None)
    with session_scope(engine) as session:
        load_demo(session, actor=Actor.command_line(), today=TODAY)
    with session_scope(engine) as session:
        drivers = session.execute(select(ValueDriver)).scalars().all()
        keys = {p.id: p.key for p in session.execute(select(Project)).scalars()}
        assert {keys[d.project_id] for d in drivers} >= {
            "virtual-try-on", "crm-assistant", "invoice-automation"
        }  # fmt: skip
        assert {d.kind for d in drivers} == {"time_saved", "cost_avoided", "revenue_uplift"}
        controls = session.execute(
            select(Measurement).where(Measurement.group == "control")
        ).scalars()
        assert len(list(controls)) >= 6
        (redeployment,) = session.execute(select(Redeployment)).scalars()
        assert keys[redeployment.project_id] == "invoice-automation"

        for driver in drivers:
            project = keys[driver.project_id]
            explained = finance.explain_driver(
                session, settings, project_key=project, benefit_key=driver.benefit_key,
                as_of=TODAY,
            )  # fmt: skip
            assert (explained.table["evidence"] == "measured").all(), project
            typed = session.execute(
                select(Benefit).where(
                    Benefit.project_id == driver.project_id, Benefit.key == driver.benefit_key
                )
            ).scalar_one()
            # the story holds together: the latest measured month is within 40 % of the
            # amount the story typed as realized
            latest = float(explained.table["value"].iloc[-1])
            assert 0.6 * float(typed.amount) <= latest <= 1.4 * float(typed.amount), project
            if project == "virtual-try-on":
                attribution = explained.attribution
                assert attribution is not None and 0 < attribution.low < attribution.high

        report = finance.portfolio_report(session, settings, as_of=TODAY)
        invoices = next(p for p in report.projects if p.key == "invoice-automation")
        # redeployed clerk time counts as cash; the hard and total figures ignore it
        steps = {s.step: s for s in finance.waterfall(
            session, settings, project_key="invoice-automation", as_of=TODAY).steps}  # fmt: skip
        assert steps["cashable"].evidence["redeployed"] > 0
        # its hard benefits are all cashable; the cash scope adds 8,000 a month of redeployed
        # clerk time from month 10 to the end of the 36-month horizon: 26 x 8,000
        assert round(invoices.cash.benefits - invoices.hard.benefits, 2) == 208_000.0
