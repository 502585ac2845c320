"""The ``roi-tracker`` command line: thin over the services; one module per group of commands."""

from __future__ import annotations

from roi_tracker.cli import (
    audit,  # noqa: F401  (registers its commands)
    baseline,  # noqa: F401  (registers its commands)
    bills,  # noqa: F401  (registers its commands)
    boardpack,  # noqa: F401  (registers its commands)
    data,  # noqa: F401  (registers its commands)
    demo,  # noqa: F401  (registers its commands)
    digest,  # noqa: F401  (registers its commands)
    finance,  # noqa: F401  (registers its commands)
    setup,  # noqa: F401  (registers its commands)
    tracking,  # noqa: F401  (registers its commands)
    users,  # noqa: F401  (registers its commands)
)
from roi_tracker.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
