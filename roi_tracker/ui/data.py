"""Cached reads for the pages, keyed by database URL and data version so edits show at once.

The version is a fingerprint of the stored data (``services.records.data_fingerprint``), so a
write from any page, the command line or another host invalidates these entries.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from roi_tracker.access import Actor
from roi_tracker.config import Settings
from roi_tracker.services import (
    audit,
    baselines,
    bills,
    finance,
    records,
    tracking,
    transfer,
    views,
)
from roi_tracker.store import queries
from roi_tracker.store.db import get_engine, session_scope
from roi_tracker.ui.auth import current_actor
from roi_tracker.ui.resources import current_settings, data_version, engine

__all__ = [
    "audit_choices",
    "audit_trail",
    "baseline_variance",
    "bill_costs",
    "bill_reconciliation",
    "board_pack",
    "budget_view",
    "decisions",
    "driver_explanations",
    "entity_records",
    "export_csv",
    "kpi_overview",
    "portfolio_frames",
    "portfolio_overview",
    "project_detail",
    "project_report",
    "projects",
    "risks",
    "sensitivity",
    "settings",
    "simulate",
    "source",
    "unallocated_contributors",
    "unit_economics",
    "waterfall",
    "what_if",
]


def source() -> tuple[str, str]:
    """(database URL, data version): the cache key of every cached read."""
    engine()
    return current_settings().database_url, data_version()


@st.cache_data(show_spinner=False, max_entries=16)
def _projects(url: str, version: str) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        return queries.projects_frame(session)


@st.cache_data(show_spinner=False, max_entries=64)
def _decisions(url: str, version: str, project_id: int) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        return queries.decisions_frame(session, project_ids=[project_id])


@st.cache_data(show_spinner=False, max_entries=64)
def _risks(url: str, version: str, project_id: int) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        return views.project_risks(session, project_id=project_id)


def projects() -> pd.DataFrame:
    """Every project, ordered by key."""
    return _projects(*source())


def decisions(project_id: int) -> pd.DataFrame:
    """The decision log of one project, oldest first."""
    return _decisions(*source(), project_id)


def risks(project_id: int) -> pd.DataFrame:
    """The risk register of one project (``views.project_risks``)."""
    return _risks(*source(), project_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _entity_records(
    url: str, version: str, entity: str, project_key: str | None, kpi_key: str | None
) -> list[dict]:
    with session_scope(get_engine(url)) as session:
        return records.entity_records(session, entity, project_key=project_key, kpi_key=kpi_key)


def entity_records(
    entity: str, *, project_key: str | None = None, kpi_key: str | None = None
) -> list[dict]:
    """Stored records of one entity as form values (see ``services.records.entity_records``)."""
    return _entity_records(*source(), entity, project_key, kpi_key)


@st.cache_data(show_spinner=False, max_entries=4)
def _frames(url: str, version: str, today: date) -> views.PortfolioFrames:
    with session_scope(get_engine(url)) as session:
        return views.load_frames(session, current_settings(), today)


def portfolio_frames() -> views.PortfolioFrames:
    """Every project with its costs, benefits and open risks (four queries, cached)."""
    return _frames(*source(), current_settings().today())


@st.cache_data(show_spinner="Computing the portfolio…", max_entries=32)
def _overview(
    url: str, version: str, keys: tuple[str, ...], today: date
) -> views.PortfolioOverview:
    frames = _frames(url, version, today).narrowed(list(keys))
    kpis = _kpi_overview(url, version, today)
    return views.portfolio_overview(frames, current_settings(), as_of=today, kpis=kpis)


def portfolio_overview(keys: tuple[str, ...]) -> views.PortfolioOverview:
    """The portfolio page's figures for the projects with these keys, as of today."""
    return _overview(*source(), keys, current_settings().today())


def board_pack(keys: tuple[str, ...]) -> bytes:
    """The board pack workbook of the projects with these keys, as of today, archived with
    its data (not cached: it is built when it is downloaded)."""
    from roi_tracker import boardpack
    from roi_tracker.ui.auth import current_actor

    url, _ = source()
    settings = current_settings()
    with session_scope(get_engine(url)) as session:
        _, _, content = boardpack.generate(
            session, settings, as_of=settings.today(), project_keys=list(keys),
            actor=current_actor(),
        )  # fmt: skip
    return content


