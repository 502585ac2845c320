"""The board pack workbook, written with XlsxWriter from a :class:`PackData` alone.

Each project sheet holds its monthly flows as numbers and the metrics as live formulas over
them, mirroring docs/finance.md (the mapping is in docs/board-pack.md):

- monthly rate ``=(1+r)^(1/12)-1``;
- NPV ``=CF_0+NPV(m, CF_1:CF_H-1)``: Excel's NPV discounts its first value by one period, so
  period 0 is added undiscounted, as the app does;
- IRR ``=(1+IRR(CF_0:CF_H-1))^12-1``, the annualised monthly IRR;
- ROI ``=(ΣB-ΣC)/ΣC``; discounted ROI ``=NPV/PV(costs)``;
- payback: the first period flagged in a helper column, whose cumulative net is ≥ 0 after
  having been negative (``COUNTIF`` of the negative cumulatives above it).

Text (names, keys, categories) is always written with ``write_string``: a name starting with
``=`` stays text and never becomes a formula. Formulas carry no cached results, so a reader
that does not recalculate shows 0 rather than a stale figure; Excel and LibreOffice recalculate
on load.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from roi_tracker.boardpack.data import PackData, ProjectPack
from roi_tracker.domain.cashflows import month_index
from roi_tracker.domain.fiscal import quarter_label, year_label

__all__ = ["METRIC_ROWS", "Layout", "write_workbook"]

#: (metric, label) in the order of each project sheet's metrics block
METRIC_ROWS = (
    ("costs", "Costs"),
    ("benefits", "Benefits"),
    ("npv", "NPV"),
    ("irr", "IRR (annual)"),
    ("roi", "ROI"),
    ("present_costs", "PV(costs)"),
    ("discounted_roi", "Discounted ROI"),
    ("payback_period", "Payback period (month)"),
    ("discounted_payback_period", "Discounted payback (month)"),
    ("risk_adjusted_npv", "Risk-adjusted NPV"),
    ("risk_adjusted_roi", "Risk-adjusted ROI"),
)
MONEY = {"costs", "benefits", "npv", "present_costs", "risk_adjusted_npv"}
RATIOS = {"irr", "roi", "discounted_roi", "risk_adjusted_roi"}
NOT_AVAILABLE = "n/a"
SCOPES = ("total", "hard", "cash")
#: (scope, label) of the scopes' columns
SCOPE_LABELS = (("total", "all benefits"), ("hard", "hard only"), ("cash", "cash only"))
#: the cash classes' benefit sum columns; cashable and cost avoidance make the cash scope
CASH_CLASS_LABELS = (
    ("cashable", "cashable"),
    ("cost_avoidance", "cost avoidance"),
    ("non_cashable", "non-cashable"),
    ("non_financial", "non-financial"),
)
SUMMARY, KPIS = "Summary", "KPIs"
#: the first column of a project sheet's fiscal-year block, right of the metrics block
FISCAL_LEFT = 11


@dataclass
class Layout:
    """Where the workbook's formulas are: ``cells[(project key, scope, metric)]`` is a
    quoted sheet-and-cell reference such as ``'p1'!E6``; ``verdicts[project key]`` the
    verdict formula's cell on the summary sheet; ``progress[(project key, kpi key)]`` the KPI
    progress formula's; ``baseline_changes[project key]`` the NPV change against the
    approved baseline."""

    cells: dict[tuple[str, str, str], str] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)
    progress: dict[tuple[str, str], str] = field(default_factory=dict)
    baseline_changes: dict[str, str] = field(default_factory=dict)


def _sheet_names(keys: list[str]) -> list[str]:
    """A valid, unique sheet name per project key (Excel: ≤ 31 characters, none of []:*?/\\)."""
    taken = {SUMMARY.lower(), KPIS.lower()}
    names = []
    for key in keys:
        base = re.sub(r"[\[\]:*?/\\]", "_", key).strip("'")[:31] or "project"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        taken.add(name.lower())
        names.append(name)
    return names


class _Formats:
    def __init__(self, book: Workbook, currency: str) -> None:
        money = f'"{currency}" #,##0.00;[Red]-"{currency}" #,##0.00'

        def add(**properties: Any) -> Format:
            return book.add_format(properties)

        self.title = add(bold=True, font_size=14)
        self.note = add(italic=True, font_color="#555555")
        self.header = add(bold=True, bg_color="#DDE4EE", bottom=1, text_wrap=True, valign="top")
        self.label = add(bold=True)
        self.money = add(num_format=money)
        self.money_bold = add(num_format=money, bold=True)
        self.percent = add(num_format="0.00%")
        self.rate = add(num_format="0.0000%")
        self.factor = add(num_format="0.000000")
        self.integer = add(num_format="0")
        self.month = add(num_format="mmm yyyy")
        self.date = add(num_format="yyyy-mm-dd")
        self.number = add(num_format="#,##0.##")

    def of(self, metric: str) -> Format:
        if metric in MONEY:
            return self.money
        if metric in RATIOS:
            return self.percent
        return self.integer


def _app_value(sheet: Worksheet, row: int, col: int, value: float | None, fmt: Format) -> None:
    if value is None:
        sheet.write_string(row, col, NOT_AVAILABLE)
    else:
        sheet.write_number(row, col, value, fmt)


def _cell(row: int, col: int, absolute: bool = False) -> str:
    return str(xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute))


def _column(first: int, last: int, col: int) -> str:
    """The range of one column from row ``first`` to ``last`` (absolute)."""
    return f"{_cell(first, col, True)}:{_cell(last, col, True)}"


def _present_value(first: int, last: int, col: int, rate: str) -> str:
    """Period 0 undiscounted plus Excel's NPV of periods 1 … (which discounts from one period)."""
    if last == first:
        return _cell(first, col, True)
    return f"{_cell(first, col, True)}+NPV({rate},{_column(first + 1, last, col)})"


