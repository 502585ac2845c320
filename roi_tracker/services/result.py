"""The base of the use cases' results: small immutable pydantic models.

A result is read by attribute (``report.portfolio.total.npv``) by the command line, the email
summaries and the pages; ``result.model_dump(mode="json")`` is the JSON the command line
prints, in field order, dates as ISO text and None as null.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Result"]


class Result(BaseModel):
    """A use case's result: frozen, so a cached one cannot be changed by a reader."""

    model_config = ConfigDict(frozen=True)
