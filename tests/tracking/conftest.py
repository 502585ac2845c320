"""Fixtures of the tracking tests: the hand-checked portfolio of ``tracking_portfolio``."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from tracking_portfolio import store_portfolio


@pytest.fixture
def portfolio(engine: Engine) -> Engine:
    store_portfolio(engine)
    return engine
