"""The portfolio in the reporting currency: projects in other currencies converted month by
month at the rates of fx_rates, figures checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import delete
from typer.testing import CliRunner

from roi_tracker.bills.fx import MissingRate
from roi_tracker.cli import app
from roi_tracker.config import Settings, get_settings
from roi_tracker.reporting.summary import load_state
from roi_tracker.services import finance, views
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Benefit, Cost, FxRate, Project

AS_OF = date(2026, 1, 15)
MONTHLY = 1.12 ** (1 / 12) - 1

# USD project "u" (rate 0): cost 1000 in Jan (actual), benefits 800 in Feb and Mar.
# EUR project "e" (12 % a year): cost 1000 in Jan (actual), 200 in Mar (planned), benefits 500
# in Feb, Mar and Apr. EUR→USD: Jan 1.10, Feb 1.20; Mar only stored as USD→EUR 0.8 (inverse
# 1.25); Apr has no rate: after the last one, it takes March's 1.25.
E_USD_COSTS = [1100, 0, 250, 0]
E_USD_BENEFITS = [0, 600, 625, 625]
U_NPV = 1600 - 1000


def e_usd_npv() -> float:
    return sum(
        (b - c) / (1 + MONTHLY) ** t
        for t, (b, c) in enumerate(zip(E_USD_BENEFITS, E_USD_COSTS, strict=True))
    )


def add_projects(session, *, rates: bool = True) -> None:
    u = Project(key="u", name="Dollar", start_date=date(2026, 1, 1), horizon_months=3,
                discount_rate=0.0)  # fmt: skip
    e = Project(key="e", name="Euro", start_date=date(2026, 1, 1), horizon_months=4,
                discount_rate=0.12, currency="EUR")  # fmt: skip
    session.add_all([u, e])
    session.flush()
    session.add_all(
        [
            Cost(project_id=u.id, key="u1", date=date(2026, 1, 2), category="development",
                 amount=Decimal("1000.00"), status="actual"),
            Benefit(project_id=u.id, key="ub", date=date(2026, 2, 1), type="hard",
                    category="revenue", amount=Decimal("800.00"), recurrence="monthly"),
            Cost(project_id=e.id, key="e1", date=date(2026, 1, 2), category="development",
                 amount=Decimal("1000.00"), status="actual"),
            Cost(project_id=e.id, key="e2", date=date(2026, 3, 1), category="licensing",
                 amount=Decimal("200.00")),
            Benefit(project_id=e.id, key="eb", date=date(2026, 2, 1), type="hard",
                    category="revenue", amount=Decimal("500.00"), recurrence="monthly"),
        ]
    )  # fmt: skip
    if rates:
        session.add_all(
            [
                FxRate(**{"date": date(2026, 1, 31), "from": "EUR", "to": "USD", "rate": 1.10}),
                FxRate(**{"date": date(2026, 2, 1), "from": "EUR", "to": "USD", "rate": 1.20}),
                FxRate(**{"date": date(2026, 3, 5), "from": "USD", "to": "EUR", "rate": 0.8}),
            ]
        )
    session.flush()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, currency="USD", _env_file=None)


def test_report_sums_the_projects_in_the_reporting_currency(session, settings) -> None:
    add_projects(session)
    report = finance.portfolio_report(session, settings, as_of=AS_OF)
    portfolio = report.portfolio.total
    assert report.currency == "USD"
    assert portfolio.costs == 1000 + 1350
    assert portfolio.benefits == 1600 + 1850
    assert portfolio.npv == pytest.approx(U_NPV + e_usd_npv(), abs=0.011)
    assert portfolio.roi == pytest.approx((3450 - 2350) / 2350)
    # no contingency, certain benefits: the risk-adjusted NPV is the NPV
    assert portfolio.risk_adjusted_npv == pytest.approx(portfolio.npv, abs=0.011)
    # each project keeps its own currency
    euro = next(p for p in report.projects if p.key == "e")
    assert (euro.currency, euro.total.costs, euro.total.benefits) == ("EUR", 1200, 1500)
    assert "currency" not in euro.model_dump()


def test_a_missing_month_is_an_error_naming_the_pair_and_the_month(session, settings) -> None:
    add_projects(session)
    session.execute(delete(FxRate).where(FxRate.date == date(2026, 2, 1)))  # type: ignore[arg-type]
    with pytest.raises(MissingRate, match=r"^no exchange rate from EUR to USD for 2026-02: "):
        finance.portfolio_report(session, settings, as_of=AS_OF)


def test_a_month_before_any_rate_is_an_error(session, settings) -> None:
    add_projects(session, rates=False)
    session.add(FxRate(**{"date": date(2026, 2, 1), "from": "EUR", "to": "USD", "rate": 1.2}))
    session.flush()
    with pytest.raises(MissingRate, match="from EUR to USD for 2026-01"):
        finance.portfolio_report(session, settings, as_of=AS_OF)


def test_one_project_alone_needs_no_rate(session, settings) -> None:
    add_projects(session, rates=False)
    report = finance.portfolio_report(session, settings, project_key="u", as_of=AS_OF)
    assert report.portfolio.total.costs == 1000


def test_simulation_portfolio_in_the_reporting_currency(session, settings) -> None:
    add_projects(session)
    report = finance.portfolio_report(session, settings, as_of=AS_OF)
    # no ranges, certain benefits: every trial gives the risk-adjusted NPV
    result = finance.simulate(session, settings, as_of=AS_OF, trials=20, seed=1)
    assert result.portfolio.total.mean == pytest.approx(
        report.portfolio.total.risk_adjusted_npv, abs=0.011
    )
    euro = next(p for p in result.projects if p.key == "e")
    assert euro.total.mean == next(p for p in report.projects if p.key == "e").total.npv


def test_portfolio_page_budget_and_summary(session, settings) -> None:
    add_projects(session)
    overview = views.portfolio_overview(views.load_frames(session), settings, as_of=AS_OF)
    assert overview.to_date["costs"] == 2100  # 1000 USD + 1000 EUR at 1.10
    assert dict(zip(overview.projects["key"], overview.projects["currency"], strict=True)) == {
        "u": "USD",
        "e": "EUR",
    }
    assert overview.cumulative["net"].tolist() == [-2100, 1400, 1425 - 250, 625]
    budget = views.budget_view(session, settings, as_of=AS_OF)
    assert budget.totals["planned_total"] == 250  # 200 EUR in March at 1.25
    assert budget.totals["actual_to_date"] == 2100
    state = load_state(session, as_of=AS_OF, settings=settings)
    assert state.portfolio.invested == 2100
    assert state.projects["e"].invested == 1000


def test_cli_report_table_and_missing_rate(db_url: str, monkeypatch) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_projects(session, rates=False)
    engine.dispose()
    monkeypatch.setenv("ROI_TRACKER_CURRENCY", "USD")
    get_settings.cache_clear()
    runner = CliRunner()
    args = ["report", "--database-url", db_url, "--as-of", AS_OF.isoformat()]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: no exchange rate from EUR to USD for 2026-01: add one to fx_rates"
    )
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        session.add(FxRate(**{"date": date(2026, 1, 1), "from": "EUR", "to": "USD", "rate": 1}))
    engine.dispose()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "e (EUR)" in result.stdout
    assert "u (USD)" not in result.stdout


def test_a_project_summary_shows_its_own_currency(session, settings) -> None:
    from roi_tracker.reporting.summary import build_summary

    add_projects(session)
    state = load_state(session, as_of=AS_OF, settings=settings)
    assert build_summary(state, project_key="e", previous=None).currency == "EUR"
    assert build_summary(state, project_key=None, previous=None).currency == "USD"


def test_fiscal_years_of_the_portfolio_in_the_reporting_currency(session, settings) -> None:
    add_projects(session)
    report = finance.fiscal_year_report(session, settings, as_of=AS_OF)
    (year,) = report.portfolio
    assert (year.costs, year.benefits) == (1000 + 1350, 1600 + 1850)
    euro = next(p for p in report.projects if p.key == "e")
    assert (euro.fiscal_years[0].costs, euro.fiscal_years[0].benefits) == (1200, 1500)