@st.cache_data(show_spinner=False, max_entries=32)
def _baseline_variance(url: str, version: str, key: str, today: date) -> baselines.ProjectVariance:
    with session_scope(get_engine(url)) as session:
        report = baselines.variance(session, current_settings(), project_key=key, as_of=today)
    return report.projects[0]


def baseline_variance(key: str) -> baselines.ProjectVariance:
    """The project against its latest approved baseline, as of today."""
    return _baseline_variance(*source(), key, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=4)
def _bill_reconciliation(url: str, version: str) -> bills.Reconciliation:
    with session_scope(get_engine(url)) as session:
        return bills.reconcile(session)


def bill_reconciliation() -> bills.Reconciliation:
    """Per bill file, currency and period: total, allocated, unallocated."""
    return _bill_reconciliation(*source())


@st.cache_data(show_spinner=False, max_entries=4)
def _unallocated(url: str, version: str, top: int) -> list[bills.Contributor]:
    with session_scope(get_engine(url)) as session:
        return bills.unallocated_contributors(session, top=top)


def unallocated_contributors(top: int = 10) -> list[bills.Contributor]:
    """The biggest contributors to the unallocated bill cost."""
    return _unallocated(*source(), top)


@st.cache_data(show_spinner=False, max_entries=16)
def _unit_economics(url: str, version: str, key: str, currency: str) -> list[bills.UnitEconomics]:
    with session_scope(get_engine(url)) as session:
        return bills.unit_economics(session, reporting_currency=currency, project_key=key)


def unit_economics(key: str) -> list[bills.UnitEconomics]:
    """Cost (and tokens) per outcome by month of the project ``key``, if it has an
    outcome-volume KPI."""
    return _unit_economics(*source(), key, current_settings().currency)


@st.cache_data(show_spinner=False, max_entries=16)
def _bill_costs(url: str, version: str, key: str | None) -> list[bills.BillCostRow]:
    with session_scope(get_engine(url)) as session:
        return bills.bill_costs(session, project_key=key)


def bill_costs(key: str | None) -> list[bills.BillCostRow]:
    """The actual costs from bills of one project (or all), by month and category."""
    return _bill_costs(*source(), key)


def settings() -> Settings:
    """The settings of this process (currency, default rate and horizon...)."""
    return current_settings()


@st.cache_data(show_spinner="Computing the project…", max_entries=32)
def _project_detail(url: str, version: str, key: str, today: date) -> views.ProjectDetail:
    with session_scope(get_engine(url)) as session:
        return views.project_detail(session, current_settings(), project_key=key, as_of=today)


def project_detail(key: str) -> views.ProjectDetail:
    """Cash flows, explained metrics and KPI charts of one project, as of today."""
    return _project_detail(*source(), key, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=16)
def _kpi_overview(url: str, version: str, today: date) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        return tracking.kpi_overview(session, as_of=today)


def kpi_overview() -> pd.DataFrame:
    """Every KPI with progress, forecast, status and SMART assessment as of today."""
    return _kpi_overview(*source(), current_settings().today())


@st.cache_data(show_spinner=False, max_entries=32)
def _budget_view(url: str, version: str, key: str | None, today: date) -> views.BudgetView:
    with session_scope(get_engine(url)) as session:
        return views.budget_view(session, current_settings(), as_of=today, project_key=key)


def budget_view(key: str | None) -> views.BudgetView:
    """Planned vs actual for the portfolio (``None``) or one project, as of today."""
    return _budget_view(*source(), key, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=64)
def _what_if(
    url: str, version: str, key: str | None, scenario: finance.Scenario, today: date
) -> finance.WhatIf:
    with session_scope(get_engine(url)) as session:
        return finance.what_if(session, current_settings(), scenario, project_key=key, as_of=today)


