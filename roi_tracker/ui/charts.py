"""Plotly figures for the pages: each with a title, axis labels and hover text.

The builders take plain frames and numbers already computed by the services; they only
arrange them (no finance or KPI maths here).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from roi_tracker.ui import format as fmt
from roi_tracker.ui.theme import (
    BENEFIT_TYPE_COLOURS,
    COST_COLOUR,
    FLOW_COLOURS,
    STAGE_COLOURS,
    STATUS_COLOURS,
    colour_for,
)

__all__ = [
    "benefit_waterfall",
    "budget_by_month",
    "kpi_progress",
    "kpi_small_multiples",
    "monthly_cash_flows",
    "npv_bridge",
    "npv_distribution",
    "portfolio_bubbles",
    "portfolio_j_curve",
    "tornado",
]

LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 60, "r": 20, "t": 90, "b": 50},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0},
    "hoverlabel": {"namelength": -1},
}


def plain(text: object) -> str:
    """User text for a Plotly label: Plotly reads a subset of HTML, so escape its markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _finish(figure: go.Figure, title: str, x_title: str, y_title: str, **layout) -> go.Figure:
    figure.update_layout(title={"text": title}, **LAYOUT, **layout)
    figure.update_xaxes(title_text=x_title)
    figure.update_yaxes(title_text=y_title)
    return figure


def _vertical_marker(figure: go.Figure, x, text: str, colour: str, dash: str = "dash") -> None:
    # add_vline's annotation cannot place itself on date axes, so draw the label separately
    figure.add_shape(
        type="line",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": colour, "dash": dash, "width": 1.5},
    )
    figure.add_annotation(
        x=x,
        y=1,
        yref="paper",
        text=text,
        showarrow=False,
        yanchor="bottom",
        font={"color": colour, "size": 11},
    )


def portfolio_bubbles(frame: pd.DataFrame, currency: str) -> go.Figure:
    """Projects as bubbles: cost (x) against risk-adjusted ROI (y), size |NPV|, colour stage.

    ``frame`` has columns ``name``, ``stage``, ``costs``, ``risk_adjusted_roi`` and ``npv``.
    """
    figure = go.Figure()
    magnitude = frame["npv"].abs().fillna(0.0)
    scale = float(magnitude.max()) or 1.0
    for position, (stage, group) in enumerate(frame.groupby("stage", sort=False)):
        sizes = 12 + 48 * np.sqrt(magnitude.loc[group.index] / scale)
        figure.add_trace(
            go.Scatter(
                x=group["costs"],
                y=group["risk_adjusted_roi"],
                mode="markers",
                name=str(stage),
                marker={
                    "size": sizes,
                    "color": colour_for(str(stage), STAGE_COLOURS, position),
                    "opacity": 0.75,
                    "line": {
                        "width": np.where(group["npv"] < 0, 3, 1),
                        "color": np.where(group["npv"] < 0, COST_COLOUR, "white"),
                    },
                },
                hovertext=[plain(name) for name in group["name"]],
                customdata=group["npv"].to_numpy(dtype=float),
                hovertemplate=(
                    f"<b>%{{hovertext}}</b><br>cost {fmt.hover_money('x')}<br>"
                    f"risk-adjusted ROI {fmt.hover_percent('y')}<br>"
                    f"NPV {fmt.hover_money('customdata')}<extra>%{{fullData.name}}</extra>"
                ),
            )
        )
    figure.add_hline(y=0, line={"color": "#888", "width": 1})
    figure = _finish(
        figure,
        "Which projects pay off?",
        f"Costs over the horizon ({currency})",
        "Risk-adjusted ROI",
    )
    figure.update_layout(
        title_subtitle_text="bubble size: |NPV| · red rim: NPV below zero · colour: stage"
    )
    figure.update_xaxes(**fmt.money_axis(currency))
    figure.update_yaxes(**fmt.percent_axis())
    return figure


