"""Monte Carlo properties: the simulated mean converges to the risk-adjusted NPV."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_tracker.config import Settings
from roi_tracker.domain import simulation
from roi_tracker.domain.metrics import project_metrics
from roi_tracker.services.finance import inputs_from_frames, simulation_model

item = st.fixed_dictionaries(
    {
        "month": st.integers(-3, 20),
        "amount": st.integers(1, 10_000_00),
        "spread": st.floats(0, 1),
        "recurrence": st.sampled_from(["one_time", "monthly", "quarterly", "annually"]),
        "planned": st.booleans(),
        # certain, impossible, or likely enough to happen in some of the trials: an event of
        # probability 1e-7 never shows in 20,000 trials, so their spread cannot bound its error
        "confidence": st.one_of(st.just(0.0), st.just(1.0), st.floats(0.01, 0.99)),
        "hard": st.booleans(),
    }
)


def frames(costs: list[dict], benefits: list[dict], probability: float, premium: float):
    projects = pd.DataFrame(
        dict(id=[1], key=["p"], name=["P"], start_date=pd.to_datetime(["2025-01-01"]),
             horizon_months=[24.0], discount_rate=[0.1], probability_of_success=[probability],
             cost_contingency=[0.25], risk_premium=[premium])
    )  # fmt: skip

    def items(rows: list[dict], benefit: bool) -> pd.DataFrame:
        amount = np.array([r["amount"] for r in rows], dtype=np.int64)
        # symmetric ranges: low and high equally far from the amount
        half = np.array([int(r["amount"] * r["spread"]) for r in rows], dtype=np.int64)
        frame = pd.DataFrame(
            {
                "id": np.arange(len(rows)) + 1,
                "project_id": 1,
                "key": [f"k{i}" for i in range(len(rows))],
                "date": pd.to_datetime("2025-01-01")
                + pd.to_timedelta([30.5 * r["month"] for r in rows], "D"),
                "category": "other",
                "amount_cents": amount,
                "recurrence": [r["recurrence"] for r in rows],
                "end_date": pd.NaT,
                "low_cents": (amount - half).astype(float),
                "high_cents": (amount + half).astype(float),
            }
        )
        if benefit:
            frame["status"] = ["expected" if r["planned"] else "realized" for r in rows]
            frame["type"] = ["hard" if r["hard"] else "soft" for r in rows]
            frame["confidence"] = [r["confidence"] for r in rows]
            frame["ramp_months"] = 0
        else:
            frame["status"] = ["planned" if r["planned"] else "actual" for r in rows]
        return frame

    return projects, items(costs, False), items(benefits, True)


@settings(max_examples=12, deadline=None)
@given(
    st.lists(item, min_size=1, max_size=4),
    st.lists(item, min_size=1, max_size=4),
    # certain, or failing often enough to show in the trials (as the confidences)
    st.one_of(st.just(1.0), st.floats(0.05, 0.99)),
    st.floats(0, 0.1),
    st.integers(0, 2**31),
)
def test_simulated_mean_converges_to_risk_adjusted_npv_without_contingency(
    costs, benefits, probability, premium, seed
) -> None:
    inputs = inputs_from_frames(
        *frames(costs, benefits, probability, premium),
        Settings(_env_file=None),
        as_of=date(2025, 6, 15),
    )
    trials = 20_000
    result = simulation.run(simulation_model(inputs), trials=trials, seed=seed)
    no_contingency = replace(
        inputs, parameters=replace(inputs.parameters, cost_contingency=np.zeros(1))
    )
    for scope in ("total", "hard"):
        expected = project_metrics(no_contingency.flows(), scope)["risk_adjusted_npv"][0]
        values = result.projects[scope][:, 0]
        standard_error = values.std() / np.sqrt(trials)
        # five standard errors (and float noise) around the exact expectation
        assert abs(values.mean() - expected) <= 5 * standard_error + 1e-6 * (abs(expected) + 1)


def test_same_seed_gives_the_same_trials_and_chunks_the_same_distribution() -> None:
    inputs = inputs_from_frames(
        *frames(
            [{"month": 0, "amount": 500_00, "spread": 0.0, "recurrence": "monthly",
              "planned": True, "confidence": 1.0, "hard": True}],
            [{"month": 2, "amount": 900_00, "spread": 0.5, "recurrence": "monthly",
              "planned": True, "confidence": 0.7, "hard": True}],
            0.9, 0.02,
        ),
        Settings(_env_file=None),
        as_of=date(2025, 1, 15),
    )  # fmt: skip
    model = simulation_model(inputs)
    first = simulation.run(model, trials=3000, seed=5)
    again = simulation.run(model, trials=3000, seed=5)
    np.testing.assert_array_equal(first.portfolio["total"], again.portfolio["total"])
    small_chunks = simulation.run(model, trials=3000, seed=5, chunk_elements=10)
    values, other = first.portfolio["total"], small_chunks.portfolio["total"]
    assert other.shape == (3000,)
    assert abs(values.mean() - other.mean()) <= 5 * values.std() * np.sqrt(2 / 3000)
    summary = simulation.summarize(first.portfolio["total"])
    assert summary["p10"] <= summary["p50"] <= summary["p90"]


def test_triangular_draws_have_the_right_mean_and_bounds() -> None:
    u = np.random.default_rng(0).random(200_000)
    draws = simulation.triangular(
        u, np.full_like(u, 2.0), np.full_like(u, 3.0), np.full_like(u, 7.0)
    )
    assert draws.min() >= 2.0 and draws.max() <= 7.0
    assert abs(draws.mean() - 4.0) < 0.01
    degenerate = simulation.triangular(u[:5], np.full(5, 3.0), np.full(5, 3.0), np.full(5, 3.0))
    np.testing.assert_array_equal(degenerate, np.full(5, 3.0))
