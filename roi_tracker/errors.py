"""Typed errors raised by the library and translated into messages at the edges (CLI, pages)."""

from __future__ import annotations


class RoiTrackerError(Exception):
    """Base class: a problem the user can fix; its message is shown as it is."""


class NotFound(RoiTrackerError):
    """A project, KPI or other record named by the user does not exist."""


class NotConfigured(RoiTrackerError):
    """A feature needs a setting that is not set (for example SMTP for email)."""


class InvalidInput(RoiTrackerError):
    """A single value given by the user is not acceptable."""


class ValidationFailed(RoiTrackerError):
    """Several problems were found; ``problems`` lists each as one line."""

    def __init__(self, problems: list[str], summary: str | None = None):
        self.problems = list(problems)
        super().__init__(summary or f"{len(self.problems)} problem(s) found")


class Forbidden(RoiTrackerError):
    """The acting user's role does not allow what was asked; nothing was written."""


class Conflict(RoiTrackerError):
    """A record changed since the user opened it; nothing was written.

    ``changes`` maps each field that differs to (the value the user opened, the stored value).
    """

    def __init__(self, message: str, changes: dict[str, tuple[object, object]] | None = None):
        self.changes = dict(changes or {})
        super().__init__(message)


class DatabaseFailed(RoiTrackerError):
    """The database could not do what was asked (locked, unreachable, refused a statement).

    The message says only what happened to the user's work; the details (SQL, parameters,
    host names) go to the log.
    """
