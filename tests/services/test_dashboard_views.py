"""The dashboard's view models and record edits, on a real SQLite file."""

from __future__ import annotations

import pandas as pd
import pytest

from roi_tracker.access import Actor
from roi_tracker.errors import NotFound, ValidationFailed
from roi_tracker.services import finance, records, views
from roi_tracker.store import session_scope
from tests.dates import month
from tests.pages.conftest import ALPHA_START, load_portfolio

EDITOR = Actor.user("editor@example.com", "editor")
AS_OF = month(ALPHA_START + 22, day=26)  # month 22 of alpha's 24


@pytest.fixture
def filled(db_url, engine):
    load_portfolio(db_url)
    return engine


def test_portfolio_overview_matches_the_finance_report(filled, settings):
    with session_scope(filled) as session:
        frames = views.load_frames(session)
        report = finance.portfolio_report(session, settings, as_of=AS_OF)
    view = views.portfolio_overview(frames, settings, as_of=AS_OF)

    assert view.portfolio == report.portfolio
    by_key = view.projects.set_index("key")
    assert by_key.loc["alpha", "npv"] == report.projects[0].total.npv
    # only actual costs happened: alpha's build and beta's pilot
    assert by_key["costs_to_date"].to_dict() == {"alpha": 120_000.0, "beta": 80_000.0}
    assert view.to_date["benefits"] == 0.0
    assert view.cumulative["cumulative_net"].iloc[0] == -120_000.0
    assert set(by_key["verdict"]) <= {"pays_off", "pays_off_before_risk", "loses"}

    only_beta = views.portfolio_overview(frames.narrowed(["beta"]), settings, as_of=AS_OF)
    assert list(only_beta.projects["key"]) == ["beta"]
    assert only_beta.to_date["costs"] == 80_000.0


def test_kpi_health_is_the_worst_status_of_a_projects_kpis():
    kpis = pd.DataFrame(
        {
            "project_key": ["a", "a", "b", "c"],
            "status": pd.Categorical(["achieved", "at_risk", "on_track", "no_data"]),
        }
    )
    assert views.kpi_health(kpis).to_dict() == {"a": "at_risk", "b": "on_track", "c": "no_data"}
    assert views.kpi_health(pd.DataFrame()).empty


def test_budget_view_sums_projects_and_keeps_one_projects_exhaustion(filled, settings):
    with session_scope(filled) as session:
        portfolio = views.budget_view(session, settings, as_of=AS_OF)
        alpha = views.budget_view(session, settings, as_of=AS_OF, project_key="alpha")

    assert portfolio.totals["actual_to_date"] == 200_000.0
    assert alpha.totals["actual_to_date"] == 120_000.0
    assert portfolio.totals["exhausted_month"] is None
    assert set(portfolio.projects["project_key"]) == {"alpha", "beta"}
    assert portfolio.months["cumulative_actual"].iloc[-1] == 200_000.0


def test_a_saved_record_changes_the_fingerprint_and_a_bad_one_writes_nothing(filled):
    with session_scope(filled) as session:
        before = records.data_fingerprint(session)
    with session_scope(filled) as session:
        outcome = records.save_record(
            session, "measurements",
            {"project_key": "alpha", "kpi_key": "cycle_time", "date": month(ALPHA_START + 11),
             "value": "5"}, actor=EDITOR,
        )  # fmt: skip
    assert outcome == "created"
    with session_scope(filled) as session:
        after = records.data_fingerprint(session)
        assert after != before
        stored = records.entity_records(
            session, "measurements", project_key="alpha", kpi_key="cycle_time"
        )
    assert [r["value"] for r in stored][-1] == 5.0

    with pytest.raises(ValidationFailed) as failure, session_scope(filled) as session:
        records.save_record(session, "costs", {"project_key": "alpha", "key": "x"}, actor=EDITOR)
    assert "date: is required" in failure.value.problems
    with pytest.raises(NotFound), session_scope(filled) as session:
        records.save_record(
            session, "costs",
            {"project_key": "nope", "key": "x", "date": "2025-01-01", "category": "data",
             "amount": "1"}, actor=EDITOR,
        )  # fmt: skip
    with session_scope(filled) as session:
        assert records.data_fingerprint(session) == after