@dataclass
class _Columns:
    """Column indexes of a project sheet's flow table."""

    period: int
    month: int
    fiscal_year: int
    quarter: int
    costs: list[int]
    total_costs: int
    benefits: list[int]
    by_cash_class: dict[str, int]
    redeployed: int
    cash_benefits: int
    hard_benefits: int
    total_benefits: int
    by_scope: dict[str, dict[str, int]]
    risk_costs: int
    risk_benefits: dict[str, int]
    risk_net: dict[str, int]
    discount_factor: int
    headers: list[tuple[int, str]]

    @classmethod
    def of(cls, project: ProjectPack) -> _Columns:
        headers: list[tuple[int, str]] = []
        position = 0

        def take(title: str) -> int:
            nonlocal position
            headers.append((position, title))
            position += 1
            return position - 1

        period, month = take("Period"), take("Month")
        fiscal_year, quarter = take("Fiscal year"), take("Fiscal quarter")
        costs = [take(f"Cost: {name}") for name in project.cost_categories]
        total_costs = take("Total costs")
        benefits = [
            take(f"Benefit ({', '.join(filter(None, (c.type, _class_label(c.cash_class))))}): "
                 f"{c.category}")
            for c in project.benefit_columns
        ]  # fmt: skip
        by_cash_class = {k: take(f"Benefits: {label}") for k, label in CASH_CLASS_LABELS}
        redeployed = take("Redeployed time savings (cash)")
        cash_benefits = take("Cash benefits")
        hard_benefits, total_benefits = take("Hard benefits"), take("Total benefits")
        discount_factor = take("Discount factor")
        by_scope: dict[str, dict[str, int]] = {}
        for scope, name in SCOPE_LABELS:
            by_scope[scope] = {
                "net": take(f"Net flow, {name}"),
                "discounted": take(f"Discounted net, {name}"),
                "cumulative": take(f"Cumulative net, {name}"),
                "discounted_cumulative": take(f"Cumulative discounted net, {name}"),
                "paid_back": take(f"Paid back, {name}"),
                "discounted_paid_back": take(f"Discounted paid back, {name}"),
            }
        risk_costs = take("Risk-adjusted costs")
        risk_benefits = {
            "total": take("Risk-adjusted benefits"),
            "hard": take("Risk-adjusted hard benefits"),
            "cash": take("Risk-adjusted cash benefits"),
        }
        risk_net = {scope: take(f"Risk-adjusted net, {name}") for scope, name in SCOPE_LABELS}
        return cls(
            period, month, fiscal_year, quarter, costs, total_costs, benefits, by_cash_class,
            redeployed, cash_benefits, hard_benefits, total_benefits, by_scope, risk_costs,
            risk_benefits, risk_net, discount_factor, headers,
        )  # fmt: skip

    def benefits_of(self, scope: str) -> int:
        """The column of the scope's benefits."""
        return {"total": self.total_benefits, "hard": self.hard_benefits}.get(
            scope, self.cash_benefits
        )


