"""`roi-tracker kpis` and `simulate` as the contract describes them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.acceptance import reference
from tests.acceptance.conftest import cli
from tests.acceptance.portfolio import AS_OF, FILES

SMART = ["specific", "measurable", "achievable", "relevant", "time_bound"]


def expected_kpis(as_of: date) -> dict[tuple[str, str], dict]:
    """Progress, least-squares projection and status of every KPI, recomputed by hand."""
    starts = {r["key"]: r["start_date"] for r in reference.rows(FILES["projects.csv"])}
    measured: dict[tuple[str, str], list[tuple[date, float]]] = {}
    for r in reference.rows(FILES["measurements.csv"]):
        day = date.fromisoformat(r["date"])
        if day <= as_of:
            measured.setdefault((r["project_key"], r["kpi_key"]), []).append(
                (day, float(r["value"]))
            )
    result = {}
    for r in reference.rows(FILES["kpis.csv"]):
        key = (r["project_key"], r["key"])
        baseline, target = float(r["baseline"]), float(r["target"])
        baseline_day = date.fromisoformat(r["baseline_date"] or starts[r["project_key"]])
        target_day = date.fromisoformat(r["target_date"])
        points = sorted(measured.get(key, []))
        latest = points[-1][1] if points else None
        progress = None if latest is None else (latest - baseline) / (target - baseline)
        projected = projected_progress = None
        if points:
            xs = [0.0] + [(d - baseline_day).days for d, _ in points]
            ys = [baseline] + [v for _, v in points]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
                (x - mx) ** 2 for x in xs
            )
            projected = my + slope * ((target_day - baseline_day).days - mx)
            projected_progress = (projected - baseline) / (target - baseline)
        if progress is not None and progress >= 1:
            status = "achieved"
        elif as_of > target_day:
            status = "missed"
        elif not points:
            status = "no_data"
        elif projected_progress >= 1:
            status = "on_track"
        elif projected_progress >= 0.8:
            status = "at_risk"
        else:
            status = "off_track"
        result[key] = {
            "latest": latest,
            "progress": progress,
            "projected": projected,
            "projected_progress": projected_progress,
            "status": status,
        }
    return result


def test_kpis_json_matches_the_contract(portfolio_url: str) -> None:
    result = cli("kpis", "--database-url", portfolio_url, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    want = expected_kpis(date.fromisoformat(AS_OF))
    assert sorted((k["project_key"], k["key"]) for k in got) == sorted(want)
    for kpi in got:
        expected = want[(kpi["project_key"], kpi["key"])]
        assert {"project_key", "key", *expected, "smart"} <= set(kpi)
        label = f"{kpi['project_key']}/{kpi['key']}"
        assert kpi["status"] == expected["status"], label
        for name in ("latest", "progress", "projected", "projected_progress"):
            if expected[name] is None:
                assert kpi[name] is None, f"{label} {name}"
            else:
                assert kpi[name] == pytest.approx(expected[name], rel=1e-9), f"{label} {name}"
        assert list(kpi["smart"]) == SMART
        for part in kpi["smart"].values():
            assert isinstance(part["ok"], bool) and isinstance(part["reason"], str)
            assert part["reason"]
    # the boundaries: projected progress of exactly 1 and 0.8, and just below 0.8
    statuses = {k["key"]: k["status"] for k in got}
    assert [statuses[k] for k in ("k-on-track", "k-at-risk", "k-off-track")] == [
        "on_track", "at_risk", "off_track",
    ]  # fmt: skip
    assert {statuses["k-achieved"], statuses["k-missed"], statuses["k-empty"]} == {
        "achieved", "missed", "no_data",
    }  # fmt: skip


def test_kpis_of_one_project(portfolio_url: str) -> None:
    result = cli("kpis", "--database-url", portfolio_url, "--as-of", AS_OF, "--project", "gamma",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(k["key"] for k in json.loads(result.stdout)) == ["k-empty", "k-missed"]


def simulate(url: str, *extra: str, trials: int = 2000) -> dict:
    result = cli("simulate", "--database-url", url, "--as-of", AS_OF, "--trials", str(trials),
                 "--format", "json", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_simulate_json_shape_and_determinism(portfolio_url: str) -> None:
    first = simulate(portfolio_url, "--seed", "11")
    assert list(first) == ["trials", "seed", "basis", "projects", "portfolio"]
    assert (first["trials"], first["seed"], first["basis"]) == (2000, 11, "forecast")
    assert [p["key"] for p in first["projects"]] == ["alpha", "beta", "gamma"]
    summaries = [first["portfolio"][s] for s in ("total", "hard")]
    summaries += [p[s] for p in first["projects"] for s in ("total", "hard")]
    for project in first["projects"]:
        assert list(project) == ["key", "total", "hard"]
    for summary in summaries:
        assert list(summary) == ["mean", "p10", "p50", "p90", "prob_positive"]
        assert summary["p10"] <= summary["p50"] <= summary["p90"]
        assert 0 <= summary["prob_positive"] <= 1
    assert simulate(portfolio_url, "--seed", "11") == first
    assert simulate(portfolio_url, "--seed", "12") != first
    plan = simulate(portfolio_url, "--seed", "11", "--basis", "plan")
    assert plan["basis"] == "plan"


@pytest.mark.parametrize("basis", ["forecast", "plan"])
def test_simulated_mean_converges_to_the_expected_npv(portfolio_url: str, basis: str) -> None:
    """Per the contract, the mean NPV is the risk-adjusted NPV without contingency, each
    ranged amount taking its triangle's mean (the amount itself when the range is symmetric)."""
    got = simulate(portfolio_url, "--seed", "5", "--basis", basis, trials=40_000)
    want = reference.report(FILES, basis, date.fromisoformat(AS_OF), simulated=True)
    for project in got["projects"]:
        for scope in ("total", "hard"):
            summary = project[scope]
            expected = want["projects"][project["key"]][scope]["risk_adjusted_npv"]
            # about five standard errors of the mean, estimated from the spread of the trials
            spread = (summary["p90"] - summary["p10"]) / 2.56
            assert abs(summary["mean"] - expected) <= 5 * spread / 200 + 0.01, project["key"]
    expected = want["portfolio"]["total"]["risk_adjusted_npv"]
    summary = got["portfolio"]["total"]
    assert abs(summary["mean"] - expected) <= 5 * (summary["p90"] - summary["p10"]) / 512 + 0.01
