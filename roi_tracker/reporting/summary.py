"""What a summary says: the view model of one email, built from the portfolio's state.

``PortfolioState`` holds everything the services computed for one as-of date: headline
figures per project and for the portfolio, every KPI's status, budget threshold crossings and
projected overruns. It is loaded once per run (``load_state``) and each subscription's summary
is cut from it (``build_summary``), so hundreds of summaries cost one computation. The change
since the previous delivery comes from the snapshot stored with that delivery: the subscriber
reads what changed since the email they actually received.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from roi_tracker.config import Settings
from roi_tracker.domain.budget import ALL_CATEGORIES
from roi_tracker.services import baselines, finance, tracking
from roi_tracker.store.tables import Project

__all__ = [
    "ATTENTION_STATUSES",
    "UPCOMING_DAYS",
    "Figures",
    "HeadlineLine",
    "KpiState",
    "Overrun",
    "PortfolioState",
    "Previous",
    "StatusChange",
    "Summary",
    "ThresholdCrossing",
    "build_summary",
    "load_state",
]

#: KPI statuses that ask for the reader's attention, worst first
ATTENTION_STATUSES = ("missed", "off_track", "at_risk")
#: target dates this close are listed as upcoming
UPCOMING_DAYS = 30
#: crossings listed in a first summary, which has no previous delivery to count from
FIRST_SUMMARY_LOOKBACK = timedelta(days=30)

HEADLINE = (
    ("npv", "NPV", "money"),
    ("risk_adjusted_npv", "Risk-adjusted NPV", "money"),
    ("roi", "ROI", "ratio"),
    ("invested", "Invested to date", "money"),
    ("benefits_to_date", "Benefits to date", "money"),
    ("cash_npv", "Cash NPV (cashable + cost avoidance)", "money"),
    ("cash_risk_adjusted_npv", "Cash risk-adjusted NPV", "money"),
    ("cash_roi", "Cash ROI", "ratio"),
    ("cash_payback_period", "Cash payback", "months"),
)


@dataclass(frozen=True)
class Figures:
    """Headline figures of a project or the portfolio; None where undefined."""

    npv: float | None = None
    risk_adjusted_npv: float | None = None
    roi: float | None = None
    invested: float | None = None
    benefits_to_date: float | None = None
    cash_npv: float | None = None
    cash_risk_adjusted_npv: float | None = None
    cash_roi: float | None = None
    cash_payback_period: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name, _, _ in HEADLINE}


@dataclass(frozen=True)
class KpiState:
    """One KPI as the tracking service sees it at the as-of date."""

    project_key: str
    project_name: str
    key: str
    name: str
    unit: str
    baseline: float
    target: float
    target_date: date
    status: str
    latest: float | None = None
    progress: float | None = None
    last_measured: date | None = None
    stale: bool = False

    @property
    def ref(self) -> str:
        return f"{self.project_key}/{self.key}"

    @property
    def bar_percent(self) -> int:
        """Progress for a bar: 0 … 100."""
        if self.progress is None:
            return 0
        return round(min(max(self.progress, 0.0), 1.0) * 100)


@dataclass(frozen=True)
class ThresholdCrossing:
    project_key: str
    project_name: str
    category: str  # a cost category, or "all" for the whole budget
    threshold_percent: int
    crossed_on: date


@dataclass(frozen=True)
class Overrun:
    """A project whose estimate at completion exceeds its planned budget."""

    project_key: str
    project_name: str
    planned: float
    estimate_at_completion: float

    @property
    def amount(self) -> float:
        return self.estimate_at_completion - self.planned

    @property
    def percent(self) -> float | None:
        return self.amount / self.planned if self.planned else None


@dataclass(frozen=True)
class BaselineVariance:
    """A project's NPV now against its latest approved baseline's (currency units)."""

    project_key: str
    project_name: str
    version: int
    approved_by: str
    baseline_npv: float | None
    current_npv: float | None

    @property
    def change(self) -> float | None:
        if self.baseline_npv is None or self.current_npv is None:
            return None
        return self.current_npv - self.baseline_npv


@dataclass(frozen=True)
class PortfolioState:
    """Everything a summary may say, for the whole portfolio at one as-of date."""

    as_of: date
    currency: str
    project_names: dict[str, str]
    portfolio: Figures
    projects: dict[str, Figures]
    kpis: list[KpiState] = field(default_factory=list)
    crossings: list[ThresholdCrossing] = field(default_factory=list)
    overruns: list[Overrun] = field(default_factory=list)
    baselines: list[BaselineVariance] = field(default_factory=list)
    #: each project's currency, where it is not ``currency``
    project_currencies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Previous:
    """The previous sent delivery of a subscription: when, and what it said."""

    sent_at: datetime
    as_of: date
    figures: dict[str, float | None]
    kpi_statuses: dict[str, str]

    @classmethod
    def from_snapshot(cls, sent_at: datetime, snapshot: str | None) -> Previous:
        data = json.loads(snapshot) if snapshot else {}
        as_of = date.fromisoformat(data["as_of"]) if "as_of" in data else sent_at.date()
        return cls(sent_at, as_of, data.get("figures", {}), data.get("kpi_statuses", {}))


@dataclass(frozen=True)
class HeadlineLine:
    label: str
    kind: str  # "money", "ratio" or "months" (a payback month index)
    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class StatusChange:
    kpi: KpiState
    previous_status: str


@dataclass(frozen=True)
class Summary:
    """One summary, ready to render."""

    title: str  # "Portfolio" or the project's name
    project_key: str | None
    as_of: date
    currency: str
    figures: Figures
    headline: list[HeadlineLine]
    attention: list[KpiState]
    status_changes: list[StatusChange]
    crossings: list[ThresholdCrossing]
    overruns: list[Overrun]
    stale: list[KpiState]
    upcoming: list[KpiState]
    dashboard_url: str | None
    previous_sent_at: datetime | None
    project_count: int
    scope_kpis: list[KpiState] = field(default_factory=list, repr=False)
    baselines: list[BaselineVariance] = field(default_factory=list)

    @property
    def needs_attention(self) -> int:
        return len(self.attention) + len(self.crossings) + len(self.overruns)

    def snapshot(self) -> str:
        """What the next summary compares with, stored with the delivery (JSON)."""
        statuses = {k.ref: k.status for k in self.scope_kpis}
        return json.dumps(
            {"as_of": self.as_of.isoformat(), "figures": self.figures.as_dict(),
             "kpi_statuses": statuses},
            sort_keys=True,
        )  # fmt: skip


def _attention_order(kpi: KpiState) -> tuple:
    return (ATTENTION_STATUSES.index(kpi.status), kpi.project_key, kpi.name)


def build_summary(
    state: PortfolioState,
    *,
    project_key: str | None,
    previous: Previous | None,
    base_url: str | None = None,
) -> Summary:
    """The summary of one scope (a project key, or None for the portfolio)."""
    if project_key is None:
        title, figures = "Portfolio", state.portfolio
        in_scope = set(state.project_names)
    else:
        title, figures = state.project_names[project_key], state.projects[project_key]
        in_scope = {project_key}
    kpis = [k for k in state.kpis if k.project_key in in_scope]
    before = previous.figures if previous else {}
    headline = [
        HeadlineLine(label, kind, getattr(figures, name), before.get(name))
        for name, label, kind in HEADLINE
    ]
    earlier = previous.kpi_statuses if previous else {}
    changes = [
        StatusChange(k, earlier[k.ref])
        for k in kpis
        if k.ref in earlier and earlier[k.ref] != k.status
    ]
    crossed_after = previous.as_of if previous else state.as_of - FIRST_SUMMARY_LOOKBACK
    crossings = [
        c for c in state.crossings if c.project_key in in_scope and c.crossed_on > crossed_after
    ]
    horizon = state.as_of + timedelta(days=UPCOMING_DAYS)
    return Summary(
        title=title,
        project_key=project_key,
        as_of=state.as_of,
        # a project's own figures are in its currency; the portfolio's in the reporting one
        currency=state.project_currencies.get(project_key or "", state.currency),
        figures=figures,
        headline=headline,
        attention=sorted((k for k in kpis if k.status in ATTENTION_STATUSES), key=_attention_order),
        status_changes=changes,
        crossings=sorted(crossings, key=lambda c: (c.crossed_on, c.project_key)),
        overruns=sorted(
            (o for o in state.overruns if o.project_key in in_scope), key=lambda o: -o.amount
        ),
        stale=[k for k in kpis if k.stale],
        upcoming=sorted(
            (k for k in kpis if state.as_of <= k.target_date <= horizon and k.status != "achieved"),
            key=lambda k: (k.target_date, k.project_key, k.name),
        ),
        dashboard_url=base_url.rstrip("/") + "/" if base_url else None,
        previous_sent_at=previous.sent_at if previous else None,
        project_count=len(in_scope),
        scope_kpis=kpis,
        baselines=[b for b in state.baselines if b.project_key in in_scope],
    )


# --- loading the state from the services ---------------------------------------------------


def _optional(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _figures(metrics: finance.Metrics, cash: finance.Metrics, to_date: pd.Series) -> Figures:
    return Figures(
        npv=metrics.npv,
        risk_adjusted_npv=metrics.risk_adjusted_npv,
        roi=metrics.roi,
        invested=float(to_date.get("cost", 0.0)),
        benefits_to_date=float(to_date.get("benefit", 0.0)),
        cash_npv=cash.npv,
        cash_risk_adjusted_npv=cash.risk_adjusted_npv,
        cash_roi=cash.roi,
        cash_payback_period=cash.payback_period,
    )


def _to_date(
    session: Session, settings: Settings, as_of: date, *, in_reporting_currency: bool = False
) -> pd.DataFrame:
    """Actual costs and realized benefits up to month(as_of), per project (currency units:
    the project's own, or the reporting currency)."""
    flows = finance.monthly_flows(
        session,
        settings,
        basis="forecast",
        as_of=as_of,
        by="status",
        in_reporting_currency=in_reporting_currency,
    )
    # on the forecast basis the months up to month(as_of) hold only what happened
    happened = flows[flows["month"] <= pd.Timestamp(as_of.replace(day=1))]
    return happened.pivot_table(
        index="project_key", columns="kind", values="amount", aggfunc="sum", fill_value=0.0
    )


def _kpi_states(session: Session, as_of: date, names: dict[str, str]) -> list[KpiState]:
    overview = tracking.kpi_overview(session, as_of=as_of)
    if overview.empty:
        return []
    stale = tracking.stale_kpi_list(session, as_of=as_of)
    stale_refs = set(zip(stale["project_key"], stale["key"], strict=True))
    return [
        KpiState(
            project_key=row.project_key,
            project_name=names[row.project_key],
            key=row.key,
            name=row.name,
            unit=row.unit,
            baseline=float(row.baseline),
            target=float(row.target),
            target_date=row.target_date.date(),
            status=row.status,
            latest=_optional(row.latest),
            progress=_optional(row.progress),
            last_measured=None if pd.isna(row.latest_date) else row.latest_date.date(),
            stale=(row.project_key, row.key) in stale_refs,
        )
        for row in overview.itertuples(index=False)
    ]


def _budget_alerts(
    session: Session, settings: Settings, as_of: date
) -> tuple[list[ThresholdCrossing], list[Overrun]]:
    budget = tracking.budget_overview(
        session, as_of=as_of, default_horizon_months=settings.horizon_months
    )
    crossed = budget.thresholds.dropna(subset=["crossed_on"])
    crossings = [
        ThresholdCrossing(
            row.project_key,
            row.project_name,
            row.category,
            int(row.threshold_percent),
            pd.Timestamp(row.crossed_on).date(),
        )
        for row in crossed.itertuples(index=False)
    ]
    whole = budget.summary[budget.summary["category"] == ALL_CATEGORIES]
    planned = whole["planned_total_cents"]
    over = whole[(planned > 0) & (whole["estimate_at_completion_cents"] > planned)]
    overruns = [
        Overrun(
            row.project_key,
            row.project_name,
            tracking.cents_to_units(row.planned_total_cents),
            tracking.cents_to_units(row.estimate_at_completion_cents),
        )
        for row in over.itertuples(index=False)
    ]
    return crossings, overruns


def load_state(session: Session, *, as_of: date, settings: Settings) -> PortfolioState:
    """The whole portfolio on ``as_of`` as the finance and tracking services see it."""
    if not session.scalar(select(func.count()).select_from(Project)):
        return PortfolioState(as_of, settings.currency, {}, Figures(), {})
    report = finance.portfolio_report(session, settings, basis="forecast", as_of=as_of)
    names = {p.key: p.name for p in report.projects}
    to_date = _to_date(session, settings, as_of)
    empty = pd.Series(dtype=float)
    crossings, overruns = _budget_alerts(session, settings, as_of)
    return PortfolioState(
        as_of=as_of,
        currency=report.currency,
        project_names=names,
        portfolio=_figures(
            report.portfolio.total,
            report.portfolio.cash,
            _to_date(session, settings, as_of, in_reporting_currency=True).sum(),
        ),
        projects={
            p.key: _figures(
                p.total, p.cash, to_date.loc[p.key] if p.key in to_date.index else empty
            )
            for p in report.projects
        },
        kpis=_kpi_states(session, as_of, names),
        crossings=crossings,
        overruns=overruns,
        baselines=_baselines(session, settings, as_of),
        project_currencies={
            p.key: p.currency for p in report.projects if p.currency not in ("", report.currency)
        },
    )


def _baselines(session: Session, settings: Settings, as_of: date) -> list[BaselineVariance]:
    """Each approved project's NPV against its latest baseline's."""
    return [
        BaselineVariance(
            project_key=p.key,
            project_name=p.name,
            version=p.baseline.version,
            approved_by=p.baseline.approved_by,
            baseline_npv=p.figures["npv"].baseline,
            current_npv=p.figures["npv"].current,
        )
        for p in baselines.variance(session, settings, as_of=as_of).projects
        if p.baseline is not None
    ]
