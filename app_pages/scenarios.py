"""Scenarios: what-if controls, the Monte Carlo distribution of NPV, the sensitivity tornado."""

import streamlit as st

from roi_tracker.services.finance import Scenario
from roi_tracker.ui import actions, charts, components, data, plot
from roi_tracker.ui.sections import scenarios as page

st.title("Scenarios")
projects = data.projects()
if projects.empty:
    components.no_projects_yet()
    st.stop()

scope = components.pick_scope(projects, key="scenario_scope")
currency = data.settings().currency

st.subheader("What if…")
st.caption("Changes apply to what has not happened yet: planned costs and expected benefits.")
controls = st.columns(5)
rate_points = controls[0].slider("Discount rate change (points)", -5.0, 5.0, 0.0, 0.5,
                                 key="what_if_rate")  # fmt: skip
benefits = controls[1].slider("Benefits (% of plan)", 50, 150, 100, 5, key="what_if_benefits")
costs = controls[2].slider("Costs (% of plan)", 50, 200, 100, 5, key="what_if_costs")
delay = controls[3].slider("Benefits delayed (months)", 0, 12, 0, key="what_if_delay")
with controls[4]:
    override = st.toggle("Set probability of success", key="what_if_override")
    probability = st.slider("Probability of success", 0.0, 1.0, 0.8, 0.05,
                            key="what_if_probability", disabled=not override)  # fmt: skip
scenario = Scenario(
    discount_rate_delta=rate_points / 100,
    benefit_multiplier=benefits / 100,
    cost_multiplier=costs / 100,
    delay_months=delay,
    probability_of_success=probability if override else None,
)
result = actions.figures_or_stop(lambda: data.what_if(scope, scenario))
page.scenario_comparison(result, currency)

st.subheader("How sure are we? Monte Carlo")
st.caption(
    "Each trial draws whether each project succeeds (probability of success), whether each "
    "expected benefit arrives (confidence) and amounts within their low–high ranges. "
    "P10 is the pessimistic end (10 % of trials fall below it), P90 the optimistic end."
)
left, right = st.columns(2)
trials = left.select_slider("Trials", [1_000, 2_000, 5_000, 10_000, 20_000], value=5_000,
                            key="mc_trials")  # fmt: skip
seed = int(right.number_input("Seed (same seed, same numbers)", 0, 2**31 - 1, 42,
                              key="mc_seed"))  # fmt: skip
simulation = actions.figures_or_stop(lambda: data.simulate(scope, trials, seed))
page.simulation_summary(simulation, currency)

st.subheader("Which inputs matter most? Sensitivity")
tornado = data.sensitivity(scope)
plot.chart(
    charts.tornado(page.tornado_rows(tornado), currency, base_npv=tornado.base),
    key="tornado",
)
