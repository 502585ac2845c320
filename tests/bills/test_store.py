"""Bills in the store: import once, replace older exports, allocate, reconcile to the digit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from roi_tracker.access import Actor, Role
from roi_tracker.bills.fx import MissingRate
from roi_tracker.cli import app
from roi_tracker.errors import Forbidden, ValidationFailed
from roi_tracker.services import bills, records
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import (
    AuditEntry,
    BillAllocation,
    BillCost,
    BillFile,
    BillLineRecord,
)

DATA = Path(__file__).parents[1] / "data" / "bills"
ADMIN = Actor.command_line()
ALL = ["focus-1.0.csv", "focus-1.3.csv", "openai-costs.json", "anthropic-cost-report.json",
       "litellm-spend.csv"]  # fmt: skip


def _save(session, entity: str, values: dict) -> str:
    return records.save_record(session, entity, values, actor=ADMIN)


def _import(session, *names: str, dry_run: bool = False, actor: Actor = ADMIN):
    sources = [(name, DATA / name) for name in names]
    return bills.import_bills(
        session, sources, actor=actor, reporting_currency="USD", dry_run=dry_run
    )


def _count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _projects_and_rules(session) -> None:
    for key, currency in (("CHAT", "USD"), ("RAG", "EUR"), ("SUP", None)):
        values = {"key": key, "name": key.title(), "start_date": "2024-01-01"}
        _save(session, "projects", values | {"currency": currency})
    _save(session, "fx_rates", {"date": "2024-11-01", "from": "EUR", "to": "USD", "rate": "1.08"})
    for key, priority, match, pattern, kind, share in (
        ("CHAT", 10, "tag:project", "chat", "exact", 1),
        ("RAG", 10, "tag:application", "rag", "exact", 1),
        ("SUP", 20, "ProviderName", "Anthropic", "exact", 1),
        ("CHAT", 30, "openai:project_id", "proj_*", "glob", 0.5),
        ("RAG", 30, "openai:project_id", "proj_*", "glob", 0.5),
        ("SUP", 30, "anthropic:workspace_id", "wrkspc_support", "exact", 1),
    ):
        _save(session, "allocation_rules", {
            "project_key": key, "priority": priority, "match": match, "pattern": pattern,
            "match_type": kind, "share": share,
        })  # fmt: skip


def test_the_same_file_twice_changes_nothing(session):
    first = _import(session, *ALL)
    assert [f.status for f in first.files] == ["imported"] * 5
    lines = _count(session, BillLineRecord)
    again = _import(session, "focus-1.0.csv")
    assert [f.status for f in again.files] == ["unchanged"]
    assert (_count(session, BillLineRecord), _count(session, BillFile)) == (lines, 5)


def test_each_file_is_audited_with_its_sha256_and_counts(session):
    _import(session, "focus-1.3.csv")
    (line,) = session.execute(select(AuditEntry)).scalars()
    detail = json.loads(line.detail)
    assert (line.actor, line.action, line.entity, line.record_key) == (
        ADMIN.name,
        "import",
        "bill_files",
        "focus-1.3.csv",
    )
    assert detail["sha256"] == bills._sha256(DATA / "focus-1.3.csv")
    assert (detail["rows"], detail["lines"], detail["kind"]) == (2, 2, "focus")
    assert detail["totals"][0]["effective_total"] == "100"


def test_a_dry_run_and_a_viewer_write_nothing(session):
    result = _import(session, *ALL, dry_run=True)
    assert {f.status for f in result.files} == {"checked"}
    with pytest.raises(Forbidden):
        _import(session, "focus-1.3.csv", actor=Actor.user("v@example.com", Role.VIEWER))
    assert _count(session, BillFile) == _count(session, AuditEntry) == 0


def test_an_unreadable_file_stops_the_whole_import(session):
    with pytest.raises(ValidationFailed) as caught:
        _import(session, "focus-1.3.csv", "focus-broken.csv")
    assert len(caught.value.problems) == 7
    assert _count(session, BillFile) == 0


def test_a_newer_export_of_the_same_account_and_period_replaces_the_older(session, tmp_path):
    _import(session, "focus-1.3.csv")
    newer = tmp_path / "focus-1.3-rerun.csv"
    text = (DATA / "focus-1.3.csv").read_text()
    newer.write_text(text.replace("100.00,80.00", "110.00,90.00"))
    result = bills.import_bills(session, [("rerun.csv", newer)], actor=ADMIN,
                                reporting_currency="USD")  # fmt: skip
    assert result.files[0].replaced_lines == 2
    (only,) = bills.reconcile(session).files
    assert only.file == "rerun.csv"
    assert only.periods[0].effective_total == "110"


def test_allocation_reconciles_and_feeds_monthly_costs(session):
    _projects_and_rules(session)
    _import(session, *ALL)
    report = bills.reconcile(session)
    for file in report.files:
        for period in file.periods:
            parts = sum(map(Decimal, period.allocated.values()), Decimal(period.unallocated))
            assert parts == Decimal(period.effective_total)
    by_file = {f.file: f.periods for f in report.files}
    usd = next(p for p in by_file["focus-1.0.csv"] if p.currency == "USD")
    assert usd.allocated == {"CHAT": "-0.0499975631"}  # two tagged hourly rows and a credit
    assert by_file["openai-costs.json"][0].allocated == {
        "CHAT": "0.6972839450615", "RAG": "0.6972839450615"
    }  # fmt: skip
    costs = {
        (c.project_id, c.month, c.category): (c.amount, c.currency, c.source)
        for c in session.execute(select(BillCost)).scalars()
    }
    rag_november = [v for k, v in costs.items() if k[1] == date(2024, 11, 1) and v[1] == "EUR"]
    # 0.6972839450615 USD at 1 EUR = 1.08 USD
    assert rag_november == [(Decimal("0.65"), "EUR", "bills: openai")]
    frame = records.queries.costs_frame(session)
    assert set(frame["status"][frame["id"] < 0]) == {"actual"}
    assert frame["key"].str.startswith("bills/").sum() == len(costs)


def test_a_rule_change_replaces_the_allocation_never_doubles_it(session):
    _projects_and_rules(session)
    _import(session, *ALL)
    before = _count(session, BillAllocation)
    total_before = sum(c.amount for c in session.execute(select(BillCost)).scalars())
    _save(session, "allocation_rules", {
        "project_key": "SUP", "priority": 5, "match": "litellm:team_id", "pattern": "team-rag",
    })  # fmt: skip
    after = list(session.execute(select(BillCost)).scalars())
    assert _count(session, BillAllocation) == before
    assert sum(c.amount for c in after) == total_before + Decimal("0.30")


def test_a_missing_rate_names_the_pair_and_the_month(session):
    _projects_and_rules(session)
    _save(session, "allocation_rules", {
        "project_key": "RAG", "priority": 1, "match": "ServiceName", "pattern": "Amazon EC2",
    })  # fmt: skip
    with pytest.raises(MissingRate, match="from USD to EUR for 2024-09"):
        _import(session, "focus-1.0.csv")


def test_shares_that_do_not_sum_to_one_are_refused(session):
    _projects_and_rules(session)
    _save(session, "allocation_rules", {
        "project_key": "CHAT", "priority": 1, "match": "ServiceName", "pattern": "Tax",
        "share": "0.5",
    })  # fmt: skip
    with pytest.raises(ValidationFailed, match="inconsistent"):
        _import(session, "focus-1.0.csv")


def test_the_cli_imports_and_reconciles_as_json(db_url):
    runner = CliRunner()
    paths = [str(DATA / name) for name in ALL]
    result = runner.invoke(app, ["bills", "import", *paths, "--database-url", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["bills", "reconcile", "--format", "json", "--database-url", db_url]
    )
    files = json.loads(result.output)["files"]
    assert [f["kind"] for f in files] == ["focus", "focus", "openai", "anthropic", "litellm"]
    assert files[2]["periods"] == [{
        "billing_period": "2024-11", "currency": "USD", "effective_total": "1.394567890123",
        "billed_total": "1.394567890123", "allocated": {}, "unallocated": "1.394567890123",
    }]  # fmt: skip
    broken = runner.invoke(app, ["bills", "import", str(DATA / "focus-broken.csv"),
                                 "--database-url", db_url])  # fmt: skip
    assert broken.exit_code == 1
    assert "focus-broken.csv:2: EffectiveCost: 'abc' is not a number" in broken.output
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        assert _count(session, BillFile) == 5
    engine.dispose()
    result = runner.invoke(app, ["bills", "unallocated", "--top", "2", "--format", "json",
                                 "--database-url", db_url])  # fmt: skip
    assert [c["service"] for c in json.loads(result.output)] == [
        "claude-sonnet-4", "Claude on Vertex AI"
    ]  # fmt: skip


def test_the_report_adds_unit_economics_only_where_a_kpi_counts_outcomes(db_url):
    runner = CliRunner()
    report = ["report", "--as-of", "2025-12-31", "--format", "json", "--database-url", db_url]
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        _projects_and_rules(session)
        _import(session, "anthropic-cost-report.json")
    assert "unit_economics" not in json.loads(runner.invoke(app, report).output)
    with session_scope(engine) as session:
        _save(session, "kpis", {
            "project_key": "SUP", "key": "T", "name": "Tickets", "unit": "tickets",
            "baseline": 0, "target": 9, "target_date": "2026-12-31", "outcome_volume": "yes",
        })  # fmt: skip
        _save(session, "measurements",
                            {"project_key": "SUP", "kpi_key": "T", "date": "2025-11-03",
                             "value": 1000})  # fmt: skip
    engine.dispose()
    shown = json.loads(runner.invoke(app, report).output)
    (sup,) = shown["unit_economics"]
    assert sup["months"] == [{
        "month": "2025-11", "allocated_cost": "123.46", "volume": 1000.0,
        "cost_per_outcome": "0.1235", "tokens": None, "tokens_per_outcome": None,
    }]  # fmt: skip
    table = runner.invoke(app, [*report[:-4], "--database-url", db_url]).output
    assert "Cost per outcome of SUP (USD from bills per tickets of KPI T)" in table


@pytest.mark.postgres
def test_postgresql_imports_replaces_allocates_and_reconciles(postgres_url, tmp_path):
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with session_scope(engine) as session:
            _projects_and_rules(session)
            _import(session, *ALL)
        newer = tmp_path / "newer.csv"
        newer.write_text((DATA / "focus-1.3.csv").read_text().replace("100.00,80.00", "1,1"))
        with session_scope(engine) as session:
            result = bills.import_bills(session, [("newer.csv", newer)], actor=ADMIN,
                                        reporting_currency="USD")  # fmt: skip
            assert result.files[0].replaced_lines == 2
            report = bills.reconcile(session)
            for file in report.files:
                for period in file.periods:
                    parts = sum(
                        map(Decimal, period.allocated.values()), Decimal(period.unallocated)
                    )
                    assert parts == Decimal(period.effective_total)
            frame = records.queries.costs_frame(session)
            assert (frame["id"] < 0).sum() == _count(session, BillCost) > 0
    finally:
        engine.dispose()


def test_cost_and_tokens_per_outcome_by_month(session):
    _projects_and_rules(session)
    _save(session, "kpis", {
        "project_key": "CHAT", "key": "CHATS", "name": "Chats", "unit": "chats",
        "baseline": 0, "target": 100, "target_date": "2026-12-31", "outcome_volume": "yes",
    })  # fmt: skip
    for day, value in (("2024-09-10", 30), ("2024-09-20", 20), ("2024-10-05", 7)):
        _save(session, "measurements", {
            "project_key": "CHAT", "kpi_key": "CHATS", "date": day, "value": value,
        })  # fmt: skip
    _save(session, "allocation_rules", {
        "project_key": "CHAT", "priority": 1, "match": "ServiceName", "pattern": "Amazon EC2",
    })  # fmt: skip
    _import(session, "focus-1.0.csv")
    (chat,) = bills.unit_economics(session, reporting_currency="USD")
    assert (chat.project_key, chat.kpi_key, chat.currency) == ("CHAT", "CHATS", "USD")
    september, october = chat.months
    # EC2 10.25 - credit 3.10 + Bedrock 0.0000024369 - 0.05: 7.1000024369 → 7.10
    assert (september.allocated_cost, september.volume) == ("7.1", 50.0)
    assert september.cost_per_outcome == "0.142"
    assert september.tokens_per_outcome == "48.72"  # 2436 tokens / 50 chats
    assert (october.allocated_cost, october.cost_per_outcome, october.volume) == (None, None, 7.0)
