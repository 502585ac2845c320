"""The Portfolio and Budget pages with a project in another currency than the reporting one."""

from __future__ import annotations

from sqlmodel import select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import FxRate, Project
from tests.dates import month
from tests.pages.conftest import ALPHA_START, open_app, shown


def beta_in_euros(url: str, *, rate: float | None) -> None:
    """Beta counts in EUR; with ``rate``, 1 EUR = ``rate`` USD from alpha's start on."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        beta = session.exec(select(Project).where(Project.key == "beta")).one()
        beta.currency = "EUR"
        if rate is not None:
            session.add(
                FxRate(**{"date": month(ALPHA_START), "from": "EUR", "to": "USD", "rate": rate})
            )
    engine.dispose()


def test_portfolio_sums_in_the_reporting_currency(small_db):
    # a month after the last rate takes that rate: every month of beta is at 2.0
    beta_in_euros(small_db, rate=2.0)
    at = open_app("app_pages/portfolio.py")

    assert not at.exception
    tiles = {metric.label: metric.value for metric in at.metric}
    assert tiles["Invested to date"] == "$280k"  # 120k USD + 80k EUR x 2
    table = at.dataframe[0].value.set_index("name")
    # each project's own figures stay in its currency, shown beside them
    assert table.loc["Support assistant", "currency"] == "EUR"
    assert table.loc["Support assistant", "costs_to_date"] == 80_000
    assert table.loc["Invoice automation", "currency"] == "USD"


def test_a_missing_rate_is_one_line_naming_the_pair_and_the_month(small_db):
    beta_in_euros(small_db, rate=None)
    for page in ("app_pages/portfolio.py", "app_pages/budget.py"):
        at = open_app(page)

        assert not at.exception
        # beta's first flow, its start month, has no rate
        first = f"{month(ALPHA_START + 5):%Y-%m}"
        assert shown(at.error[0].value) == (
            "**The figures cannot be computed.**\n\n"
            f"- no exchange rate from EUR to USD for {first}: add one to fx_rates"
        )
