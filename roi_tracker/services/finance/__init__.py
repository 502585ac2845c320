"""Finance use cases: the report, monthly flows, explanations, Monte Carlo, sensitivity, what-if.

Every use case reads the store through :mod:`roi_tracker.store.queries`, turns the rows into
the arrays of :mod:`roi_tracker.domain.cashflows` (:mod:`.inputs`) and returns the result
models of :mod:`.models` (and DataFrames) in currency units, ready for the dashboard, the
email summaries and the command line. This package is the public surface:
``from roi_tracker.services import finance`` then ``finance.portfolio_report(...)``.

The report reads plain columns and computes on numpy only: ``roi-tracker report`` loads no
pandas.

Shapes follow docs/finance.md: ``portfolio_report(...).model_dump(mode="json")`` is the object
that ``roi-tracker report --format json`` prints and ``simulate(...)``'s the one of
``roi-tracker simulate --format json``.
"""

from roi_tracker.services.finance.evidence import explain_driver, explain_drivers, waterfall
from roi_tracker.services.finance.explanation import explain
from roi_tracker.services.finance.inputs import (
    BASES,
    CENTS,
    EngineInputs,
    Exchange,
    PortfolioInputs,
    currencies,
    engine_inputs,
    inputs_from_frames,
    load_engine_inputs,
    load_inputs,
    with_value,
)
from roi_tracker.services.finance.models import (
    Attribution,
    ByScope,
    Distribution,
    DriverExplanation,
    Explanation,
    ExplanationInputs,
    FiscalYearFlow,
    FiscalYearReport,
    Formula,
    Histogram,
    Histograms,
    Metrics,
    PortfolioDistribution,
    PortfolioMetrics,
    PortfolioReport,
    ProjectFiscalYears,
    ProjectReport,
    ProjectSimulation,
    Scope,
    Sensitivity,
    Simulation,
    Swing,
    Waterfall,
    WaterfallStep,
    WhatIf,
)
from roi_tracker.services.finance.report import (
    FlowGrouping,
    compute_report,
    fiscal_year_report,
    monthly_flows,
    portfolio_report,
    report_frame,
)
from roi_tracker.services.finance.scenarios import (
    SENSITIVITY_DRIVERS,
    SENSITIVITY_RISKS,
    Scenario,
    apply_scenario,
    sensitivity,
    what_if,
)
from roi_tracker.services.finance.simulation import simulate, simulation_model

__all__ = [
    "BASES",
    "CENTS",
    "SENSITIVITY_DRIVERS",
    "SENSITIVITY_RISKS",
    "Attribution",
    "ByScope",
    "Distribution",
    "DriverExplanation",
    "EngineInputs",
    "Exchange",
    "Explanation",
    "ExplanationInputs",
    "FiscalYearFlow",
    "FiscalYearReport",
    "FlowGrouping",
    "Formula",
    "Histogram",
    "Histograms",
    "Metrics",
    "PortfolioDistribution",
    "PortfolioInputs",
    "PortfolioMetrics",
    "PortfolioReport",
    "ProjectFiscalYears",
    "ProjectReport",
    "ProjectSimulation",
    "Scenario",
    "Scope",
    "Sensitivity",
    "Simulation",
    "Swing",
    "Waterfall",
    "WaterfallStep",
    "WhatIf",
    "apply_scenario",
    "compute_report",
    "currencies",
    "engine_inputs",
    "explain",
    "explain_driver",
    "explain_drivers",
    "fiscal_year_report",
    "inputs_from_frames",
    "load_engine_inputs",
    "load_inputs",
    "monthly_flows",
    "portfolio_report",
    "report_frame",
    "sensitivity",
    "simulate",
    "simulation_model",
    "waterfall",
    "what_if",
    "with_value",
]
