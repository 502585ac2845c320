"""Summaries built from a real database (the demo portfolio plus a hostile project name).

The expected figures and KPI lists come from the finance and tracking services themselves,
so these tests check that the summary says what the services compute, for each scope.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from roi_tracker.access import Actor
from roi_tracker.config import Settings
from roi_tracker.reporting import delivery
from roi_tracker.reporting.render import money, percent
from roi_tracker.reporting.subscriptions import subscribe
from roi_tracker.services import finance, tracking
from roi_tracker.services.demo import load_demo
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Cost, Kpi, Measurement, Project
from tests.reporting.loopback_smtp import mail_settings

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)
ADMIN = Actor.command_line()
HOSTILE = '<img src=x onerror="alert(1)"> Bot & <script>steal()</script>'


def _fill(url: str) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_demo(session, actor=Actor.command_line(), today=TODAY)
        evil = Project(key="evil", name=HOSTILE, stage="pilot", start_date=date(2026, 1, 1),
                       horizon_months=24)  # fmt: skip
        session.add(evil)
        session.flush()
        for key, day, amount, status in (
            ("build", 2, "1000", "planned"),
            ("spent", 3, "1500", "actual"),
        ):
            session.add(Cost(project_id=evil.id, key=key, date=date(2026, day, 1), status=status,
                             category="development", amount=Decimal(amount)))  # fmt: skip
        kpi = Kpi(project_id=evil.id, key="k", name=f"{HOSTILE} rate", unit="<b>%</b>",
                  baseline=0, target=100, target_date=date(2026, 12, 15))  # fmt: skip
        session.add(kpi)
        session.flush()
        session.add_all(
            [
                Measurement(kpi_id=kpi.id, date=date(2026, 3, 1), value=2),
                Measurement(kpi_id=kpi.id, date=date(2026, 9, 1), value=5),
            ]
        )
    engine.dispose()


@pytest.fixture
def filled(db_url) -> str:
    _fill(db_url)
    return db_url


def _preview(url: str, settings: Settings, **scope):
    engine = make_engine(url)
    with session_scope(engine) as session:
        subscription = subscribe(
            session, actor=ADMIN, email="cfo@example.com", frequency="weekly", **scope
        )
    try:
        return delivery.preview_email(engine, settings, subscription.id, now=NOW)
    finally:
        engine.dispose()


def _expected(url: str, settings: Settings):
    engine = make_engine(url)
    with session_scope(engine) as session:
        report = finance.portfolio_report(session, settings, as_of=TODAY)
        kpis = tracking.kpi_overview(session, as_of=TODAY)
    engine.dispose()
    return report, kpis


def test_portfolio_summary_says_what_the_services_compute(filled):
    settings = Settings(database_url=filled, base_url="https://roi.example.com/", _env_file=None)
    email = _preview(filled, settings)
    report, kpis = _expected(filled, settings)
    total = report.portfolio.total
    for part in (email.text, email.html):
        assert money(total.npv, "USD") in part
        assert money(total.risk_adjusted_npv, "USD") in part
        assert percent(total.roi) in part
        assert "https://roi.example.com/" in part
    cash = report.portfolio.cash
    for part in (email.text, email.html):
        assert "Cash NPV (cashable + cost avoidance)" in part
        assert money(cash.npv, "USD") in part
        assert money(cash.risk_adjusted_npv, "USD") in part
        assert percent(cash.roi) in part
        payback = "none" if cash.payback_period is None else f"month {cash.payback_period}"
        assert f"Cash payback: {payback}" in email.text
    attention = kpis[kpis["status"].isin(["missed", "off_track", "at_risk"])]
    assert len(attention) > 0
    text_section = email.text.split("KPIS NEEDING ATTENTION", 1)[1].split("\n\n", 1)[0]
    assert len(text_section.strip().splitlines()) == len(attention)
    for name in attention["name"]:
        if name.startswith("<img"):
            continue
        assert name in text_section
    assert email.subject.startswith("AI ROI summary, Portfolio, 26 Nov 2026")


def test_project_summary_is_about_that_project_only(filled):
    settings = Settings(database_url=filled, _env_file=None)
    report, kpis = _expected(filled, settings)
    project = report.projects[0]
    email = _preview(filled, settings, project_key=project.key)
    assert email.subject.startswith(f"AI ROI summary, {project.name},")
    assert money(project.total.npv, "USD") in email.text
    assert money(report.portfolio.total.npv, "USD") not in email.text
    others = kpis[kpis["project_key"] != project.key]
    assert not any(f": {name}:" in email.text for name in others["name"])
    assert "Open the dashboard" not in email.text  # no base URL set


def test_hostile_project_names_are_escaped_in_the_html(filled):
    settings = Settings(database_url=filled, _env_file=None)
    email = _preview(filled, settings, project_key="evil")
    assert "<script" not in email.html and "<img" not in email.html and "<b>%" not in email.html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Bot &amp; &lt;script&gt;" in email.html
    assert HOSTILE in email.text  # plain text is not HTML: shown as typed
    # invested to date: the actual cost only; the KPI is behind and due within 30 days
    assert "Invested to date: USD 1,500" in email.text
    upcoming = email.text.split("TARGET DATES IN THE NEXT 30 DAYS", 1)[1]
    assert "2026-12-15" in upcoming


def test_a_sent_summary_has_both_parts(filled, smtp_server):
    settings = mail_settings(filled, smtp_server.port)
    engine = make_engine(filled)
    with session_scope(engine) as session:
        subscribe(session, actor=ADMIN, email="cfo@example.com", frequency="monthly")
        subscribe(
            session, actor=ADMIN, email="lead@example.com", frequency="monthly", project_key="evil"
        )
    report = delivery.send_due(engine, settings, actor=Actor.scheduler(), now=NOW)
    engine.dispose()
    assert [o.status for o in report.outcomes] == ["sent", "sent"]
    messages = {m["To"]: m for m in smtp_server.inbox.wait_for(2)}
    for message in messages.values():
        assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
        assert "HEADLINE FIGURES" in message.get_body(("plain",)).get_content()
        assert "<table" in message.get_body(("html",)).get_content()
    assert "<script" not in messages["lead@example.com"].get_body(("html",)).get_content()


@pytest.mark.postgres
def test_summaries_on_postgres(postgres_url, smtp_server):
    migrate.upgrade(postgres_url)
    _fill(postgres_url)
    settings = mail_settings(postgres_url, smtp_server.port)
    engine = make_engine(postgres_url)
    with session_scope(engine) as session:
        subscribe(
            session, actor=ADMIN, email="cfo@example.com", frequency="daily", timezone="Asia/Tokyo"
        )
    first = delivery.send_due(engine, settings, actor=Actor.scheduler(), now=NOW)
    again = delivery.send_due(engine, settings, actor=Actor.scheduler(), now=NOW)
    engine.dispose()
    assert [o.status for o in first.outcomes] == ["sent"] and again.outcomes == []
    [message] = smtp_server.inbox.wait_for(1)
    assert "2026-11-26" in message.get_body(("plain",)).get_content()


def test_an_empty_portfolio_still_gives_a_readable_summary(db_url):
    email = _preview(db_url, Settings(database_url=db_url, _env_file=None))
    assert "NPV: n/a" in email.text and "(0 projects)" in email.text
    assert "None: every KPI is on track" in email.text


def test_the_summary_compares_npv_with_the_approved_baseline(filled):
    from roi_tracker.access import Actor
    from roi_tracker.reporting.render import money_change
    from roi_tracker.services import baselines

    settings = Settings(database_url=filled, _env_file=None)
    engine = make_engine(filled)
    with session_scope(engine) as session:
        baselines.approve(session, settings, project_key="evil", approved_by="<b>CFO</b>",
                          actor=Actor.command_line())  # fmt: skip
        (variance,) = baselines.variance(
            session, settings, project_key="evil", as_of=TODAY
        ).projects
    engine.dispose()
    npv = variance.figures["npv"]

    email = _preview(filled, settings, project_key="evil")
    section = email.text.split("AGAINST THE APPROVED BUSINESS CASE", 1)[1].split("\n\n", 1)[0]
    assert "baseline version 1, <b>CFO</b>" in section
    assert money(npv.current, "USD") in section and money(npv.baseline, "USD") in section
    assert money_change(npv.change, "USD") in section
    assert "Against the approved business case" in email.html
    assert "&lt;b&gt;CFO&lt;/b&gt;" in email.html and "<b>CFO" not in email.html
    # a project without a baseline says nothing about one
    others = _preview(filled, settings, project_key=next(k for k in _keys(filled) if k != "evil"))
    assert "APPROVED BUSINESS CASE" not in others.text


def _keys(url: str) -> list[str]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        keys = list(session.execute(select(Project.key)).scalars())
    engine.dispose()
    return keys
