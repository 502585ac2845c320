"""The only SMTP code: builds a multipart message and hands it to the configured server.

Plain SMTP, STARTTLS or implicit TLS (SSL), with a login when a user name is set. The password
comes from ``Settings.smtp_password`` (a SecretStr): it is given to the server and nowhere else,
never logged, never part of an error message, never stored. A login is never sent over a plain
connection unless ``ROI_TRACKER_SMTP_ALLOW_PLAINTEXT_AUTH`` says so.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from roi_tracker.config import Settings
from roi_tracker.errors import NotConfigured, RoiTrackerError

__all__ = [
    "Mailer",
    "OutgoingEmail",
    "PermanentlyRefused",
    "SendFailed",
    "ServerUnavailable",
    "build_message",
    "message_id_for",
    "sender_address",
]

DEFAULT_SENDER_LOCAL_PART = "roi-tracker"


class SendFailed(RoiTrackerError):
    """The SMTP server could not be reached or refused the message."""


class ServerUnavailable(SendFailed):
    """The SMTP server could not be reached at all: no use trying other messages now."""


class PermanentlyRefused(SendFailed):
    """The SMTP server refused with a permanent (5xx) reply: retrying will not help for long."""


def _refusal(code: int, message: str) -> SendFailed:
    return PermanentlyRefused(message) if 500 <= code < 600 else SendFailed(message)


@dataclass(frozen=True)
class OutgoingEmail:
    """A rendered summary: subject, plain-text part and HTML part."""

    subject: str
    text: str
    html: str


def sender_address(settings: Settings) -> str:
    """The From address: ROI_TRACKER_SMTP_SENDER, else the login if it is an address."""
    if settings.smtp_sender:
        return settings.smtp_sender
    if settings.smtp_username and "@" in settings.smtp_username:
        return settings.smtp_username
    return f"{DEFAULT_SENDER_LOCAL_PART}@{settings.smtp_host or 'localhost'}"


def message_id_for(subscription_id: int, period_key: str, *, sender: str) -> str:
    """The same Message-ID for the same subscription and period, so clients can drop a repeat."""
    domain = sender.rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(f"{subscription_id}/{period_key}".encode()).hexdigest()[:24]
    return f"<roi-summary.{subscription_id}.{digest}@{domain}>"


def build_message(
    email: OutgoingEmail, *, sender: str, recipient: str, message_id: str, date: datetime
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML as the preferred part."""
    message = EmailMessage()
    # a subject is one line whatever the names in it contain
    message["Subject"] = " ".join(email.subject.split())
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


class Mailer:
    """Sends messages through the SMTP server of ``settings``."""

    def __init__(self, settings: Settings):
        if not settings.emails_enabled:
            raise NotConfigured(
                "email is not configured: set ROI_TRACKER_SMTP_HOST (and ROI_TRACKER_SMTP_PORT, "
                "_USERNAME, _PASSWORD, _STARTTLS or _SSL, _SENDER as your server needs)"
            )
        if settings.plaintext_login and not settings.smtp_allow_plaintext_auth:
            raise NotConfigured(
                "refusing to send the SMTP password over a plain connection: set "
                "ROI_TRACKER_SMTP_STARTTLS or ROI_TRACKER_SMTP_SSL, or "
                "ROI_TRACKER_SMTP_ALLOW_PLAINTEXT_AUTH=true if the server is on a trusted network"
            )
        self.settings = settings
        self.sender = sender_address(settings)

    @property
    def server(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port_effective}"

    def message(
        self, email: OutgoingEmail, *, recipient: str, message_id: str, date: datetime
    ) -> EmailMessage:
        return build_message(
            email, sender=self.sender, recipient=recipient, message_id=message_id, date=date
        )

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.smtp_ssl:
            return smtplib.SMTP_SSL(
                s.smtp_host,
                s.smtp_port_effective,
                timeout=s.smtp_timeout_seconds,
                context=ssl.create_default_context(),
            )
        connection = smtplib.SMTP(
            s.smtp_host, s.smtp_port_effective, timeout=s.smtp_timeout_seconds
        )
        if s.smtp_starttls:
            connection.starttls(context=ssl.create_default_context())
        return connection

    def send(self, message: EmailMessage) -> None:
        """Send ``message``; SendFailed with a one-line reason when the server fails or refuses."""
        s = self.settings
        try:
            with self._connect() as connection:
                if s.smtp_username:
                    password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                    connection.login(s.smtp_username, password)
                connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            replies = list(exc.recipients.values())
            codes = ", ".join(f"{code} {_text(reply)}" for code, reply in replies)
            raise _refusal(
                min(code for code, _ in replies),
                f"SMTP server {self.server} refused the recipient: {codes}",
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise _refusal(
                exc.smtp_code,
                f"SMTP server {self.server} refused the message: {exc.smtp_code} "
                f"{_text(exc.smtp_error)}",
            ) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise ServerUnavailable(
                f"could not send through SMTP server {self.server}: {_reason(exc)}"
            ) from None
        except smtplib.SMTPException as exc:
            # before OSError, its base class: the server answered, it is not out of reach
            raise SendFailed(
                f"could not send through SMTP server {self.server}: {_reason(exc)}"
            ) from None
        except OSError as exc:
            raise ServerUnavailable(
                f"could not send through SMTP server {self.server}: {_reason(exc)}"
            ) from None


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(reply.split())
