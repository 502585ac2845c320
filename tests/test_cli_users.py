"""The users commands: add, list, set-role, disable, enable, reset-password; serve's refusal."""

from __future__ import annotations

import json
import os
import pty
import select as io_wait
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from roi_tracker.access import Role
from roi_tracker.cli import app
from roi_tracker.config import Settings, is_loopback
from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import AuditEntry, User

PASSWORD = "correct horse battery"


def run(db_url: str, *args: str, stdin: str | None = None):
    return CliRunner().invoke(app, [*args, "--database-url", db_url], input=stdin)


def rows(db_url: str) -> tuple[list[User], list[AuditEntry]]:
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            users = list(session.exec(select(User).order_by(User.email)))
            trail = list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))
            session.expunge_all()
            return users, trail
    finally:
        engine.dispose()


def database_text(db_url: str) -> bytes:
    return Path(db_url.removeprefix("sqlite:///")).read_bytes()


def test_add_with_a_password_on_stdin_stores_an_argon2_hash_and_no_plaintext(db_url):
    result = run(db_url, "users", "add", "Ana@Example.com", "--role", "editor",
                 "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.stdout == "added ana@example.com (editor, active, signs in with password)\n"
    [user], trail = rows(db_url)
    assert user.password_hash.startswith("$argon2id$")
    assert {line.field: line.new for line in trail} == {
        "role": "editor", "active": "True", "password": "***",
    }  # fmt: skip
    assert trail[0].actor.startswith("cli:")
    assert PASSWORD.encode() not in database_text(db_url)


def test_list_shows_every_user_as_a_table_or_json(db_url):
    run(db_url, "users", "add", "b@example.com", "--role", "admin", "--no-password")
    run(db_url, "users", "add", "a@example.com", "--role", "viewer", "--password-stdin",
        stdin=PASSWORD)  # fmt: skip

    table = run(db_url, "users", "list")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["email", "role", "active", "sign-in", "last", "sign-in", "(UTC)"]
    assert lines[2].split() == ["a@example.com", "viewer", "yes", "password", "-"]
    assert lines[3].split() == ["b@example.com", "admin", "yes", "identity", "provider", "-"]

    listed = json.loads(run(db_url, "users", "list", "--format", "json").stdout)
    assert listed == [
        {"email": "a@example.com", "role": "viewer", "active": True, "sign_in": "password",
         "last_sign_in_at": None},
        {"email": "b@example.com", "role": "admin", "active": True,
         "sign_in": "identity provider", "last_sign_in_at": None},
    ]  # fmt: skip


def test_in_oidc_mode_add_asks_no_password(db_url, monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_AUTH", "oidc")
    result = run(db_url, "users", "add", "a@example.com", "--role", "viewer")

    assert result.exit_code == 0, result.output
    assert rows(db_url)[0][0].password_hash is None


def test_set_role_disable_enable_and_the_last_admin(db_url):
    run(db_url, "users", "add", "root@example.com", "--role", "admin", "--no-password")
    run(db_url, "users", "add", "ana@example.com", "--role", "viewer", "--no-password")

    refused = run(db_url, "users", "set-role", "root@example.com", "editor")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: root@example.com is the last active admin: make another user admin first\n"
    )
    assert run(db_url, "users", "disable", "ROOT@example.com").exit_code == 1

    promoted = run(db_url, "users", "set-role", "ana@example.com", "admin")
    assert promoted.stdout == (
        "updated ana@example.com (admin, active, signs in with identity provider)\n"
    )
    disabled = run(db_url, "users", "disable", "root@example.com")
    assert disabled.exit_code == 0, disabled.output
    users = rows(db_url)[0]
    assert [(u.email, u.role, u.active) for u in users] == [
        ("ana@example.com", "admin", True), ("root@example.com", "admin", False),
    ]  # fmt: skip
    assert run(db_url, "users", "enable", "root@example.com").exit_code == 0
    assert all(u.active for u in rows(db_url)[0])
    assert [line.field for line in rows(db_url)[1]][-3:] == ["role", "active", "active"]


def test_bad_input_is_one_line_and_writes_nothing(db_url):
    short = run(db_url, "users", "add", "a@example.com", "--role", "viewer", "--password-stdin",
                stdin="too short\n")  # fmt: skip
    assert (short.exit_code, short.stderr) == (
        1, "error: the password must have at least 12 characters\n",
    )  # fmt: skip
    unknown = run(db_url, "users", "disable", "nobody@example.com")
    assert unknown.stderr == "error: no user 'nobody@example.com'\n"
    bad_role = run(db_url, "users", "add", "a@example.com", "--role", "owner")
    assert bad_role.exit_code == 2
    empty = run(db_url, "users", "add", "a@example.com", "--role", "viewer", "--password-stdin",
                stdin="")  # fmt: skip
    assert empty.stderr == "error: --password-stdin: standard input has no password line\n"
    assert rows(db_url) == ([], [])


def test_reset_password_from_stdin_lets_the_new_password_sign_in(db_url):
    from roi_tracker.services import users

    run(db_url, "users", "add", "a@example.com", "--role", "viewer", "--password-stdin",
        stdin=PASSWORD)  # fmt: skip
    result = run(db_url, "users", "reset-password", "a@example.com", "--password-stdin",
                 stdin="another long passphrase\n")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert rows(db_url)[1][-1].field == "password"
    assert rows(db_url)[1][-1].new == "***"
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            from roi_tracker import clock

            signed = users.sign_in(session, "a@example.com", "another long passphrase", clock.now())
            assert signed.role is Role.VIEWER
    finally:
        engine.dispose()


def _echo_is_off(leader: int) -> bool:
    """Wait (up to 10 s) until the terminal no longer echoes what is typed."""
    deadline = time.monotonic() + 10
    while termios.tcgetattr(leader)[3] & termios.ECHO:
        if time.monotonic() > deadline:
            return False
        io_wait.select([], [], [], 0.01)
    return True


def _in_a_terminal(args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run ``roi-tracker ARGS`` in a new pseudo-terminal, typing ``answers`` at its prompts."""
    pid, leader = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling terminal, as in a shell
        os.execv(sys.executable, [sys.executable, "-m", "roi_tracker", *args])
    output = b""
    pending = list(answers)
    while True:
        ready, _, _ = io_wait.select([leader], [], [], 15)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            break
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        output += chunk
        # each prompt ends with ": "; answer it as a person would, once the terminal stopped
        # echoing (typed earlier, the answer would be shown and then thrown away)
        asked = output.count(b": ")
        if pending and asked > len(answers) - len(pending) and _echo_is_off(leader):
            os.write(leader, pending.pop(0).encode() + b"\n")
    os.close(leader)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), output.decode(errors="replace")


def test_the_password_is_asked_twice_on_the_terminal_without_echo(db_url):
    code, shown = _in_a_terminal(
        ["users", "add", "a@example.com", "--role", "admin", "--database-url", db_url],
        [PASSWORD, PASSWORD],
    )

    assert code == 0, shown
    assert "Password:" in shown and "Repeat for confirmation:" in shown
    assert PASSWORD not in shown
    assert rows(db_url)[0][0].password_hash.startswith("$argon2id$")
    assert PASSWORD.encode() not in database_text(db_url)


def test_the_password_from_stdin_in_a_real_process(db_url):
    done = subprocess.run(
        [sys.executable, "-m", "roi_tracker", "users", "add", "a@example.com", "--role",
         "editor", "--password-stdin", "--database-url", db_url],
        input=PASSWORD + "\n", capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    assert rows(db_url)[0][0].password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True),
     ("[::1]", True), ("LOCALHOST.", True), ("0.0.0.0", False), ("::", False),
     ("192.168.1.5", False), ("roi.example.com", False), ("", False), (None, False)],
)  # fmt: skip
def test_loopback_addresses(address, loopback):
    assert is_loopback(address) is loopback


def test_serve_without_sign_in_refuses_a_public_address(db_url):
    result = run(db_url, "serve", "--address", "0.0.0.0")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: without sign-in (ROI_TRACKER_AUTH=none) the dashboard only listens on this "
        "machine, not on 0.0.0.0: set ROI_TRACKER_AUTH=local or oidc (docs/sign-in.md), "
        "or listen on localhost\n"
    )
    assert Settings(auth="local", _env_file=None).refusal_to_serve("0.0.0.0") is None
    assert Settings(_env_file=None).refusal_to_serve("127.0.0.1") is None