def _class_label(cash_class: str | None) -> str:
    return dict(CASH_CLASS_LABELS).get(cash_class or "", cash_class or "")


class _ProjectSheet:
    """Writes one project's sheet and remembers where its figures are."""

    PARAMETERS_ROW = 3

    def __init__(
        self, book: Workbook, fmt: _Formats, data: PackData, project: ProjectPack, name: str
    ) -> None:
        self.book, self.fmt, self.data, self.project, self.name = book, fmt, data, project, name
        self.sheet = book.add_worksheet(name)
        self.columns = _Columns.of(project)
        start = int(month_index([project.start_month])[0])
        self.months = [start + t for t in range(project.horizon_months)]
        self.fiscal_years = list(
            dict.fromkeys(year_label(m, data.fiscal_year_start_month) for m in self.months)
        )
        block = max(len(METRIC_ROWS), len(self.fiscal_years), 9) + 1
        # room above the table for the parameter, metric and fiscal-year blocks and the charts
        self.header_row = max(self.PARAMETERS_ROW + block + 1, 22)
        self.first = self.header_row + 1
        self.last = self.first + project.horizon_months - 1
        self.metric_cells: dict[tuple[str, str], tuple[int, int]] = {}
        # packs archived before the cash scope have no app figures for it
        self.scopes = SCOPES if project.cash is not None else SCOPES[:2]

    def ref(self, scope: str, metric: str) -> str:
        row, col = self.metric_cells[(scope, metric)]
        return f"{quote_sheetname(self.name)}!{_cell(row, col, True)}"

    def write(self) -> None:
        sheet, fmt, project = self.sheet, self.fmt, self.project
        sheet.write_string(0, 0, project.name, fmt.title)
        sheet.write_string(
            1,
            0,
            f"Project {project.key} · forecast basis as of {self.data.as_of.isoformat()} · "
            f"amounts in {self.project.currency or self.data.currency} · blue cells are inputs "
            "you may change",
            fmt.note,
        )
        self._parameters()
        self._flows()
        self._metrics()
        self._fiscal_years()
        self._charts()
        sheet.freeze_panes(self.first, self.columns.month + 1)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 14)
        sheet.set_column(2, self.columns.headers[-1][0], 14)
        sheet.set_row(self.header_row, 45)

    # -- blocks ----------------------------------------------------------------------------

    def _parameters(self) -> None:
        sheet, fmt, project, row = self.sheet, self.fmt, self.project, self.PARAMETERS_ROW
        sheet.write_string(row, 0, "Parameter", fmt.header)
        sheet.write_string(row, 1, "Value", fmt.header)
        sheet.write_string(row + 1, 0, "Start month", fmt.label)
        sheet.write_datetime(row + 1, 1, _as_datetime(project.start_month), fmt.month)
        sheet.write_string(row + 2, 0, "Horizon (months)", fmt.label)
        sheet.write_number(row + 2, 1, project.horizon_months, fmt.integer)
        rate = self.book.add_format({"num_format": "0.00%", "font_color": "#1F4E9E"})
        inputs = (
            ("Annual discount rate", project.discount_rate),
            ("Risk premium", project.risk_premium),
            ("Probability of success", project.probability_of_success),
            ("Cost contingency", project.cost_contingency),
        )
        cells = {}
        for offset, (label, value) in enumerate(inputs, start=3):
            sheet.write_string(row + offset, 0, label, fmt.label)
            sheet.write_number(row + offset, 1, value, rate)
            cells[label] = _cell(row + offset, 1, True)
        self.rate = _cell(row + 7, 1, True)
        self.risk_rate = _cell(row + 8, 1, True)
        sheet.write_string(row + 7, 0, "Monthly rate", fmt.label)
        sheet.write_formula(row + 7, 1, f"=(1+{cells['Annual discount rate']})^(1/12)-1", fmt.rate)
        sheet.write_string(row + 8, 0, "Risk-adjusted monthly rate", fmt.label)
        sheet.write_formula(
            row + 8,
            1,
            f"=(1+{cells['Annual discount rate']}+{cells['Risk premium']})^(1/12)-1",
            fmt.rate,
        )

    def _flows(self) -> None:
        sheet, fmt, c, project = self.sheet, self.fmt, self.columns, self.project
        for col, title in c.headers:
            sheet.write_string(self.header_row, col, title, fmt.header)
        start = self.data.fiscal_year_start_month
        for t, month in enumerate(self.months):
            r = self.first + t
            sheet.write_number(r, c.period, t, fmt.integer)
            sheet.write_datetime(r, c.month, _as_datetime(_month_date(month)), fmt.month)
            sheet.write_string(r, c.fiscal_year, year_label(month, start))
            sheet.write_string(r, c.quarter, quarter_label(month, start))
            for col, values in zip(c.costs, project.costs, strict=True):
                sheet.write_number(r, col, values[t], fmt.money)
            for col, values in zip(c.benefits, project.benefits, strict=True):
                sheet.write_number(r, col, values[t], fmt.money)
            sheet.write_formula(r, c.total_costs, _row_sum(r, c.costs), fmt.money_bold)
            hard = [
                col
                for col, b in zip(c.benefits, project.benefit_columns, strict=True)
                if b.type == "hard"
            ]
            sheet.write_formula(r, c.hard_benefits, _row_sum(r, hard), fmt.money)
            for cash_class, col in c.by_cash_class.items():
                of_class = [
                    b
                    for b, column in zip(c.benefits, project.benefit_columns, strict=True)
                    if column.cash_class == cash_class
                ]
                sheet.write_formula(r, col, _cells_sum(r, of_class), fmt.money)
            sheet.write_number(
                r, c.redeployed, project.redeployed[t] if project.redeployed else 0, fmt.money
            )
            cash = [c.by_cash_class["cashable"], c.by_cash_class["cost_avoidance"], c.redeployed]
            sheet.write_formula(r, c.cash_benefits, _cells_sum(r, cash), fmt.money)
            sheet.write_formula(r, c.total_benefits, _row_sum(r, c.benefits), fmt.money_bold)
            sheet.write_formula(
                r, c.discount_factor, f"=1/(1+{self.rate})^{_cell(r, c.period)}", fmt.factor
            )
            for scope, cols in c.by_scope.items():
                self._scope_row(r, t, scope, cols)
            sheet.write_number(r, c.risk_costs, project.risk_costs[t], fmt.money)
            for scope, values in (
                ("total", project.risk_benefits_total),
                ("hard", project.risk_benefits_hard),
                ("cash", project.risk_benefits_cash or [0.0] * len(self.months)),
            ):
                sheet.write_number(r, c.risk_benefits[scope], values[t], fmt.money)
                sheet.write_formula(
                    r,
                    c.risk_net[scope],
                    f"={_cell(r, c.risk_benefits[scope])}-{_cell(r, c.risk_costs)}",
                    fmt.money,
                )

    def _scope_row(self, r: int, t: int, scope: str, cols: dict[str, int]) -> None:
        sheet, fmt, c = self.sheet, self.fmt, self.columns
        benefits = c.benefits_of(scope)
        net, discounted = _cell(r, cols["net"]), _cell(r, cols["discounted"])
        sheet.write_formula(
            r, cols["net"], f"={_cell(r, benefits)}-{_cell(r, c.total_costs)}", fmt.money
        )
        sheet.write_formula(
            r, cols["discounted"], f"={net}*{_cell(r, c.discount_factor)}", fmt.money
        )
        # amounts are whole cents: the cumulative is rounded to the cent so that a sum of
        # cents that is exactly 0 compares as 0 (the app sums whole cents exactly)
        previous = "" if t == 0 else f"{_cell(r - 1, cols['cumulative'])}+"
        sheet.write_formula(r, cols["cumulative"], f"=ROUND({previous}{net},2)", fmt.money)
        previous = "" if t == 0 else f"{_cell(r - 1, cols['discounted_cumulative'])}+"
        sheet.write_formula(r, cols["discounted_cumulative"], f"={previous}{discounted}", fmt.money)
        for flag, cumulative in (
            ("paid_back", cols["cumulative"]),
            ("discounted_paid_back", cols["discounted_cumulative"]),
        ):
            if t == 0:
                sheet.write_formula(r, cols[flag], "=0", fmt.integer)
                continue
            above = f"{_cell(self.first, cumulative, True)}:{_cell(r - 1, cumulative)}"
            sheet.write_formula(
                r,
                cols[flag],
                f'=IF(AND({_cell(r, cumulative)}>=0,COUNTIF({above},"<0")>0),1,0)',
                fmt.integer,
            )

    def _metrics(self) -> None:
        sheet, fmt, c, project = self.sheet, self.fmt, self.columns, self.project
        top, left = self.PARAMETERS_ROW, 3
        titles = [name.capitalize() for _, name in SCOPE_LABELS]
        for offset, title in enumerate(
            ["Metric", *titles, *(f"App: {name}" for _, name in SCOPE_LABELS)]
        ):
            sheet.write_string(top, left + offset, title, fmt.header)
        first, last = self.first, self.last
        for i, (metric, label) in enumerate(METRIC_ROWS, start=1):
            sheet.write_string(top + i, left, label, fmt.label)
            for s, scope in enumerate(self.scopes):
                self.metric_cells[(scope, metric)] = (top + i, left + 1 + s)
        for scope in self.scopes:
            cols = c.by_scope[scope]
            benefits = c.benefits_of(scope)
            figures = getattr(project, scope)

            def at(metric: str, scope: str = scope) -> str:
                return _cell(*self.metric_cells[(scope, metric)], absolute=True)

            formulas: dict[str, str] = {
                "costs": f"=SUM({_column(first, last, c.total_costs)})",
                "benefits": f"=SUM({_column(first, last, benefits)})",
                "npv": f"={_present_value(first, last, cols['net'], self.rate)}",
                "irr": _irr(_column(first, last, cols["net"]), figures.irr),
                "roi": f'=IF({at("costs")}=0,"{NOT_AVAILABLE}",'
                f"({at('benefits')}-{at('costs')})/{at('costs')})",
                "present_costs": f"={_present_value(first, last, c.total_costs, self.rate)}",
                "discounted_roi": f'=IF({at("present_costs")}=0,"{NOT_AVAILABLE}",'
                f"{at('npv')}/{at('present_costs')})",
                "payback_period": _payback(first, last, c.period, cols["paid_back"]),
                "discounted_payback_period": _payback(
                    first, last, c.period, cols["discounted_paid_back"]
                ),
                "risk_adjusted_npv": "="
                + _present_value(first, last, c.risk_net[scope], self.risk_rate),
                "risk_adjusted_roi": _ratio(
                    f"SUM({_column(first, last, c.risk_benefits[scope])})",
                    f"SUM({_column(first, last, c.risk_costs)})",
                ),
            }
            for metric, _ in METRIC_ROWS:
                row, col = self.metric_cells[(scope, metric)]
                sheet.write_formula(row, col, formulas[metric], fmt.of(metric))
                if metric == "present_costs":
                    continue
                app_col = col + len(SCOPES)
                _app_value(sheet, row, app_col, getattr(figures, metric), fmt.of(metric))
        sheet.set_column(left, left, 26)
        sheet.set_column(left + 1, left + 2 * len(SCOPES), 16)

    def _fiscal_years(self) -> None:
        sheet, fmt, c = self.sheet, self.fmt, self.columns
        top, left = self.PARAMETERS_ROW, FISCAL_LEFT
        for offset, title in enumerate(("Fiscal year", "Costs", "Benefits", "Net")):
            sheet.write_string(top, left + offset, title, fmt.header)
        years = _column(self.first, self.last, c.fiscal_year)
        for i, year in enumerate(self.fiscal_years, start=1):
            r = top + i
            sheet.write_string(r, left, year, fmt.label)
            for offset, col in ((1, c.total_costs), (2, c.total_benefits)):
                sheet.write_formula(
                    r,
                    left + offset,
                    f"=SUMIF({years},{_cell(r, left)},{_column(self.first, self.last, col)})",
                    fmt.money,
                )
            sheet.write_formula(
                r, left + 3, f"={_cell(r, left + 2)}-{_cell(r, left + 1)}", fmt.money
            )
        self.fiscal_block = (top + 1, top + len(self.fiscal_years), left)
        sheet.set_column(left, left, 12)
        sheet.set_column(left + 1, left + 3, 16)

    def _charts(self) -> None:
        c, name = self.columns, self.name
        line = self.book.add_chart({"type": "line"})
        for scope, label in SCOPE_LABELS:
            line.add_series(
                {
                    "name": f"Cumulative net, {label}",
                    "categories": [name, self.first, c.month, self.last, c.month],
                    "values": [
                        name, self.first, c.by_scope[scope]["cumulative"],
                        self.last, c.by_scope[scope]["cumulative"],
                    ],
                }
            )  # fmt: skip
        line.set_title({"name": "Cumulative net cash flow"})
        line.set_x_axis({"date_axis": True, "num_format": "mmm yy"})
        line.set_legend({"position": "bottom"})
        line.set_size({"width": 520, "height": 300})
        self.sheet.insert_chart(self.PARAMETERS_ROW, FISCAL_LEFT + 5, line)
        first, last, left = self.fiscal_block
        bars = self.book.add_chart({"type": "column"})
        for offset, label in ((1, "Costs"), (2, "Benefits")):
            bars.add_series(
                {
                    "name": label,
                    "categories": [name, first, left, last, left],
                    "values": [name, first, left + offset, last, left + offset],
                }
            )
        bars.set_title({"name": "Costs and benefits by fiscal year"})
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": 460, "height": 300})
        self.sheet.insert_chart(self.PARAMETERS_ROW, FISCAL_LEFT + 14, bars)


