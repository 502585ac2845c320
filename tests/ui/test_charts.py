"""Every chart has a title, labelled axes and hover text, and shows the data it was given."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from roi_tracker.ui import charts


def assert_labelled(figure: go.Figure) -> None:
    assert figure.layout.title.text
    assert figure.layout.xaxis.title.text
    assert figure.layout.yaxis.title.text
    for trace in figure.data:
        assert trace.hovertemplate, f"trace {trace.name} has no hover text"


def test_bubbles_one_trace_per_stage_and_rims_losses():
    frame = pd.DataFrame(
        {
            "name": ["A", "B", "C"],
            "stage": ["pilot", "production", "pilot"],
            "costs": [100.0, 200.0, 50.0],
            "risk_adjusted_roi": [0.5, -0.2, 1.0],
            "npv": [40.0, -30.0, 0.0],
        }
    )
    figure = charts.portfolio_bubbles(frame, "USD")

    assert_labelled(figure)
    assert [t.name for t in figure.data] == ["pilot", "production"]
    assert list(figure.data[0].x) == [100.0, 50.0]
    assert list(figure.data[1].marker.line.width) == [3]
    assert figure.data[0].marker.size[0] > figure.data[0].marker.size[1]


def test_j_curve_marks_payback_or_says_it_is_not_reached():
    months = pd.date_range("2025-01-01", periods=4, freq="MS")
    figure = charts.portfolio_j_curve(
        months, [-10, -5, 2, 8], "EUR", payback_month=date(2025, 3, 1)
    )
    assert_labelled(figure)
    assert any("payback Mar 2025" in a.text for a in figure.layout.annotations)

    never = charts.portfolio_j_curve(months, [-10, -9, -8, -7], "EUR")
    assert "no payback" in never.layout.title.text


def test_monthly_cash_flows_puts_costs_below_zero():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"]),
            "series": ["development", "hard", "soft", "cumulative net"],
            "kind": ["cost", "benefit", "benefit", "net"],
            "amount": [100.0, 30.0, 10.0, -60.0],
        }
    )
    figure = charts.monthly_cash_flows(frame, "USD", title="Cash flows")

    assert_labelled(figure)
    by_name = {t.name: t for t in figure.data}
    assert list(by_name["development (cost)"].y) == [-100.0]
    assert list(by_name["hard (benefit)"].y) == [30.0]
    assert list(by_name["cumulative net"].y) == [-60.0]


def test_kpi_chart_and_small_multiples():
    measurements = pd.DataFrame({"date": pd.to_datetime(["2025-03-01"]), "value": [7.0]})
    kpi = {
        "name": "Cycle time",
        "unit": "days",
        "measurements": measurements,
        "baseline": 10.0,
        "baseline_date": date(2025, 1, 1),
        "target": 3.0,
        "target_date": date(2025, 12, 31),
        "status": "at_risk",
    }
    benchmarks = pd.DataFrame({"name": ["industry"], "value": [4.0]})
    forecast = ((date(2025, 1, 1), 10.0), (date(2025, 12, 31), 4.0))
    single = charts.kpi_progress(**kpi, benchmarks=benchmarks, forecast=forecast)
    assert_labelled(single)
    assert {t.name for t in single.data} == {"baseline", "measured", "forecast", "target"}
    assert any("industry" in a.text for a in single.layout.annotations)

    grid = charts.kpi_small_multiples([kpi, {**kpi, "name": "Adoption"}, kpi, kpi], columns=3)
    assert grid.layout.title.text
    assert len(grid.data) == 8
    assert "Adoption<br><i>at risk</i>" in [a.text for a in grid.layout.annotations]


def test_budget_distribution_and_tornado():
    months = pd.date_range("2025-01-01", periods=3, freq="MS")
    budget = pd.DataFrame({"month": months, "planned": [10.0, 10, 10], "actual": [12.0, 9, 0]})
    budget = budget.assign(cumulative_planned=[10.0, 20, 30], cumulative_actual=[12.0, 21, 21])
    figure = charts.budget_by_month(budget, "USD", title="Budget")
    assert figure.layout.title.text == "Budget"
    assert len(figure.data) == 4

    counts, edges = np.histogram(np.linspace(-50, 150, 200), bins=20)
    histogram = charts.npv_distribution(
        edges, counts, "USD", p10=-30, p50=50, p90=130, prob_loss=0.25
    )
    assert_labelled(histogram)
    assert list(histogram.data[0].y) == list(counts)
    assert histogram.data[0].marker.color[0] != histogram.data[0].marker.color[-1]
    assert "P(loss) = 25%" in histogram.layout.title.text
    labels = [a.text for a in histogram.layout.annotations]
    assert labels == ["P10 (pessimistic)", "P50", "P90 (optimistic)"]

    sensitivities = pd.DataFrame(
        {
            "label": ["rate ±2 pp", "benefits ±20 %"],
            "low_npv": [90.0, 40.0],
            "high_npv": [110.0, 160.0],
        }
    )
    bars = charts.tornado(sensitivities, "USD", base_npv=100.0)
    assert_labelled(bars)
    # widest swing on top: plotly draws the last category at the top
    assert list(bars.data[0].y) == ["rate ±2 pp", "benefits ±20 %"]
    assert list(bars.data[1].x) == [10.0, 60.0]


def test_user_text_cannot_inject_markup_into_charts():
    measurements = pd.DataFrame({"date": pd.to_datetime(["2025-03-01"]), "value": [7.0]})
    figure = charts.kpi_progress(
        name='<a href="https://evil.example">click</a>', unit="<b>x</b>",
        measurements=measurements, baseline=1.0, baseline_date=date(2025, 1, 1), target=2.0,
        target_date=date(2025, 12, 1), status="on_track",
    )  # fmt: skip

    assert "<a" not in figure.layout.title.text
    assert "&lt;a href" in figure.layout.title.text
    assert all("<b>" not in trace.hovertemplate for trace in figure.data)
