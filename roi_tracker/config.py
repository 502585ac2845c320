"""Settings: the ROI_TRACKER_* variables, read from the environment and a .env file."""

from __future__ import annotations

import ipaddress
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from roi_tracker import clock
from roi_tracker.access import Role
from roi_tracker.domain.vocabulary import CURRENCY_CODE_LENGTH, FRACTION, HORIZON_MONTHS
from roi_tracker.errors import InvalidInput

#: the dashboard always answers to these (the machine itself)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class AuthMode(StrEnum):
    """How people sign in to the dashboard."""

    NONE = "none"  # nobody signs in: allowed only while the dashboard listens on loopback
    LOCAL = "local"  # email and password, accounts in the users table
    OIDC = "oidc"  # the company's identity provider (.streamlit/secrets.toml [auth])


class Settings(BaseSettings):
    """Every setting of the application; construct one directly in tests."""

    model_config = SettingsConfigDict(
        env_prefix="ROI_TRACKER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite:///roi_tracker.db"
    # a default rate is a fraction: a project may set a negative one, the default may not
    discount_rate: float = Field(
        0.10, ge=FRACTION.low, le=FRACTION.high, description="default annual discount rate"
    )
    horizon_months: int = Field(
        36, ge=HORIZON_MONTHS.low, le=HORIZON_MONTHS.high, description="default analysis horizon"
    )
    currency: str = Field("USD", min_length=CURRENCY_CODE_LENGTH, max_length=CURRENCY_CODE_LENGTH)
    # first calendar month of the fiscal year; FY2027 is the fiscal year ending in 2027
    fiscal_year_start_month: int = Field(1, ge=1, le=12)
    # IANA zone that decides "today" for every as-of default; None: the machine's zone
    timezone: str | None = None

    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_sender: str | None = None
    smtp_timeout_seconds: float = 30.0
    # a login over a connection without TLS shows the password to anyone on the path
    smtp_allow_plaintext_auth: bool = False

    # Link placed in email summaries, e.g. https://roi.example.com
    base_url: str | None = None
    # Host names people type to reach the dashboard (besides loopback), comma-separated:
    # any other Host header is refused, which defeats DNS rebinding.
    public_hosts: Annotated[tuple[str, ...], NoDecode] = ()

    auth: AuthMode = AuthMode.NONE
    # role of a new user row for an unknown email signed in by the identity provider;
    # None: such a person is refused until an admin adds them
    oidc_default_role: Role | None = None
    # a local sign-in lasts this long; then the password is asked again
    session_hours: float = Field(8.0, gt=0, le=24 * 30)
    # failed local sign-ins allowed before each further attempt waits (30 s, doubling to 1 h)
    sign_in_attempts: int = Field(5, ge=1, le=100)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, name: str | None) -> str | None:
        if name is not None:
            try:
                clock.zone(name)
            except InvalidInput as exc:
                raise ValueError(str(exc)) from None
        return name

    @field_validator("public_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            return tuple(host.strip().lower() for host in value if host.strip())
        return value

    @model_validator(mode="after")
    def _check_smtp(self) -> Settings:
        if self.smtp_starttls and self.smtp_ssl:
            raise ValueError("set ROI_TRACKER_SMTP_STARTTLS or ROI_TRACKER_SMTP_SSL, not both")
        self.currency = self.currency.upper()
        return self

    def refusal_to_serve(self, address: str | None) -> str | None:
        """Why the dashboard may not listen on ``address`` with these settings, or None."""
        if self.auth is AuthMode.NONE and not is_loopback(address):
            where = f"on {address}" if address else "on every network interface"
            return (
                f"without sign-in (ROI_TRACKER_AUTH=none) the dashboard only listens on this "
                f"machine, not {where}: set ROI_TRACKER_AUTH=local or oidc (docs/sign-in.md), "
                "or listen on localhost"
            )
        return None

    def today(self) -> date:
        """Today in ``ROI_TRACKER_TIMEZONE``: the default as-of day of every command and page."""
        return clock.today(self.timezone)

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """Host names the dashboard answers to: loopback and ``public_hosts``."""
        return LOOPBACK_HOSTS + tuple(h for h in self.public_hosts if h not in LOOPBACK_HOSTS)

    @property
    def emails_enabled(self) -> bool:
        """True only when an SMTP host is configured."""
        return bool(self.smtp_host)

    @property
    def plaintext_login(self) -> bool:
        """True when an SMTP login would be sent without SSL or STARTTLS."""
        return bool(self.smtp_username) and not (self.smtp_ssl or self.smtp_starttls)

    @property
    def smtp_port_effective(self) -> int:
        if self.smtp_port:
            return self.smtp_port
        return 465 if self.smtp_ssl else (587 if self.smtp_starttls else 25)


def is_loopback(address: str | None) -> bool:
    """True for an address only this machine reaches: localhost, 127.0.0.0/8, ::1.

    None or "" is Streamlit's default, every interface: not loopback.
    """
    if not address:
        return False
    host = address.strip().removeprefix("[").removesuffix("]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