def portfolio_j_curve(
    months: Sequence[date] | pd.Series,
    cumulative_net: Sequence[float] | pd.Series,
    currency: str,
    *,
    payback_month: date | None = None,
    today: date | None = None,
) -> go.Figure:
    """The J-curve: the portfolio's cumulative net cash flow by month, payback month marked."""
    months = pd.to_datetime(pd.Series(months))
    values = pd.Series(cumulative_net, dtype="float64")
    figure = go.Figure(
        go.Scatter(
            x=months,
            y=values,
            mode="lines",
            name="cumulative net cash flow",
            line={"color": FLOW_COLOURS["net"], "width": 2.5},
            fill="tozeroy",
            fillcolor="rgba(0,114,178,0.10)",
            hovertemplate=f"%{{x|%b %Y}}: {fmt.hover_money('y')}<extra></extra>",
        )
    )
    figure.add_hline(y=0, line={"color": "#888", "width": 1})
    if payback_month is not None:
        _vertical_marker(
            figure,
            pd.Timestamp(payback_month),
            f"payback {pd.Timestamp(payback_month):%b %Y}",
            BENEFIT_TYPE_COLOURS["hard"],
        )
    if today is not None:
        _vertical_marker(figure, pd.Timestamp(today), "today", "#666", dash="dot")
    figure = _finish(
        figure,
        "Portfolio J-curve: cumulative net cash flow"
        + ("" if payback_month else " (no payback within the horizon)"),
        "Month",
        f"Cumulative net ({currency})",
        showlegend=False,
    )
    figure.update_yaxes(**fmt.money_axis(currency))
    return figure


def monthly_cash_flows(frame: pd.DataFrame, currency: str, *, title: str) -> go.Figure:
    """Stacked monthly bars: costs below zero, benefits above, and the cumulative net line.

    ``frame`` is long: ``month``, ``kind`` (``cost``, ``benefit`` or ``net``), ``series``
    (a cost category, ``hard``/``soft``, or a status such as ``planned``/``actual``; plans
    and expectations are hatched) and ``amount`` (positive; the net row may be negative).
    """
    figure = go.Figure()
    flows = frame[frame["kind"] != "net"]
    for position, ((kind, series), group) in enumerate(flows.groupby(["kind", "series"])):
        sign = -1.0 if kind == "cost" else 1.0
        colour = FLOW_COLOURS.get(series) or colour_for(series, STATUS_COLOURS, position)
        pending = series in ("planned", "expected")
        label = f"{series} ({kind})"
        figure.add_trace(
            go.Bar(
                x=group["month"],
                y=sign * group["amount"],
                name=label,
                marker={"color": colour, "pattern": {"shape": "/" if pending else ""}},
                hovertemplate=f"{label}<br>%{{x|%b %Y}}: {fmt.hover_money('y')}<extra></extra>",
            )
        )
    net = frame[frame["kind"] == "net"]
    if not net.empty:
        figure.add_trace(
            go.Scatter(
                x=net["month"],
                y=net["amount"],
                name="cumulative net",
                mode="lines",
                line={"color": FLOW_COLOURS["net"], "width": 2},
                hovertemplate=(
                    f"cumulative net<br>%{{x|%b %Y}}: {fmt.hover_money('y')}<extra></extra>"
                ),
            )
        )
    figure = _finish(
        figure, title, "Month", f"Amount ({currency}); costs below zero", barmode="relative"
    )
    figure.update_yaxes(**fmt.money_axis(currency))
    return figure


