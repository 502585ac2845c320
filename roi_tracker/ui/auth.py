"""Who is using the dashboard: the actor every page passes to the write services."""

from __future__ import annotations

from roi_tracker.access import Actor

__all__ = ["current_actor"]


def current_actor() -> Actor:
    """The signed-in user as an ``Actor``; without sign-in, the local administrator."""
    return Actor.local()
