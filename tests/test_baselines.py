"""Approved baselines: frozen versions, permissions, audit, and the variance against them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from roi_tracker.access import Actor, Role
from roi_tracker.cli import app
from roi_tracker.config import Settings
from roi_tracker.errors import Forbidden, InvalidInput, NotFound
from roi_tracker.services import baselines, finance, records
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import (
    AuditEntry,
    Baseline,
    Benefit,
    BoardPackArchive,
    Cost,
    Project,
)  # fmt: skip
from tests.finance_portfolio import AS_OF, add_portfolio

EDITOR = Actor.user("ed@example.com", Role.EDITOR)


@pytest.fixture
def portfolio(session):
    add_portfolio(session)
    return session


def _project(session, key: str) -> Project:
    return session.execute(select(Project).where(Project.key == key)).scalar_one()


def test_each_approval_is_a_new_version_and_old_ones_never_change(portfolio, settings) -> None:
    session = portfolio
    first = baselines.approve(
        session, settings, project_key="a", approved_by=" CFO ", note="Q1 case", actor=EDITOR
    )
    frozen = session.execute(select(Baseline.plan)).scalar_one()
    cost = session.execute(select(Cost).where(Cost.key == "a2")).scalar_one()
    cost.amount = Decimal("800.00")
    session.flush()
    second = baselines.approve(
        session, settings, project_key="a", approved_by="Board", actor=EDITOR
    )

    assert (first.version, first.approved_by, first.note) == (1, "CFO", "Q1 case")
    assert (second.version, second.note, second.recorded_by) == (2, None, "ed@example.com")
    rows = session.execute(select(Baseline).order_by(Baseline.version)).scalars().all()
    assert rows[0].plan == frozen  # the first approval is as it was
    plans = [json.loads(row.plan) for row in rows]
    amounts = [dict(zip(p["costs"]["key"], p["costs"]["amount_cents"], strict=True)) for p in plans]
    assert amounts[0]["a2"] == 50_000 and amounts[1]["a2"] == 80_000
    # what was approved: the rates and risk parameters, the defaults in force included
    assert plans[0]["project"]["discount_rate"] == [0.12]
    assert plans[0]["project"]["risk_premium"] == [0.03]
    assert [v.version for v in baselines.baselines(session, project_key="a")] == [2, 1]
    trail = session.execute(select(AuditEntry).where(AuditEntry.entity == "baselines")).scalars()
    assert [(t.actor, t.record_key, t.project_key) for t in trail] == [
        ("ed@example.com", "a/1", "a"),
        ("ed@example.com", "a/2", "a"),
    ]


def test_a_viewer_may_not_approve_and_nothing_is_stored(portfolio, settings) -> None:
    viewer = Actor.user("vi@example.com", Role.VIEWER)
    with pytest.raises(Forbidden):
        baselines.approve(portfolio, settings, project_key="a", approved_by="x", actor=viewer)
    with pytest.raises(InvalidInput):
        baselines.approve(portfolio, settings, project_key="a", approved_by="  ", actor=EDITOR)
    with pytest.raises(NotFound):
        baselines.approve(portfolio, settings, project_key="zz", approved_by="x", actor=EDITOR)
    assert portfolio.execute(select(Baseline)).first() is None


def test_variance_lists_the_moved_lines_and_bridges_the_npv(portfolio, settings) -> None:
    session = portfolio
    baselines.approve(session, settings, project_key="a", approved_by="CFO", actor=EDITOR)
    plan_report = finance.portfolio_report(
        session, settings, project_key="a", basis="plan", as_of=AS_OF
    )
    a = _project(session, "a")
    session.execute(select(Cost).where(Cost.key == "a2")).scalar_one().amount = Decimal("650")
    session.delete(session.execute(select(Benefit).where(Benefit.key == "ab1")).scalar_one())
    session.add(
        Cost(project_id=a.id, key="a3", date=AS_OF, category="talent", amount=Decimal("100"))
    )
    # licensing: 500.00 planned for February, 900.00 spent
    session.add(
        Cost(project_id=a.id, key="a4", date=AS_OF, category="licensing", amount=Decimal("900"),
             status="actual")
    )  # fmt: skip
    a.discount_rate = 0.15
    session.flush()

    report = baselines.variance(session, settings, as_of=AS_OF)
    by_key = {p.key: p for p in report.projects}
    assert by_key["b"].baseline is None and by_key["b"].figures == {}
    variance = by_key["a"]
    assert variance.baseline is not None and variance.baseline.version == 1
    current = finance.portfolio_report(session, settings, project_key="a", as_of=AS_OF)
    for name in ("npv", "costs", "benefits", "payback_period", "risk_adjusted_npv"):
        figure = variance.figures[name]
        assert figure.baseline == getattr(plan_report.projects[0].total, name)
        assert figure.current == getattr(current.projects[0].total, name)
        if figure.change is not None:
            assert figure.change == pytest.approx(figure.current - figure.baseline)
    moved = {(line.entity, line.key): line for line in variance.lines}
    assert moved[("cost", "a2")].change == "changed"
    assert moved[("cost", "a2")].fields == ["amount_cents"]
    assert (moved[("cost", "a2")].baseline, moved[("cost", "a2")].current) == (500.0, 650.0)
    assert moved[("cost", "a3")].change == "added"
    assert moved[("benefit", "ab1")].change == "removed"
    above = {line.key: line for line in variance.lines if line.change == "actual_above_plan"}
    # development: 10,000 spent in January, none planned; licensing: 900 against 500
    assert set(above) == {"development", "licensing"}
    assert (above["licensing"].baseline, above["licensing"].current) == (500.0, 900.0)
    steps = {step.step: step.value for step in variance.bridge}
    assert list(steps) == ["baseline", "benefits", "costs", "rate", "current"]
    assert steps["baseline"] == pytest.approx(variance.figures["npv"].baseline, abs=0.01)
    assert steps["current"] == pytest.approx(variance.figures["npv"].current, abs=0.01)
    assert steps["baseline"] + steps["benefits"] + steps["costs"] + steps["rate"] == (
        pytest.approx(steps["current"], abs=0.03)
    )
    assert steps["benefits"] < 0 and steps["costs"] < 0 and steps["rate"] != 0


runner = CliRunner()


def test_the_command_line(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_portfolio(session)
    engine.dispose()

    approve = ["baseline", "approve", "b", "--by", "Jane CFO", "--database-url", db_url]
    done = runner.invoke(app, [*approve, "--note", "=cmd"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("approved b baseline version 1 by Jane CFO at ")
    assert runner.invoke(app, approve).output.startswith("approved b baseline version 2")

    shown = runner.invoke(
        app, ["report", "--against-baseline", "--format", "json", "--as-of", AS_OF.isoformat(),
              "--database-url", db_url],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    result = json.loads(shown.stdout)
    assert result["as_of"] == "2025-02-20" and result["currency"] == "USD"
    a, b = result["projects"]
    assert a["baseline"] is None
    assert b["baseline"]["version"] == 2 and b["baseline"]["approved_by"] == "Jane CFO"
    assert set(b["figures"]) == {"npv", "costs", "benefits", "payback_period", "risk_adjusted_npv"}
    assert set(b["figures"]["npv"]) == {"baseline", "current", "change"}
    assert [s["step"] for s in b["bridge"]] == ["baseline", "benefits", "costs", "rate", "current"]

    table = runner.invoke(
        app, ["report", "--against-baseline", "--as-of", "2025-02-20", "--database-url", db_url]
    )
    assert table.exit_code == 0, table.output
    assert "a: no approved baseline" in table.output
    assert "b: baseline version 2, approved by Jane CFO" in table.output

    missing = runner.invoke(
        app, ["baseline", "approve", "zz", "--by", "x", "--database-url", db_url]
    )
    assert missing.exit_code == 1 and "no project with key 'zz'" in missing.output


def _approved_rows_cannot_change(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            add_portfolio(session)
            settings = Settings(database_url=url, _env_file=None)
            baselines.approve(session, settings, project_key="a", approved_by="CFO", actor=EDITOR)
            session.add(BoardPackArchive(created_by="cfo", as_of=AS_OF, project_keys='["a"]',
                                         sha256="0" * 64, data="{}"))  # fmt: skip
        refused = {
            "UPDATE baselines SET approved_by = 'someone else'": "approved baseline cannot be",
            "UPDATE board_packs SET data = '{}'": "archived board pack cannot be changed",
        }
        for statement, message in refused.items():
            with pytest.raises(DBAPIError, match=message), engine.begin() as connection:
                connection.execute(text(statement))
        with session_scope(engine) as session:
            assert session.execute(select(Baseline.approved_by)).scalar_one() == "CFO"
            project = _project(session, "a")
        # deleting the project still takes its baselines with it
        with session_scope(engine) as session:
            records.delete_record(
                session, entity="projects", record_id=project.id, actor=Actor.command_line()
            )
        with session_scope(engine) as session:
            assert session.execute(select(Baseline)).first() is None
    finally:
        engine.dispose()


def test_sqlite_refuses_to_change_an_approved_baseline_or_an_archived_pack(db_url: str) -> None:
    _approved_rows_cannot_change(db_url)


@pytest.mark.postgres
def test_postgres_refuses_to_change_an_approved_baseline_or_an_archived_pack(
    postgres_url: str,
) -> None:
    _approved_rows_cannot_change(postgres_url)
