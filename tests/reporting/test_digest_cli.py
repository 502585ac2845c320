"""The digest commands and the scheduler as users run them: real processes, a real SMTP server."""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from email.policy import default as default_policy

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from roi_tracker.cli import app
from roi_tracker.store import make_engine, migrate, session_scope
from roi_tracker.store.tables import Cost, Delivery, Project, Subscription
from tests.reporting.loopback_smtp import mail_environment

runner = CliRunner()


class LogFollower:
    """Reads a process's log lines as they come, so a test can wait for a line to appear."""

    def __init__(self, stream) -> None:
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()

    def wait_for(self, fragment: str, *, count: int, timeout: float) -> None:
        with self._changed:
            seen = self._changed.wait_for(
                lambda: sum(fragment in line for line in self._lines) >= count, timeout=timeout
            )
            assert seen, f"{count} x {fragment!r} not logged within {timeout} s: {self._lines}"

    def text(self) -> str:
        """The whole log, once the process has closed it."""
        self._reader.join(timeout=30)
        with self._changed:
            return "".join(self._lines)


def roi(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``roi-tracker ARGS`` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "roi_tracker", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def add_project(url: str) -> str:
    """One project with a cost, so that summaries have figures to show."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        project = Project(key="bot", name="Support bot", start_date=date(2026, 1, 1))
        session.add(project)
        session.flush()
        session.add(
            Cost(
                project_id=project.id,
                key="build",
                date=date(2026, 1, 15),
                category="development",
                amount=Decimal("5000"),
                status="actual",
            )
        )
    engine.dispose()
    return url


@pytest.fixture
def portfolio_url(db_url) -> str:
    return add_project(db_url)


def deliveries(url: str) -> list[tuple[int, str, str]]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            rows = session.scalars(select(Delivery).order_by(Delivery.subscription_id))
            return [(d.subscription_id, d.period_key, d.status) for d in rows]
    finally:
        engine.dispose()


def test_subscribe_list_and_remove(db_url):
    result = invoke("digest", "subscribe", "cfo@example.com", "--frequency", "weekly",
                    "--timezone", "Europe/Berlin", "--database-url", db_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    first = int(result.stdout.strip())
    cron = invoke("digest", "subscribe", "cto@example.com", "--cron", "0 8 * * 1-5",
                  "--database-url", db_url)  # fmt: skip
    second = int(cron.stdout.strip())

    listed = json.loads(
        invoke("digest", "list", "--format", "json", "--database-url", db_url).stdout
    )
    assert [(s["id"], s["email"], s["frequency"], s["cron"], s["timezone"]) for s in listed] == [
        (first, "cfo@example.com", "weekly", None, "Europe/Berlin"),
        (second, "cto@example.com", "cron", "0 8 * * 1-5", "UTC"),
    ]
    table = invoke("digest", "list", "--database-url", db_url).stdout
    assert "cron 0 8 * * 1-5" in table and "portfolio" in table

    assert invoke("digest", "remove", str(first), "--database-url", db_url).exit_code == 0
    listed = json.loads(
        invoke("digest", "list", "--format", "json", "--database-url", db_url).stdout
    )
    assert [s["id"] for s in listed] == [second]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["not-an-address", "--frequency", "daily"], "invalid email address 'not-an-address'"),
        (["a@example.com", "--cron", "0 8 * *"], "invalid cron expression '0 8 * *'"),
        (["a@example.com", "--cron", "0 8 30 2 *"], "never fires"),
        (["a@example.com", "--frequency", "daily", "--timezone", "Mars/Base"], "unknown time zone"),
        (
            ["a@example.com", "--frequency", "daily", "--project", "nope"],
            "no project with key 'nope'",
        ),
    ],
)
def test_bad_subscriptions_are_refused_with_one_line_and_nothing_stored(db_url, arguments, message):
    result = invoke("digest", "subscribe", *arguments, "--database-url", db_url)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        assert session.scalars(select(Subscription)).all() == []
    engine.dispose()


def test_usage_errors_exit_with_status_2(db_url):
    assert invoke("digest", "subscribe", "a@example.com", "--database-url", db_url).exit_code == 2
    both = ("--frequency", "daily", "--cron", "0 8 * * *")
    assert invoke("digest", "subscribe", "a@example.com", *both).exit_code == 2
    assert invoke("digest", "subscribe", "a@example.com", "--frequency", "hourly").exit_code == 2
    assert invoke("digest", "send", "--database-url", db_url).exit_code == 2
    assert invoke("digest", "send", "--due", "--now", "--database-url", db_url).exit_code == 2


def test_sending_without_a_mail_server_is_refused(db_url):
    invoke("digest", "subscribe", "a@example.com", "--frequency", "daily", "--database-url", db_url)
    result = invoke("digest", "send", "--due", "--database-url", db_url)
    assert result.exit_code == 1
    assert "ROI_TRACKER_SMTP_HOST" in result.stderr and "Traceback" not in result.stderr
    assert deliveries(db_url) == []


def test_preview_writes_a_multipart_eml_and_records_nothing(portfolio_url, tmp_path):
    invoke(
        "digest",
        "subscribe",
        "a@example.com",
        "--frequency",
        "daily",
        "--database-url",
        portfolio_url,
    )
    target = tmp_path / "summary.eml"
    result = invoke("digest", "preview", "1", "-o", str(target), "--database-url", portfolio_url)
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(target.read_bytes(), policy=default_policy)
    assert message["To"] == "a@example.com" and message["Subject"].startswith("AI ROI summary")
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    printed = invoke("digest", "preview", "1", "--database-url", portfolio_url).stdout
    assert printed.startswith("Subject: AI ROI summary") and "HEADLINE FIGURES" in printed
    assert deliveries(portfolio_url) == []
    assert invoke("digest", "preview", "9", "--database-url", portfolio_url).exit_code == 1


def _two_senders_at_once(url: str, smtp_server) -> None:
    env = mail_environment(url, smtp_server.port)
    for address in ("a@example.com", "b@example.com", "c@example.com"):
        invoke("digest", "subscribe", address, "--frequency", "daily", env=env)
    senders = [roi("digest", "send", "--due", env=env) for _ in range(2)]
    outputs = [sender.communicate(timeout=120) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    # both senders have exited, and each waited for the server's answer: the count is final
    received = sorted(m["To"] for m in smtp_server.inbox.wait_for(3))
    assert received == ["a@example.com", "b@example.com", "c@example.com"]
    assert [status for _, _, status in deliveries(url)] == ["sent"] * 3
    # and a later run sends nothing more
    again = invoke("digest", "send", "--due", env=env)
    assert again.stdout.strip().endswith("0 sent, 0 failed")
    assert len(smtp_server.inbox.messages) == 3


def test_two_concurrent_senders_send_one_email_per_subscription_on_sqlite(
    portfolio_url, smtp_server
):
    _two_senders_at_once(portfolio_url, smtp_server)


@pytest.mark.postgres
def test_two_concurrent_senders_send_one_email_per_subscription_on_postgres(
    postgres_url, smtp_server
):
    migrate.upgrade(postgres_url)
    _two_senders_at_once(add_project(postgres_url), smtp_server)


def test_an_outage_fails_with_one_line_then_the_next_run_sends(portfolio_url, smtp_server):
    env = mail_environment(portfolio_url, smtp_server.port)
    invoke("digest", "subscribe", "cfo@example.com", "--frequency", "monthly", env=env)
    smtp_server.stop()
    down = invoke("digest", "send", "--due", env=env)
    assert down.exit_code == 1
    errors = down.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: summary 1 to cfo@example.com:")
    assert "could not send through SMTP server" in errors[0] and "Traceback" not in down.stderr
    assert [status for _, _, status in deliveries(portfolio_url)] == ["failed"]
    listed = json.loads(invoke("digest", "list", "--format", "json", env=env).stdout)
    assert "could not send" in listed[0]["last_delivery"]["error"]

    smtp_server.start()
    up = invoke("digest", "send", "--due", env=env)
    assert up.exit_code == 0, up.output
    assert "1 sent, 0 failed" in up.stdout
    assert [status for _, _, status in deliveries(portfolio_url)] == ["sent"]
    assert len(smtp_server.inbox.wait_for(1)) == 1


def test_send_now_sends_the_chosen_subscriptions(portfolio_url, smtp_server):
    env = mail_environment(portfolio_url, smtp_server.port)
    invoke("digest", "subscribe", "a@example.com", "--frequency", "monthly", env=env)
    invoke("digest", "subscribe", "b@example.com", "--frequency", "monthly", env=env)
    result = invoke("digest", "send", "--now", "2", env=env)
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in smtp_server.inbox.wait_for(1)] == ["b@example.com"]
    [(subscription, period, status)] = deliveries(portfolio_url)
    assert (subscription, status) == (2, "sent") and period.startswith("manual:")


def test_the_scheduler_sends_a_due_summary_and_stops_on_sigterm(portfolio_url, smtp_server):
    env = mail_environment(portfolio_url, smtp_server.port)
    invoke("digest", "subscribe", "cfo@example.com", "--frequency", "weekly", env=env)
    # Under a shifted clock (libfaketime, which the suite must pass under), a thread's timed
    # wait never ends unless the monotonic clock stays real; the calendar stays shifted.
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    scheduler = roi("scheduler", "--interval", "1", "--log-level", "debug", env=env)
    log = LogFollower(scheduler.stderr)
    try:
        assert [m["To"] for m in smtp_server.inbox.wait_for(1, timeout=60)] == ["cfo@example.com"]
        # two more rounds run after the one that sent: the summary is not sent again
        log.wait_for("round done: 0 sent, 0 failed", count=2, timeout=60)
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    log = log.text()
    assert scheduler.returncode == 0, log
    assert "SIGTERM received" in log and "scheduler stopped" in log and "Traceback" not in log
    assert len(smtp_server.inbox.messages) == 1
    assert [status for _, _, status in deliveries(portfolio_url)] == ["sent"]
