"""The SMTP module against a real server on loopback: sending, login, refusals, outages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from roi_tracker.config import Settings
from roi_tracker.errors import NotConfigured
from roi_tracker.reporting.mailer import Mailer, OutgoingEmail, SendFailed, message_id_for
from tests.reporting.loopback_smtp import Inbox, free_port, mail_settings

EMAIL = OutgoingEmail(subject="Weekly\nsummary", text="plain part", html="<p>html part</p>")
WHEN = datetime(2026, 11, 26, 8, tzinfo=UTC)


def _message(mailer: Mailer):
    return mailer.message(
        EMAIL, recipient="cfo@example.com", message_id="<id@example.com>", date=WHEN
    )


def test_sending_without_a_host_is_refused_with_a_clear_message():
    with pytest.raises(NotConfigured, match="ROI_TRACKER_SMTP_HOST"):
        Mailer(Settings(_env_file=None))


def test_a_message_arrives_with_both_parts_and_its_headers(smtp_server):
    mailer = Mailer(mail_settings("sqlite://", smtp_server.port))
    mailer.send(_message(mailer))
    [received] = smtp_server.inbox.wait_for(1)
    assert received["Subject"] == "Weekly summary"  # folded into one line
    assert received["Message-ID"] == "<id@example.com>"
    assert received["From"] == "roi@example.com"
    assert smtp_server.inbox.envelopes == [("roi@example.com", ["cfo@example.com"])]
    assert received.get_body(("plain",)).get_content().strip() == "plain part"
    assert received.get_body(("html",)).get_content().strip() == "<p>html part</p>"


def test_message_ids_are_deterministic_per_subscription_and_period():
    first = message_id_for(3, "2026-11", sender="roi@example.com")
    assert first == message_id_for(3, "2026-11", sender="roi@example.com")
    assert first != message_id_for(3, "2026-12", sender="roi@example.com")
    assert first != message_id_for(4, "2026-11", sender="roi@example.com")
    assert first.startswith("<") and first.endswith("@example.com>")


def test_an_outage_is_a_one_line_send_failure():
    mailer = Mailer(mail_settings("sqlite://", free_port()))  # nothing listens there
    expected = r"could not send through SMTP server 127\.0\.0\.1:"
    with pytest.raises(SendFailed, match=expected) as info:
        mailer.send(_message(mailer))
    assert "\n" not in str(info.value)


def test_a_refused_message_names_the_servers_reply(smtp_server):
    smtp_server.inbox.refusing = True
    mailer = Mailer(mail_settings("sqlite://", smtp_server.port))
    with pytest.raises(SendFailed, match=r"refused the message: 451 4\.3\.0 mail system busy"):
        mailer.send(_message(mailer))


@pytest.fixture
def login_server():
    inbox = Inbox()
    logins: list[tuple[str, str]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        login = (auth_data.login.decode(), auth_data.password.decode())
        logins.append(login)
        return AuthResult(success=login == ("mailer", "s3cret-pw"))

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield controller, inbox, logins
    controller.stop()


def test_login_uses_the_secret_password_and_a_failure_never_shows_it(login_server):
    controller, inbox, logins = login_server
    good = mail_settings(
        "sqlite://", controller.port, smtp_username="mailer", smtp_password="s3cret-pw"
    )
    assert "s3cret-pw" not in repr(good)
    Mailer(good).send(_message(Mailer(good)))
    assert len(inbox.wait_for(1)) == 1
    assert logins == [("mailer", "s3cret-pw")]

    bad = mail_settings(
        "sqlite://", controller.port, smtp_username="mailer", smtp_password="wrong-pw"
    ).model_copy(update={"smtp_timeout_seconds": 1})
    with pytest.raises(SendFailed, match=f"SMTP server 127.0.0.1:{controller.port}") as info:
        Mailer(bad).send(_message(Mailer(bad)))
    assert "wrong-pw" not in str(info.value)
    assert len(inbox.messages) == 1
