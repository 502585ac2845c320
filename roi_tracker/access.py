"""Who may do what: roles, the permissions they grant, and the actor behind every write.

Every write service takes an ``Actor`` and calls :func:`require` before it changes anything;
the pages, the command line and the scheduler only say who is acting. The actor's ``name``
is what the audit trail records: a signed-in user's email, ``cli:<os user>`` or ``scheduler``.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum

from roi_tracker.errors import Forbidden

__all__ = ["ROLE_PERMISSIONS", "Actor", "Permission", "Role", "require"]


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Permission(StrEnum):
    """What a write or a page needs; the phrase is the end of "may not …"."""

    READ = "read the data"
    EXPORT = "export the data"
    SUBSCRIBE_SELF = "subscribe their own address to email summaries"
    EDIT_DATA = "add, edit or import project data"
    DELETE_PROJECT = "delete projects"
    MANAGE_USERS = "manage users"
    MANAGE_SUBSCRIPTIONS = "manage other people's email subscriptions"
    LOAD_DEMO = "load the demo data"


_VIEWER = frozenset({Permission.READ, Permission.EXPORT, Permission.SUBSCRIBE_SELF})
_EDITOR = _VIEWER | {Permission.EDIT_DATA}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.EDITOR: _EDITOR,
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """Someone or something that acts: its audit name, its role, its email if it has one."""

    name: str
    role: Role
    email: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @classmethod
    def user(cls, email: str, role: Role | str) -> Actor:
        return cls(name=email, role=Role(role), email=email)

    @classmethod
    def command_line(cls) -> Actor:
        """Whoever runs the CLI on the server: they can read the database file anyway."""
        return cls(name=f"cli:{getpass.getuser()}", role=Role.ADMIN)

    @classmethod
    def scheduler(cls) -> Actor:
        return cls(name="scheduler", role=Role.ADMIN)

    @classmethod
    def local(cls) -> Actor:
        """The one user of a dashboard without sign-in (ROI_TRACKER_AUTH=none, loopback only)."""
        return cls(name="local", role=Role.ADMIN)


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``Forbidden`` unless ``actor``'s role grants ``permission``."""
    if not actor.can(permission):
        raise Forbidden(f"{actor.name} ({actor.role.value}) may not {permission.value}")