def kpi_progress(
    *,
    name: str,
    unit: str,
    measurements: pd.DataFrame,
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
    status: str,
    benchmarks: pd.DataFrame | None = None,
    forecast: tuple[tuple[date, float], tuple[date, float]] | None = None,
    control: pd.DataFrame | None = None,
    effect=None,
) -> go.Figure:
    """One KPI: measurements against baseline, target, benchmarks and the forecast line; with
    a control group its measurements too, and the effect (difference in differences) at the
    go-live."""
    colour = STATUS_COLOURS.get(status, "#333")
    unit = plain(unit)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[pd.Timestamp(baseline_date)],
            y=[baseline],
            mode="markers",
            name="baseline",
            marker={"symbol": "diamond", "size": 10, "color": "#666"},
            hovertemplate=f"baseline {fmt.hover_measured('y')} {unit}<extra></extra>",
        )
    )
    if not measurements.empty:
        figure.add_trace(
            go.Scatter(
                x=measurements["date"],
                y=measurements["value"],
                mode="lines+markers",
                name="measured",
                line={"color": colour, "width": 2.5},
                hovertemplate=(
                    f"%{{x|%d %b %Y}}: {fmt.hover_measured('y')} {unit}<extra>measured</extra>"
                ),
            )
        )
    if control is not None and not control.empty:
        figure.add_trace(
            go.Scatter(
                x=control["date"],
                y=control["value"],
                mode="lines+markers",
                name="control group",
                line={"color": "#999", "width": 1.5, "dash": "dash"},
                marker={"symbol": "circle-open"},
                hovertemplate=(
                    f"%{{x|%d %b %Y}}: {fmt.hover_measured('y')} {unit}<extra>control group</extra>"
                ),
            )
        )
    if effect is not None:
        _vertical_marker(
            figure,
            pd.Timestamp(effect.go_live),
            f"go-live · effect {fmt.measured(effect.effect, digits=3, signed=True)} {unit} "
            f"(90 %: {fmt.measured(effect.low, digits=3, signed=True)} to "
            f"{fmt.measured(effect.high, digits=3, signed=True)})",
            "#555",
        )
    if forecast is not None:
        (start, start_value), (end, end_value) = forecast
        figure.add_trace(
            go.Scatter(
                x=[pd.Timestamp(start), pd.Timestamp(end)],
                y=[start_value, end_value],
                mode="lines",
                name="forecast",
                line={"color": colour, "dash": "dot"},
                hovertemplate=(
                    f"forecast %{{x|%d %b %Y}}: {fmt.hover_measured('y')} {unit}<extra></extra>"
                ),
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[pd.Timestamp(target_date)],
            y=[target],
            mode="markers",
            name="target",
            marker={"symbol": "star", "size": 14, "color": STATUS_COLOURS["achieved"]},
            hovertemplate=(
                f"target {fmt.hover_measured('y')} {unit} by %{{x|%d %b %Y}}<extra></extra>"
            ),
        )
    )
    figure.add_hline(
        y=target, line={"color": STATUS_COLOURS["achieved"], "dash": "dash", "width": 1}
    )
    if benchmarks is not None:
        for _, benchmark in benchmarks.iterrows():
            figure.add_hline(
                y=benchmark["value"],
                line={"color": "#8E44AD", "dash": "dashdot", "width": 1},
                annotation_text=f"{plain(benchmark['name'])}: {fmt.measured(benchmark['value'])}",
                annotation_position="top left",
                annotation_font={"size": 10},
            )
    figure = _finish(figure, f"{plain(name)} ({status.replace('_', ' ')})", "Date", unit)
    return figure


