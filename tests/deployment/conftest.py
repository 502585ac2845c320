"""The real SMTP server on loopback, as the email summary tests use it."""

from tests.reporting.conftest import smtp_server

__all__ = ["smtp_server"]
