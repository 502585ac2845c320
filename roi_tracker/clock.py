"""The one clock: what "now" and "today" are.

Only the edges (the CLI, the pages, the scheduler) call these functions; everything below them
takes ``as_of`` / ``now`` as an argument, so results never depend on when they are computed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from roi_tracker.errors import InvalidInput

__all__ = ["now", "today", "zone"]


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Europe/Berlin``), or InvalidInput naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r}: use an IANA name such as UTC or Europe/Berlin"
        ) from None


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today(timezone: str | None = None) -> date:
    """The current day in ``timezone`` (an IANA name), or in the machine's zone when None.

    ``ROI_TRACKER_TIMEZONE`` is passed here by the edges, so every as-of default is the same day.
    """
    if timezone is None:
        return now().astimezone().date()
    return now().astimezone(zone(timezone)).date()
