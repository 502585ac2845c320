"""The Scenarios page: what-if controls recompute, Monte Carlo percentiles, tornado."""

from __future__ import annotations

from tests.pages.conftest import charts, open_app

PAGE = "app_pages/scenarios.py"


def histogram(at) -> list:
    return charts(at)["monte_carlo"]["data"][0]["y"]


def tiles(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_what_if_controls_change_the_metrics(small_db):
    at = open_app(PAGE)
    assert not at.exception
    recorded = tiles(at)
    assert not next(m for m in at.metric if m.label == "NPV").delta

    at.slider(key="what_if_benefits").set_value(150).run()

    assert not at.exception
    more = tiles(at)
    assert more["NPV"] != recorded["NPV"]
    npv = next(m for m in at.metric if m.label == "NPV")
    assert npv.delta and not npv.delta.startswith("−")

    at.slider(key="what_if_benefits").set_value(100)
    at.toggle(key="what_if_override").set_value(True).run()
    at.slider(key="what_if_probability").set_value(0.0).run()
    # without any chance of success no expected benefit counts in the risk-adjusted NPV
    assert tiles(at)["Risk-adj. NPV"] != recorded["Risk-adj. NPV"]
    assert tiles(at)["NPV"] == recorded["NPV"]


def test_monte_carlo_reports_percentiles_and_the_chance_of_a_loss(small_db):
    at = open_app(PAGE)

    shown = tiles(at)
    for label in ("P10 (pessimistic)", "P50 (median)", "P90 (optimistic)", "Probability of a loss"):
        assert label in shown
    assert "pessimistic end" in " ".join(c.value for c in at.caption)
    assert set(charts(at)) == {"monte_carlo", "tornado"}

    first = histogram(at)
    at.number_input(key="mc_seed").set_value(7).run()
    assert not at.exception
    assert histogram(at) != first
    at.number_input(key="mc_seed").set_value(42).run()
    assert histogram(at) == first
    assert tiles(at) == shown


def test_a_single_project_can_be_simulated(small_db):
    at = open_app(PAGE)
    at.selectbox(key="scenario_scope").select("alpha").run()

    assert not at.exception
    assert set(charts(at)) == {"monte_carlo", "tornado"}
