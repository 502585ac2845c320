"""Every published reference case of finance_vectors.json (numpy-financial and pyxirr suites)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from roi_tracker.domain import finance

VECTORS = json.loads((Path(__file__).parent / "data" / "finance_vectors.json").read_text())


def _expected(case: dict) -> np.ndarray:
    raw = case["expected"]
    items = raw if isinstance(raw, list) else [raw]
    return np.array([math.nan if x == "nan" else float(x) for x in items])


def _compute(case: dict):
    args = case["args"]
    function = case["function"]
    if function == "npv":
        return finance.npv(args["rate"], args["values"])
    if function == "xnpv":
        return finance.xnpv(args["rate"], args["values"], args["dates"])
    if function == "irr":
        return finance.irr(args["values"])
    if function == "xirr":
        return finance.xirr(args["values"], args["dates"])
    if function == "mirr":
        return finance.mirr(args["values"], args["finance_rate"], args["reinvest_rate"])
    if function == "irr_npv_congruence":
        return finance.npv(finance.irr(args["values"]), args["values"])
    raise AssertionError(f"unknown function {function}")


def _npv_at(case: dict, rate: float) -> tuple[float, float]:
    """NPV at ``rate`` and the sum of |discounted flows| there (the scale of a zero)."""
    values = np.asarray(case["args"]["values"], dtype=float)
    if case["function"] == "xirr":
        days = np.asarray(case["args"]["dates"], dtype="datetime64[D]")
        times = (days - days.min()).astype(float) / 365.0
    else:
        times = np.arange(values.size, dtype=float)
    exponent = -times * math.log1p(rate)
    weights = np.exp(exponent - exponent.max())
    return float((values * weights).sum()), float((np.abs(values) * weights).sum())


def _root_exists(case: dict) -> bool:
    """Scan rates from -99.99999 % to 100,000 % for a sign change of the NPV."""
    rates = np.expm1(np.linspace(-16.0, 7.0, 20001))
    signs = np.sign([_npv_at(case, r)[0] for r in rates])
    return bool((signs[:-1] * signs[1:] <= 0).any())


def _is_root(case: dict, rate: float) -> bool:
    value, scale = _npv_at(case, rate)
    return abs(value) <= 1e-9 * scale


def _close(actual: np.ndarray, expected: np.ndarray, tolerance: dict) -> np.ndarray:
    limit = max(tolerance.get("abs", 0.0), 0.0) + tolerance.get("rel", 0.0) * np.abs(expected)
    return np.abs(actual - expected) <= limit


@pytest.mark.parametrize("case", VECTORS, ids=[case["id"] for case in VECTORS])
def test_reference_vector(case: dict) -> None:
    actual = np.atleast_1d(np.asarray(_compute(case), dtype=float))
    expected = _expected(case)
    assert actual.shape == expected.shape
    for got, want in zip(actual, expected, strict=True):
        if case["any_valid_root"]:
            if math.isnan(got):
                assert not _root_exists(case), "NaN although a rate zeroes the NPV"
            elif not _close(np.array([got]), np.array([want]), case["tolerance"])[0]:
                assert got > -1 and _is_root(case, got), f"{got} is not a root"
        elif math.isnan(want):
            assert math.isnan(got), f"expected NaN, got {got}"
        else:
            assert _close(np.array([got]), np.array([want]), case["tolerance"])[0], (got, want)


def test_every_function_of_the_file_is_covered() -> None:
    functions = {case["function"] for case in VECTORS}
    assert functions == {"npv", "xnpv", "irr", "xirr", "mirr", "irr_npv_congruence"}
    assert len(VECTORS) >= 100