def _shortened(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kpi_small_multiples(kpis: Sequence[dict], *, columns: int = 3) -> go.Figure:
    """A grid of small KPI charts; each dict has the arguments of :func:`kpi_progress`."""
    rows = max(1, -(-len(kpis) // columns))
    titles = [
        f"{plain(_shortened(k['name']))}<br><i>{k['status'].replace('_', ' ')}</i>" for k in kpis
    ]
    figure = make_subplots(
        rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=0.5 / rows + 0.05
    )
    for index, kpi in enumerate(kpis):
        row, col = index // columns + 1, index % columns + 1
        colour = STATUS_COLOURS.get(kpi["status"], "#333")
        unit = plain(kpi["unit"])
        points = kpi["measurements"]
        xs = [pd.Timestamp(kpi["baseline_date"]), *pd.to_datetime(points["date"])]
        ys = [kpi["baseline"], *points["value"]]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": colour},
                showlegend=False,
                name=plain(kpi["name"]),
                hovertemplate=f"%{{x|%d %b %Y}}: {fmt.hover_measured('y')} {unit}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        figure.add_trace(
            go.Scatter(
                x=[pd.Timestamp(kpi["target_date"])],
                y=[kpi["target"]],
                mode="markers",
                marker={"symbol": "star", "size": 11, "color": STATUS_COLOURS["achieved"]},
                showlegend=False,
                name="target",
                hovertemplate=f"target {fmt.hover_measured('y')} {unit}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        figure.update_yaxes(title_text=unit, row=row, col=col)
    figure.update_layout(
        title={"text": "KPIs: measured values (line) against targets (star)"},
        height=max(300, 260 * rows),
        **{**LAYOUT, "margin": {"l": 50, "r": 20, "t": 90, "b": 40}},
    )
    return figure


def budget_by_month(frame: pd.DataFrame, currency: str, *, title: str) -> go.Figure:
    """Monthly planned and actual spend (bars) with both cumulative lines.

    ``frame`` has ``month``, ``planned``, ``actual`` and optionally ``cumulative_planned``,
    ``cumulative_actual``.
    """
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for column, colour in (("planned", FLOW_COLOURS["planned"]), ("actual", COST_COLOUR)):
        figure.add_trace(
            go.Bar(
                x=frame["month"],
                y=frame[column],
                name=f"{column} per month",
                marker={"color": colour},
                hovertemplate=f"{column} %{{x|%b %Y}}: {fmt.hover_money('y')}<extra></extra>",
            ),
            secondary_y=False,
        )
    for column, colour in (("cumulative_planned", "#777"), ("cumulative_actual", COST_COLOUR)):
        if column in frame:
            label = column.replace("_", " ")
            figure.add_trace(
                go.Scatter(
                    x=frame["month"],
                    y=frame[column],
                    name=label,
                    mode="lines",
                    line={"color": colour, "dash": "dot" if "planned" in column else "solid"},
                    hovertemplate=f"{label} %{{x|%b %Y}}: {fmt.hover_money('y')}<extra></extra>",
                ),
                secondary_y=True,
            )
    figure.update_layout(title={"text": title}, barmode="group", **LAYOUT)
    figure.update_xaxes(title_text="Month")
    figure.update_yaxes(
        title_text=f"Per month ({currency})", secondary_y=False, **fmt.money_axis(currency)
    )
    figure.update_yaxes(
        title_text=f"Cumulative ({currency})",
        secondary_y=True,
        showgrid=False,
        **fmt.money_axis(currency),
    )
    return figure


def npv_distribution(
    edges: Sequence[float],
    counts: Sequence[int],
    currency: str,
    *,
    p10: float | None,
    p50: float | None,
    p90: float | None,
    prob_loss: float,
    title: str = "Monte Carlo: distribution of NPV",
) -> go.Figure:
    """Histogram of simulated NPVs (bin ``edges``, trial ``counts``) with P10/P50/P90 marked."""
    edges = np.asarray(edges, dtype=float)
    counts = np.asarray(counts, dtype=float)
    centres, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    colours = np.where(centres < 0, COST_COLOUR, BENEFIT_TYPE_COLOURS["hard"])
    figure = go.Figure(
        go.Bar(
            x=centres, y=counts, width=widths, name="trials", marker={"color": colours},
            opacity=0.85, customdata=np.column_stack([edges[:-1], edges[1:]]),
            hovertemplate=f"NPV {fmt.hover_money('customdata[0]')} to "
            f"{fmt.hover_money('customdata[1]')}<br>%{{y}} trials<extra></extra>",
        )
    )  # fmt: skip
    for label, value, colour in (
        ("P10 (pessimistic)", p10, COST_COLOUR),
        ("P50", p50, "#333"),
        ("P90 (optimistic)", p90, STATUS_COLOURS["achieved"]),
    ):
        if value is not None:  # no percentile without a trial that has a value
            _vertical_marker(figure, value, label, colour)
    figure = _finish(
        figure,
        f"{title} (P(loss) = {fmt.percent(prob_loss, digits=0, compact=True)})",
        f"NPV ({currency}); 10 % of trials fall below P10, 90 % below P90; red: a loss",
        "Trials",
        showlegend=False,
        bargap=0,
    )
    figure.update_xaxes(**fmt.money_axis(currency))
    return figure


def tornado(frame: pd.DataFrame, currency: str, *, base_npv: float) -> go.Figure:
    """Sensitivity tornado: NPV when each input moves to its low and high value.

    ``frame`` has ``label`` (what moved and by how much), ``low_npv`` and ``high_npv``;
    the widest bar is drawn on top.
    """
    data = frame.assign(swing=(frame["high_npv"] - frame["low_npv"]).abs())
    data = data.sort_values("swing")
    figure = go.Figure()
    for column, name, colour in (
        ("low_npv", "input at its low value", COST_COLOUR),
        ("high_npv", "input at its high value", BENEFIT_TYPE_COLOURS["hard"]),
    ):
        figure.add_trace(
            go.Bar(
                y=data["label"],
                x=data[column] - base_npv,
                base=base_npv,
                orientation="h",
                name=name,
                marker={"color": colour},
                customdata=data[column],
                hovertemplate=f"%{{y}}<br>NPV {fmt.hover_money('customdata')}<extra>{name}</extra>",
            )
        )
    figure.add_vline(x=base_npv, line={"color": "#333", "width": 1})
    figure = _finish(
        figure,
        "Sensitivity: NPV when one input moves (tornado)",
        f"NPV ({currency}); the line is the base case",
        "Input",
        barmode="overlay",
    )
    figure.update_xaxes(**fmt.money_axis(currency))
    return figure


#: the NPV bridge's steps and how each is labelled
BRIDGE_LABELS = {
    "baseline": "Baseline NPV",
    "benefits": "Benefits",
    "costs": "Costs",
    "rate": "Discount rate",
    "current": "Current NPV",
}


def npv_bridge(steps: Sequence[tuple[str, float]], currency: str, *, version: int) -> go.Figure:
    """Waterfall from the baseline's NPV to the current NPV: ``steps`` are (step, value) with
    the steps of ``BRIDGE_LABELS``, totals first and last."""
    names = [step for step, _ in steps]
    figure = go.Figure(
        go.Waterfall(
            x=[BRIDGE_LABELS[name] for name in names],
            y=[value for _, value in steps],
            measure=["absolute" if n in ("baseline", "current") else "relative" for n in names],
            increasing={"marker": {"color": BENEFIT_TYPE_COLOURS["hard"]}},
            decreasing={"marker": {"color": COST_COLOUR}},
            totals={"marker": {"color": "#5B6B7F"}},
            hovertemplate=f"%{{x}}: {fmt.hover_money('y')}<extra></extra>",
        )
    )
    figure = _finish(
        figure,
        f"From the approved NPV (baseline version {version}) to the current NPV",
        "",
        f"NPV ({currency})",
        showlegend=False,
    )
    figure.update_yaxes(**fmt.money_axis(currency))
    return figure


def _evidence_text(evidence: dict[str, float], currency: str) -> str:
    total = sum(evidence.values())
    if not total:
        return "no amount"
    return ", ".join(
        f"{name} {fmt.percent(value / total, digits=0, compact=True)}"
        for name, value in evidence.items()
    )


def benefit_waterfall(steps: Sequence, currency: str, *, title: str) -> go.Figure:
    """The benefits from realized cash to what is still expected, each step labelled with the
    evidence behind it (``steps``: the ``WaterfallStep`` results of ``finance.waterfall``)."""
    labels = [plain(step.label) for step in steps]
    evidence = [_evidence_text(step.evidence, currency) for step in steps]
    figure = go.Figure(
        go.Waterfall(
            x=[*labels, "All benefits"],
            y=[step.amount for step in steps] + [0],
            measure=["relative"] * len(steps) + ["total"],
            text=[*evidence, ""],
            textposition="outside",
            customdata=[*evidence, "sum of the steps"],
            hovertemplate=(
                f"%{{x}}: {fmt.hover_money('y', cents=True)}<br>evidence: %{{customdata}}"
                "<extra></extra>"
            ),
            increasing={"marker": {"color": BENEFIT_TYPE_COLOURS["hard"]}},
            totals={"marker": {"color": FLOW_COLOURS["net"]}},
            connector={"line": {"color": "#888", "width": 1}},
        )
    )
    figure = _finish(figure, title, "", f"Benefits over the horizon ({currency})",
                     showlegend=False)  # fmt: skip
    figure.update_yaxes(**fmt.money_axis(currency))
    return figure
