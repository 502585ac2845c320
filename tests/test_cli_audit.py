"""``roi-tracker audit``: the trail newest first, filtered, as a table or JSON; the demo audited."""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timedelta

from typer.testing import CliRunner

from roi_tracker import clock
from roi_tracker.access import Actor
from roi_tracker.cli import app
from roi_tracker.services import records
from roi_tracker.store import session_scope
from tests.pages.conftest import load_portfolio

EDITOR = Actor.user("ed@example.com", "editor")
COST = {"project_key": "beta", "key": "gpu", "date": "2026-02-01", "category": "data",
        "amount": "10"}  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(app, ["audit", *args])


def test_the_trail_is_printed_newest_first_and_filtered(db_url, engine):
    load_portfolio(db_url)
    with session_scope(engine) as session:
        records.save_record(session, "costs", COST, actor=EDITOR)
        record = next(r for r in records.entity_records(session, "costs", project_key="alpha")
                      if r["key"] == "run")  # fmt: skip
    with session_scope(engine) as session:
        records.save_record(session, "costs", {**record, "amount": "2500"}, actor=Actor.local())

    shown = run("--format", "json", "--database-url", db_url)
    assert shown.exit_code == 0, shown.output
    lines = json.loads(shown.stdout)
    assert [line["action"] for line in lines][:1] == ["update"]
    assert lines[0] == {
        "actor": "local", "at": lines[0]["at"], "action": "update", "entity": "costs",
        "record_key": "alpha/run", "project_key": "alpha", "field": "amount",
        "old": "2000.00", "new": "2500.00", "detail": None,
    }  # fmt: skip
    assert {line["action"] for line in lines[1:]} == {"create"}
    at = datetime.fromisoformat(lines[0]["at"])
    assert at.utcoffset() == timedelta(0) and at >= datetime.fromisoformat(lines[-1]["at"])

    by_editor = json.loads(run("--user", "ED@example.com", "--format", "json",
                               "--database-url", db_url).stdout)  # fmt: skip
    assert {(line["actor"], line["project_key"]) for line in by_editor} == {
        ("ed@example.com", "beta")
    }
    only_alpha = json.loads(run("--project", "alpha", "--format", "json",
                                "--database-url", db_url).stdout)  # fmt: skip
    assert [line["record_key"] for line in only_alpha] == ["alpha/run"]
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()  # the app's one clock
    assert run("--since", tomorrow, "--database-url", db_url).stdout.strip() == "no audit lines"
    assert len(json.loads(run("--since", lines[0]["at"][:10], "--format", "json",
                              "--database-url", db_url).stdout)) == len(lines)  # fmt: skip

    table = run("--project", "alpha", "--database-url", db_url).stdout.splitlines()
    assert table[0].split() == ["who", "when", "(UTC)", "action", "entity", "key", "field",
                                "old", "new"]  # fmt: skip
    assert table[2].split() == ["local", lines[0]["at"][:19], "update", "costs", "alpha/run",
                                "amount", "2000.00", "2500.00"]  # fmt: skip


def test_a_bad_since_is_a_one_line_error(db_url):
    result = run("--since", "yesterday", "--database-url", db_url)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --since: 'yesterday' is not a date (YYYY-MM-DD)"


def test_the_demo_command_is_audited_as_the_command_line_user(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert CliRunner().invoke(app, ["demo", "--database-url", url]).exit_code == 0
    lines = json.loads(run("--format", "json", "--database-url", url).stdout)
    assert lines and {line["actor"] for line in lines} == {f"cli:{getpass.getuser()}"}
    assert all(line["detail"]["source"] == "demo" for line in lines)
