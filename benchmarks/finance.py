"""How fast the finance engine is, against per-series loops measured in the same run.

(a) A generated portfolio of 10,000 projects x 120 months with about 20 items each: building
    the monthly flows and every metric (costs, benefits, NPV, IRR, ROI, discounted ROI,
    payback, discounted payback, risk-adjusted NPV and ROI; hard and total; per project and
    for the portfolio) from the store's frames, against a per-project Python loop calling
    numpy_financial.npv and numpy_financial.irr on the same flows, for each of the engine's
    scopes (total, hard, cash). Goals: under 1 s, and at least 100x faster than the loop.
(b) IRR alone on the same 10,000 series, against a loop calling pyxirr.irr. Goal: at least
    as fast.
(c) Monte Carlo of 10,000 trials over 100 projects x 36 months. Goals: under 2 s and a peak
    of allocated memory under 1 GB.

    .venv/bin/python benchmarks/finance.py [--projects 10000] [--loop-sample 300]

numpy_financial.irr takes milliseconds per series, so the loop of (a) runs on a sample of
projects (``--loop-sample``) and is scaled to the whole portfolio; ``--loop-sample 0`` runs it
on every project.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pyxirr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roi_tracker.config import Settings  # noqa: E402
from roi_tracker.domain import finance, simulation  # noqa: E402
from roi_tracker.domain.metrics import (  # noqa: E402
    SCOPES,
    all_project_metrics,
    portfolio_metrics,
)
from roi_tracker.services.finance import inputs_from_frames, simulation_model  # noqa: E402

AS_OF = date(2026, 6, 15)
RECURRENCES = np.array(["one_time", "monthly", "quarterly", "annually"], dtype=object)


def generate(projects: int, horizon: int, items: int, seed: int = 1):
    """Frames shaped like the store's reads: projects, costs and benefits (cents)."""
    rng = np.random.default_rng(seed)
    starts = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 720, projects), "D")
    project_frame = pd.DataFrame(
        {
            "id": np.arange(1, projects + 1),
            "key": [f"p{i:05d}" for i in range(projects)],
            "name": [f"Project {i}" for i in range(projects)],
            "start_date": starts,
            "horizon_months": np.full(projects, float(horizon)),
            "discount_rate": rng.choice([np.nan, 0.08, 0.12], projects),
            "probability_of_success": rng.uniform(0.5, 1.0, projects),
            "cost_contingency": rng.uniform(0.0, 0.3, projects),
            "risk_premium": rng.uniform(0.0, 0.05, projects),
        }
    )

    def item_frame(count: int, benefits: bool) -> pd.DataFrame:
        n = projects * count
        owner = np.repeat(np.arange(projects), count)
        # costs early in the horizon, benefits later: realistic, mostly one sign change
        first = rng.integers(0, 12, n) if not benefits else rng.integers(3, 30, n)
        dates = starts[owner] + pd.to_timedelta(first * 30 + rng.integers(0, 28, n), "D")
        recurrence = rng.choice(RECURRENCES, n, p=[0.4, 0.4, 0.1, 0.1])
        # one-time amounts are larger than the recurring ones; benefits outweigh costs
        scale = np.where(recurrence == "one_time", 20.0, 1.0) * (3.0 if benefits else 1.0)
        amount = (rng.integers(1_000, 500_000, n) * scale).astype(np.int64)
        ranged = rng.random(n) < 0.5
        frame = pd.DataFrame(
            {
                "id": np.arange(n) + 1,
                "project_id": owner + 1,
                "key": [f"i{i}" for i in range(n)],
                "date": dates,
                "category": "other",
                "amount_cents": amount,
                "recurrence": recurrence,
                "end_date": pd.NaT,
                "status": np.where(
                    rng.random(n) < 0.3,
                    "realized" if benefits else "actual",
                    "expected" if benefits else "planned",
                ),
                "low_cents": np.where(ranged, amount * 0.8, np.nan),
                "high_cents": np.where(ranged, amount * 1.2, np.nan),
            }
        )
        if benefits:
            frame["type"] = np.where(rng.random(n) < 0.6, "hard", "soft")
            frame["confidence"] = rng.uniform(0.5, 1.0, n)
            frame["ramp_months"] = rng.choice([0, 0, 3, 6, 12], n)
        return frame

    return project_frame, item_frame(items // 2, False), item_frame(items - items // 2, True)


def timed(function, repeat: int = 3):
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def all_metrics(projects, costs, benefits, settings):
    inputs = inputs_from_frames(projects, costs, benefits, settings, as_of=AS_OF)
    flows = inputs.flows()
    per_scope = all_project_metrics(flows)
    portfolio = {scope: portfolio_metrics(flows, scope, per_scope[scope]) for scope in SCOPES}
    return flows, per_scope, portfolio


def loop_baseline(flows, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The slow path: one numpy_financial.npv and .irr call per project and scope (total,
    hard, cash: the scopes the engine computes); returns the total scope's NPVs and IRRs."""
    monthly = flows.parameters.monthly_rate
    found = {}
    for scope in SCOPES:
        net = flows.net(scope)
        npvs = np.array([npf.npv(monthly[i], net[i]) for i in rows])
        irrs = np.array([npf.irr(net[i]) for i in rows])
        found[scope] = npvs, irrs
    return found["total"]


def line(label: str, ours: float, theirs: float, goal: str) -> str:
    ratio = theirs / ours if ours > 0 else float("inf")
    return f"{label:<46} {ours:>10.3f} s {theirs:>12.3f} s {ratio:>9.1f}x   {goal}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--loop-sample", type=int, default=300)
    parser.add_argument("--trials", type=int, default=10_000)
    args = parser.parse_args()
    settings = Settings(_env_file=None)

    projects, costs, benefits = generate(args.projects, args.months, args.items)
    print(
        f"portfolio: {len(projects):,} projects x {args.months} months, "
        f"{len(costs) + len(benefits):,} items ({(len(costs) + len(benefits)) / len(projects):.0f}"
        " per project)"
    )
    print(f"{'':<46} {'vectorised':>12} {'baseline':>14} {'ratio':>10}   goal")

    # (a) flows and every metric vs a per-project numpy-financial loop
    seconds, (flows, per_scope, _) = timed(lambda: all_metrics(projects, costs, benefits, settings))
    sample = args.loop_sample if 0 < args.loop_sample < args.projects else args.projects
    rows = np.random.default_rng(3).choice(args.projects, sample, replace=False)
    loop_seconds, (npvs, irrs) = timed(lambda: loop_baseline(flows, rows), repeat=1)
    loop_total = loop_seconds * args.projects / sample
    np.testing.assert_allclose(per_scope["total"]["npv"][rows], npvs, rtol=1e-9, atol=1e-3)
    ours_irr = np.asarray(finance.irr(flows.net("total")[rows]))
    agree = np.isclose(ours_irr, irrs, rtol=1e-7, atol=1e-10) | (
        np.isnan(ours_irr) & np.isnan(irrs)
    )
    met = seconds < 1 and loop_total / seconds >= 100
    print(
        line("(a) flows + all metrics, all projects", seconds, loop_total,
             f"< 1 s and >= 100x: {'met' if met else 'MISSED'}")
    )  # fmt: skip
    scaled = "" if sample == args.projects else f", scaled from {sample} projects"
    print(
        f"    baseline = numpy_financial.npv + .irr per project and scope{scaled}; "
        f"IRR agrees on {agree.mean():.1%} of the sample, NPV to 1e-9"
    )

    # (b) IRR alone vs a pyxirr loop
    net = np.ascontiguousarray(flows.net("total"))
    irr_seconds, ours = timed(lambda: finance.irr(net))
    pyx_seconds, theirs = timed(
        lambda: np.array([pyxirr.irr(row, silent=True) for row in net], dtype=float)
    )
    both = np.isfinite(ours) & np.isfinite(theirs)
    print(
        line(f"(b) IRR of {len(net):,} series x {net.shape[1]}", irr_seconds, pyx_seconds,
             f">= 1x pyxirr.irr loop: {'met' if pyx_seconds >= irr_seconds else 'MISSED'}")
    )  # fmt: skip
    print(
        f"    max |difference| where both found a rate: {np.abs(ours - theirs)[both].max():.1e}; "
        f"rates found: ours {np.isfinite(ours).sum():,}, pyxirr {np.isfinite(theirs).sum():,}"
    )

    # (c) Monte Carlo, 100 projects x 36 months
    small = generate(100, 36, args.items, seed=5)
    inputs = inputs_from_frames(*small, settings, as_of=AS_OF)
    tracemalloc.start()
    start = time.perf_counter()
    result = simulation.run(simulation_model(inputs), trials=args.trials, seed=1)
    mc_seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    summary = simulation.summarize(result.portfolio["total"] / 100)
    goal = "met" if mc_seconds < 2 and peak < 2**30 else "MISSED"
    print(
        f"{'(c) Monte Carlo ' + format(args.trials, ',') + ' trials, 100 x 36':<46} "
        f"{mc_seconds:>10.3f} s   peak {peak / 2**20:,.0f} MiB   "
        f"goal < 2 s and < 1 GB: {goal}"
    )
    print(
        f"    portfolio NPV: mean {summary['mean']:,.0f}, P10 {summary['p10']:,.0f}, "
        f"P90 {summary['p90']:,.0f}, P(>0) {summary['prob_positive']:.1%}"
    )


if __name__ == "__main__":
    main()
