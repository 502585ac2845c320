"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and settings for it."""

from __future__ import annotations

import email
import socket
import threading
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from roi_tracker.config import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


TEMPORARY_REFUSAL = "451 4.3.0 mail system busy, try later"
PERMANENT_REFUSAL = "550 5.7.1 message rejected by policy"


class Inbox:
    """Keeps every message; while ``refusing`` is set it answers DATA with ``refusal``.

    The refusal is a temporary one (4xx) unless a test sets a permanent one (5xx).
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusing = False
        self.refusal = TEMPORARY_REFUSAL
        self.refused = 0
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusing:
            self.refused += 1
            return self.refusal
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return list(self.messages)


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def mail_settings(database_url: str, port: int, **extra) -> Settings:
    return Settings(
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_sender="roi@example.com",
        smtp_timeout_seconds=5,
        _env_file=None,
        **extra,
    )


def mail_environment(database_url: str, port: int) -> dict[str, str]:
    """The ROI_TRACKER_* variables a subprocess needs to use the database and the server."""
    return {
        "ROI_TRACKER_DATABASE_URL": database_url,
        "ROI_TRACKER_SMTP_HOST": "127.0.0.1",
        "ROI_TRACKER_SMTP_PORT": str(port),
        "ROI_TRACKER_SMTP_SENDER": "roi@example.com",
        "ROI_TRACKER_SMTP_TIMEOUT_SECONDS": "5",
    }