def _irr(values: str, annual: float | None) -> str:
    """The annualised IRR; started from the app's monthly rate where it found one, so that the
    spreadsheet's iteration converges to the same root (from its default guess of 10 % a month
    it may fail on flows whose rate is far from it, or find another root)."""
    guess = "" if annual is None else f",{(1 + annual) ** (1 / 12) - 1!r}"
    return f'=IFERROR((1+IRR({values}{guess}))^12-1,"{NOT_AVAILABLE}")'


def _ratio(numerator_benefits: str, denominator_costs: str) -> str:
    return (
        f'=IF({denominator_costs}=0,"{NOT_AVAILABLE}",'
        f"({numerator_benefits}-{denominator_costs})/{denominator_costs})"
    )


def _payback(first: int, last: int, period: int, flags: int) -> str:
    return (
        f"=IFERROR(INDEX({_column(first, last, period)},"
        f'MATCH(1,{_column(first, last, flags)},0)),"{NOT_AVAILABLE}")'
    )


def _cells_sum(row: int, cols: list[int]) -> str:
    """The sum of some cells of a row, which need not be adjacent."""
    if not cols:
        return "=0"
    return f"=SUM({','.join(_cell(row, col) for col in cols)})"


def _row_sum(row: int, cols: list[int]) -> str:
    if not cols:
        return "=0"
    return f"=SUM({_cell(row, min(cols))}:{_cell(row, max(cols))})"