def what_if(key: str | None, scenario: finance.Scenario) -> finance.WhatIf:
    """The report as recorded and under ``scenario`` (portfolio when ``key`` is None)."""
    return _what_if(*source(), key, scenario, current_settings().today())


@st.cache_data(show_spinner="Running the Monte Carlo simulation…", max_entries=16)
def _simulate(
    url: str, version: str, key: str | None, trials: int, seed: int, today: date
) -> finance.Simulation:
    with session_scope(get_engine(url)) as session:
        return finance.simulate(
            session, current_settings(), project_key=key, trials=trials, seed=seed, as_of=today
        )


def simulate(key: str | None, trials: int, seed: int) -> finance.Simulation:
    """Monte Carlo of the NPV with this many trials and seed."""
    return _simulate(*source(), key, trials, seed, current_settings().today())


@st.cache_data(show_spinner="Computing sensitivities…", max_entries=16)
def _sensitivity(url: str, version: str, key: str | None, today: date) -> finance.Sensitivity:
    with session_scope(get_engine(url)) as session:
        return finance.sensitivity(session, current_settings(), project_key=key, as_of=today)


def sensitivity(key: str | None) -> finance.Sensitivity:
    """Tornado data of the risk-adjusted NPV."""
    return _sensitivity(*source(), key, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=16)
def _export_csv(url: str, version: str, entity: str, actor: Actor) -> str:
    with session_scope(get_engine(url)) as session:
        return transfer.export_csv(session, entity, actor=actor)


def export_csv(entity: str) -> str:
    """Every stored row of ``entity`` in its CSV format."""
    return _export_csv(*source(), entity, current_actor())


@st.cache_data(show_spinner=False, max_entries=64)
def _audit_trail(url: str, version: str, filters: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    with session_scope(get_engine(url)) as session:
        trail = audit.audit_entries(session, **dict(filters))  # type: ignore[arg-type]
    return pd.DataFrame(
        [line.model_dump() for line in trail.root],
        columns=list(audit.AuditLine.model_fields),
    )


def audit_trail(**filters: object) -> pd.DataFrame:
    """Lines of the audit trail, newest first (filters of ``services.audit.audit_entries``).

    Cached with the data version: every audited change of a record changes the data too.
    """
    return _audit_trail(*source(), tuple(sorted(filters.items())))


@st.cache_data(show_spinner=False, max_entries=4)
def _audit_choices(url: str, version: str) -> tuple[list[str], list[str]]:
    with session_scope(get_engine(url)) as session:
        return audit.filter_choices(session)


def audit_choices() -> tuple[list[str], list[str]]:
    """The project keys and the actors that the audit trail holds."""
    return _audit_choices(*source())


@st.cache_data(show_spinner=False, max_entries=32)
def _waterfall(url: str, version: str, keys: tuple[str, ...], today: date) -> finance.Waterfall:
    with session_scope(get_engine(url)) as session:
        return finance.waterfall(session, current_settings(), project_keys=keys, as_of=today)


def waterfall(keys: tuple[str, ...]) -> finance.Waterfall:
    """The benefits' waterfall of these projects, as of today."""
    return _waterfall(*source(), keys, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=32)
def _driver_explanations(
    url: str, version: str, key: str, today: date
) -> list[finance.DriverExplanation]:
    with session_scope(get_engine(url)) as session:
        return finance.explain_drivers(session, current_settings(), project_key=key, as_of=today)


def driver_explanations(key: str) -> list[finance.DriverExplanation]:
    """How each driven benefit of a project is valued, month by month, as of today."""
    return _driver_explanations(*source(), key, current_settings().today())


@st.cache_data(show_spinner=False, max_entries=32)
def _project_report(url: str, version: str, key: str, today: date) -> finance.PortfolioReport:
    with session_scope(get_engine(url)) as session:
        return finance.portfolio_report(session, current_settings(), project_key=key, as_of=today)


def project_report(key: str) -> finance.PortfolioReport:
    """The finance report of one project (every benefit scope), as of today."""
    return _project_report(*source(), key, current_settings().today())
