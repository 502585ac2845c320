"""The SMTP module against a real server on loopback: sending, login, refusals, outages."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from roi_tracker.config import Settings
from roi_tracker.errors import NotConfigured
from roi_tracker.reporting.mailer import (
    Mailer,
    OutgoingEmail,
    PermanentlyRefused,
    SendFailed,
    ServerUnavailable,
    message_id_for,
)
from tests.reporting.loopback_smtp import PERMANENT_REFUSAL, Inbox, free_port, mail_settings

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
    with pytest.raises(
        SendFailed, match=r"refused the message: 451 4\.3\.0 mail system busy"
    ) as info:
        mailer.send(_message(mailer))
    assert not isinstance(info.value, PermanentlyRefused)  # 4xx: worth trying again


def test_a_5xx_reply_is_a_permanent_refusal(smtp_server):
    smtp_server.inbox.refusing, smtp_server.inbox.refusal = True, PERMANENT_REFUSAL
    mailer = Mailer(mail_settings("sqlite://", smtp_server.port))
    with pytest.raises(PermanentlyRefused, match=r"refused the message: 550 5\.7\.1 message"):
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


PLAINTEXT = {"smtp_username": "mailer", "smtp_allow_plaintext_auth": True}


def test_a_login_over_a_plain_connection_is_refused_unless_allowed(login_server):
    controller, inbox, logins = login_server
    settings = mail_settings(
        "sqlite://", controller.port, smtp_username="mailer", smtp_password="s3cret-pw"
    )
    with pytest.raises(NotConfigured, match="ROI_TRACKER_SMTP_ALLOW_PLAINTEXT_AUTH") as info:
        Mailer(settings)
    assert "\n" not in str(info.value) and "s3cret-pw" not in str(info.value)
    assert logins == [] and inbox.messages == []  # nothing was sent, not even the login

    allowed = settings.model_copy(update={"smtp_allow_plaintext_auth": True})
    Mailer(allowed).send(_message(Mailer(allowed)))
    assert logins == [("mailer", "s3cret-pw")] and len(inbox.wait_for(1)) == 1


def test_the_plaintext_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROI_TRACKER_SMTP_ALLOW_PLAINTEXT_AUTH", "true")
    assert Settings(_env_file=None).smtp_allow_plaintext_auth is True
    assert Settings(_env_file=None, smtp_allow_plaintext_auth=False).plaintext_login is False


def test_a_server_without_login_is_a_refusal_not_an_outage(smtp_server):
    settings = mail_settings("sqlite://", smtp_server.port, smtp_password="s3cret-pw", **PLAINTEXT)
    with pytest.raises(SendFailed, match="AUTH extension not supported") as info:
        Mailer(settings).send(_message(Mailer(settings)))
    # an outage would postpone the other deliveries of the run; this is the server's answer
    assert not isinstance(info.value, ServerUnavailable)


def test_login_uses_the_secret_password_and_a_failure_never_shows_it(login_server):
    controller, inbox, logins = login_server
    good = mail_settings("sqlite://", controller.port, smtp_password="s3cret-pw", **PLAINTEXT)
    assert "s3cret-pw" not in repr(good)
    Mailer(good).send(_message(Mailer(good)))
    assert len(inbox.wait_for(1)) == 1
    assert logins == [("mailer", "s3cret-pw")]

    bad = mail_settings(
        "sqlite://", controller.port, smtp_password="wrong-pw", **PLAINTEXT
    ).model_copy(update={"smtp_timeout_seconds": 1})
    with pytest.raises(SendFailed, match=f"SMTP server 127.0.0.1:{controller.port}") as info:
        Mailer(bad).send(_message(Mailer(bad)))
    assert "wrong-pw" not in str(info.value)
    assert len(inbox.messages) == 1


@pytest.fixture
def certificate_authority(tmp_path, monkeypatch):
    """A test CA whose certificate the client trusts (through SSL_CERT_FILE, which Python's
    default TLS context reads), and a server certificate it issued for 127.0.0.1."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    trusted = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(trusted))
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))
    return server_context


def _tls_server(inbox: Inbox, logins: list, **tls) -> Controller:
    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    return Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate, **tls
    )


def _server_tls(mode: str, context: ssl.SSLContext) -> dict:
    if mode == "starttls":
        # login and mail are refused before STARTTLS, as real servers do
        return {"tls_context": context, "require_starttls": True}
    # aiosmtpd's check that AUTH runs over TLS knows STARTTLS only: here the whole
    # connection is TLS
    return {"ssl_context": context, "auth_require_tls": False}


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_connections_send_and_log_in(certificate_authority, mode):
    inbox, logins = Inbox(), []
    controller = _tls_server(inbox, logins, **_server_tls(mode, certificate_authority))
    controller.start()
    try:
        settings = mail_settings(
            "sqlite://", controller.port, **{f"smtp_{mode}": True},
            smtp_username="mailer", smtp_password="s3cret-pw",
        )  # fmt: skip
        Mailer(settings).send(_message(Mailer(settings)))
        assert inbox.wait_for(1)[0]["Message-ID"] == "<id@example.com>"
        assert logins == [("mailer", "s3cret-pw")]
    finally:
        controller.stop()


def test_an_untrusted_certificate_is_a_one_line_failure(certificate_authority, monkeypatch):
    inbox, logins = Inbox(), []
    controller = _tls_server(inbox, logins, **_server_tls("ssl", certificate_authority))
    controller.start()
    try:
        # the client trusts only the system's authorities again, not the test one
        monkeypatch.delenv("SSL_CERT_FILE")
        settings = mail_settings(
            "sqlite://", controller.port, smtp_ssl=True,
            smtp_username="mailer", smtp_password="s3cret-pw",
        )  # fmt: skip
        with pytest.raises(SendFailed, match="CERTIFICATE_VERIFY_FAILED") as info:
            Mailer(settings).send(_message(Mailer(settings)))
        assert "\n" not in str(info.value) and "s3cret-pw" not in str(info.value)
        assert inbox.messages == [] and logins == []
    finally:
        controller.stop()