def _month_date(month: int) -> Any:
    from datetime import date

    return date(month // 12, month % 12 + 1, 1)


def _as_datetime(day: Any) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def _summary(
    book: Workbook, fmt: _Formats, data: PackData, sheets: list[_ProjectSheet], layout: Layout
) -> None:
    sheet = book.get_worksheet_by_name(SUMMARY)
    assert sheet is not None
    sheet.write_string(0, 0, "Board pack: AI projects", fmt.title)
    start = calendar.month_name[data.fiscal_year_start_month]
    sheet.write_string(
        1,
        0,
        f"Forecast basis as of {data.as_of.isoformat()} · amounts in {data.currency} · fiscal "
        f"years start in {start} and are named after the calendar year they end in",
        fmt.note,
    )
    top = 3
    for offset, title in enumerate(("Portfolio", *(n.capitalize() for _, n in SCOPE_LABELS))):
        sheet.write_string(top, offset, title, fmt.header)
    # projects in other currencies: the app's sums, each month at its rate, not a SUM
    one_currency = all(p.project.currency in ("", data.currency) for p in sheets)
    summed = {"npv", "risk_adjusted_npv"} if one_currency else set()
    rows = [(m, label) for m, label in METRIC_ROWS if m != "present_costs"]
    for i, (metric, label) in enumerate(rows, start=1):
        sheet.write_string(top + i, 0, label, fmt.label)
        for s, scope in enumerate(SCOPES):
            if metric in summed and sheets and all(scope in p.scopes for p in sheets):
                # the portfolio's NPVs are the sum of the projects' (each at its own rate)
                cells = ",".join(p.ref(scope, metric) for p in sheets)
                sheet.write_formula(top + i, 1 + s, f"=SUM({cells})", fmt.of(metric))
                continue
            value = getattr(getattr(data.portfolio, scope), metric)
            _app_value(sheet, top + i, 1 + s, value, fmt.of(metric))
    sheet.write_string(
        top + len(rows) + 1,
        0,
        "NPVs are the sums of the project sheets' formulas; the other portfolio figures are "
        "the app's, computed on all projects' flows by calendar month."
        if one_currency
        else f"The portfolio figures are the app's, in {data.currency}: each project's monthly "
        "flows converted at that month's rate (fx_rates), then summed by calendar month. Each "
        "project's own figures are in its currency.",
        fmt.note,
    )
    table_top = top + len(rows) + 3
    headers = [
        ("Project", None), ("Name", None), ("Stage", None), ("Verdict", None),
        ("NPV", ("total", "npv")), ("Risk-adjusted NPV", ("total", "risk_adjusted_npv")),
        ("IRR", ("total", "irr")), ("ROI", ("total", "roi")),
        ("Discounted ROI", ("total", "discounted_roi")),
        ("Payback (month)", ("total", "payback_period")),
        ("NPV, hard only", ("hard", "npv")),
        ("NPV, cash only", ("cash", "npv")),
        ("Baseline version", None), ("Baseline NPV", None), ("NPV change vs baseline", None),
    ]  # fmt: skip
    for col, (title, _) in enumerate(headers):
        sheet.write_string(table_top, col, title, fmt.header)
    for i, project_sheet in enumerate(sheets, start=1):
        r, project = table_top + i, project_sheet.project
        sheet.write_string(r, 0, project.key)
        sheet.write_string(r, 1, project.name)
        sheet.write_string(r, 2, project.stage or "")
        npv, risk = (
            project_sheet.ref("total", "npv"),
            project_sheet.ref("total", "risk_adjusted_npv"),
        )
        sheet.write_formula(
            r, 3, f'=IF({risk}>0,"pays off",IF({npv}>0,"pays off before risk","loses"))'
        )
        layout.verdicts[project.key] = f"{quote_sheetname(SUMMARY)}!{_cell(r, 3, True)}"
        for col, (_, source) in enumerate(headers[4:-3], start=4):
            assert source is not None
            scope, metric = source
            if scope not in project_sheet.scopes:
                sheet.write_string(r, col, NOT_AVAILABLE)
                continue
            sheet.write_formula(
                r, col, f"={project_sheet.ref(scope, metric)}", project_sheet.fmt.of(metric)
            )
        col = len(headers) - 3
        if project.baseline_version is None or project.baseline_npv is None:
            sheet.write_string(r, col, "not approved")
        else:
            sheet.write_number(r, col, project.baseline_version, fmt.integer)
            money = project_sheet.fmt.money
            sheet.write_number(r, col + 1, project.baseline_npv, money)
            sheet.write_formula(r, col + 2, f"={npv}-{_cell(r, col + 1)}", money)
            layout.baseline_changes[project.key] = (
                f"{quote_sheetname(SUMMARY)}!{_cell(r, col + 2, True)}"
            )
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 3, 18)
    sheet.set_column(4, len(headers) - 1, 16)
    sheet.freeze_panes(3, 0)
    if sheets:
        chart = book.add_chart({"type": "bar"})
        last = table_top + len(sheets)
        for col in (4, 5):
            chart.add_series(
                {
                    "name": [SUMMARY, table_top, col],
                    "categories": [SUMMARY, table_top + 1, 0, last, 0],
                    "values": [SUMMARY, table_top + 1, col, last, col],
                }
            )
        chart.set_title({"name": "NPV and risk-adjusted NPV by project"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": max(260, 40 * len(sheets) + 120)})
        sheet.insert_chart(top, 5, chart)


def _kpis(book: Workbook, fmt: _Formats, data: PackData, layout: Layout) -> None:
    sheet = book.get_worksheet_by_name(KPIS)
    assert sheet is not None
    headers = (
        "Project", "KPI", "Name", "Unit", "Baseline", "Target", "Target date", "Latest",
        "Progress", "Projected progress", "Status", "Benchmarks",
    )  # fmt: skip
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, fmt.header)
    number = fmt.number
    for r, kpi in enumerate(data.kpis, start=1):
        sheet.write_string(r, 0, kpi.project_key)
        sheet.write_string(r, 1, kpi.key)
        sheet.write_string(r, 2, kpi.name)
        sheet.write_string(r, 3, kpi.unit)
        sheet.write_number(r, 4, kpi.baseline, number)
        sheet.write_number(r, 5, kpi.target, number)
        sheet.write_datetime(r, 6, _as_datetime(kpi.target_date), fmt.date)
        if kpi.latest is not None:
            sheet.write_number(r, 7, kpi.latest, number)
        latest, baseline, target = _cell(r, 7), _cell(r, 4), _cell(r, 5)
        sheet.write_formula(
            r,
            8,
            f'=IF(ISNUMBER({latest}),({latest}-{baseline})/({target}-{baseline}),"")',
            fmt.percent,
        )
        layout.progress[(kpi.project_key, kpi.key)] = f"{quote_sheetname(KPIS)}!{_cell(r, 8, True)}"
        if kpi.projected_progress is not None:
            sheet.write_number(r, 9, kpi.projected_progress, fmt.percent)
        sheet.write_string(r, 10, kpi.status.replace("_", " "))
        sheet.write_string(r, 11, "; ".join(f"{name}: {value:g}" for name, value in kpi.benchmarks))
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 32)
    sheet.set_column(3, 10, 13)
    sheet.set_column(11, 11, 40)
    if data.kpis:
        chart = book.add_chart({"type": "bar"})
        last = len(data.kpis)
        chart.add_series(
            {
                "name": "Progress",
                "categories": [KPIS, 1, 2, last, 2],
                "values": [KPIS, 1, 8, last, 8],
            }
        )
        chart.add_series(
            {
                "name": "Projected progress",
                "categories": [KPIS, 1, 2, last, 2],
                "values": [KPIS, 1, 9, last, 9],
            }
        )
        chart.set_title({"name": "KPI progress towards target"})
        chart.set_x_axis({"num_format": "0%"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": max(260, 30 * last + 120)})
        sheet.insert_chart(last + 2, 2, chart)


def write_workbook(data: PackData, target: str | IO[bytes]) -> Layout:
    """Write the board pack of ``data`` to ``target`` (a path or a binary file) as XLSX."""
    book = Workbook(
        target,
        {
            "in_memory": True,
            # user text stays text: never a formula, a link or a number
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    fmt = _Formats(book, data.currency)
    # a project's amounts show its own currency
    formats = {data.currency: fmt}
    for project in data.projects:
        if project.currency and project.currency not in formats:
            formats[project.currency] = _Formats(book, project.currency)
    book.add_worksheet(SUMMARY)
    names = _sheet_names([p.key for p in data.projects])
    sheets = [
        _ProjectSheet(book, formats[project.currency or data.currency], data, project, name)
        for project, name in zip(data.projects, names, strict=True)
    ]
    book.add_worksheet(KPIS)
    layout = Layout()
    for project_sheet in sheets:
        project_sheet.write()
        for scope in project_sheet.scopes:
            for metric, _ in METRIC_ROWS:
                layout.cells[(project_sheet.project.key, scope, metric)] = project_sheet.ref(
                    scope, metric
                )
    _summary(book, fmt, data, sheets, layout)
    _kpis(book, fmt, data, layout)
    # a fixed creation time makes the file a function of ``data``: the same bytes every time
    created = _as_datetime(data.as_of)
    book.set_properties(
        {"title": "Board pack", "comments": f"as of {data.as_of.isoformat()}", "created": created}
    )
    book.close()
    return layout
