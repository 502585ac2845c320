"""The board pack recalculated by LibreOffice Calc gives the app's figures, formula by formula."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from roi_tracker import boardpack
from roi_tracker.access import Actor
from roi_tracker.services import baselines, finance
from roi_tracker.store.tables import Benchmark, Benefit, Cost, Kpi, Measurement, Project
from tests.boardpack.libreoffice import Values, recalculated
from tests.finance_portfolio import AS_OF, add_portfolio

SCOPES = ("total", "hard", "cash")
FORMULA_METRICS = (
    "costs", "benefits", "npv", "irr", "roi", "discounted_roi", "payback_period",
    "discounted_payback_period", "risk_adjusted_npv", "risk_adjusted_roi",
)  # fmt: skip


#: a key with characters a sheet name may not hold, and a quote that references must escape
AWKWARD = "o'c/1:[x]"


def add_awkward_project(session) -> None:
    """A project whose names look like formulas, that never pays back and has no IRR."""
    c = Project(
        key=AWKWARD, name='=HYPERLINK("http://x","click")', start_date=date(2024, 11, 3),
        horizon_months=18, discount_rate=0.07, probability_of_success=0.6,
        cost_contingency=0.2, risk_premium=0.05, stage="pilot",
    )  # fmt: skip
    session.add(c)
    session.flush()
    session.add_all(
        [
            Cost(project_id=c.id, key="c1", date=date(2024, 11, 1), category="infrastructure",
                 amount=Decimal("1234.56"), recurrence="monthly", status="planned"),
            Cost(project_id=c.id, key="c0", date=date(2024, 12, 1), category="data",
                 amount=Decimal("999.99"), status="actual"),
            Benefit(project_id=c.id, key="cb", date=date(2025, 1, 1), type="soft",
                    category="productivity", amount=Decimal("333.33"), recurrence="quarterly",
                    confidence=0.5),
            # a cash scope apart from the hard one: cost avoidance, never paying back
            Benefit(project_id=c.id, key="cc", date=date(2025, 2, 1), type="hard",
                    category="cost_savings", cash_class="cost_avoidance",
                    amount=Decimal("10.00"), recurrence="monthly", confidence=0.7),
        ]
    )  # fmt: skip
    kpi = Kpi(
        project_id=c.id, key="k1", name="+cmd|' /C calc'!A0", unit="@hours",
        baseline=10.0, target=4.0, target_date=date(2025, 12, 31),
    )  # fmt: skip
    session.add(kpi)
    session.flush()
    session.add_all(
        [
            Measurement(kpi_id=kpi.id, date=date(2024, 12, 15), value=8.5),
            Measurement(kpi_id=kpi.id, date=date(2025, 2, 1), value=7.0),
            Benchmark(kpi_id=kpi.id, name="-industry", value=5.0),
        ]
    )
    session.flush()


@pytest.fixture
def pack(session, settings, tmp_path: Path):
    add_portfolio(session)
    add_awkward_project(session)
    baselines.approve(
        session, settings, project_key="b", approved_by="CFO", actor=Actor.command_line()
    )
    # fiscal years from April: January … March 2025 close FY2025
    settings = settings.model_copy(update={"fiscal_year_start_month": 4})
    data, content = boardpack.build(session, settings, as_of=AS_OF)
    path = tmp_path / "pack.xlsx"
    path.write_bytes(content)
    layout = boardpack.write_workbook(data, str(tmp_path / "again.xlsx"))
    return data, layout, path


def _close(value: object, expected: float | None, metric: str) -> bool:
    if expected is None:
        return value == "n/a"
    if not isinstance(value, int | float):
        return False
    if metric.endswith("payback_period"):
        return value == expected
    tolerance = 1e-4 if metric == "irr" else 1e-6
    return math.isclose(value, expected, rel_tol=tolerance, abs_tol=1e-9)


def test_libreoffice_recalculates_every_formula_to_the_apps_figures(
    pack, session, settings, tmp_path: Path
) -> None:
    data, layout, path = pack
    values = Values(recalculated(path, tmp_path))
    compared = 0
    for project in data.projects:
        for scope in SCOPES:
            figures = getattr(project, scope)
            for metric in FORMULA_METRICS:
                got = values[layout.cells[(project.key, scope, metric)]]
                expected = getattr(figures, metric)
                assert _close(got, expected, metric), (project.key, scope, metric, got, expected)
                compared += 1
        assert values[layout.verdicts[project.key]] == project.verdict
    assert compared == 3 * len(SCOPES) * len(FORMULA_METRICS)
    # the cases the portfolio covers: a project with an IRR and a payback, one without either
    figures = {p.key: p.total for p in data.projects}
    assert figures["b"].irr is not None and figures["b"].payback_period == 18
    assert figures[AWKWARD].irr is None and figures[AWKWARD].payback_period is None

    # the pack's figures are the report's, to the cent
    report = finance.portfolio_report(session, settings, as_of=AS_OF)
    for project, reported in zip(data.projects, report.projects, strict=True):
        for metric in FORMULA_METRICS:
            mine, theirs = getattr(project.total, metric), getattr(reported.total, metric)
            assert (mine is None) == (theirs is None)
            if mine is not None:
                assert abs(mine - theirs) <= (0.005 if metric in ("costs", "npv") else 1e-9) or (
                    metric in ("benefits", "risk_adjusted_npv") and abs(mine - theirs) <= 0.005
                )

    # the NPV change against the approved baseline is a formula over the NPV's
    b = next(p for p in data.projects if p.key == "b")
    assert b.baseline_version == 1 and b.baseline_npv is not None
    assert set(layout.baseline_changes) == {"b"}
    assert math.isclose(
        values[layout.baseline_changes["b"]],
        b.total.npv - b.baseline_npv,
        rel_tol=1e-6,
        abs_tol=1e-6,
    )

    # costs and benefits by fiscal year are SUMIFs over the fiscal-year column
    sheet = values.book["a"]
    assert sheet["L4"].value == "Fiscal year"
    years = {sheet[f"L{r}"].value: (sheet[f"M{r}"].value, sheet[f"N{r}"].value) for r in (5, 6)}
    assert list(years) == ["FY2025", "FY2026"] and sheet["L7"].value is None
    a = data.projects[0]
    assert sheet["C24"].value == "FY2025" and sheet["D24"].value == "FY2025 Q4"
    assert sheet["D27"].value == "FY2026 Q1"
    assert math.isclose(sum(c for c, _ in years.values()), a.total.costs, rel_tol=1e-9)
    assert math.isclose(years["FY2025"][0], sum(sum(col[:3]) for col in a.costs), rel_tol=1e-9)
    assert math.isclose(sum(b for _, b in years.values()), a.total.benefits, rel_tol=1e-9)

    # benefits by type and by cash class: the classes' sums add up to the total benefits, and
    # the cash benefits are the cashable and cost-avoidance ones (no redeployments here): A's
    # revenue, 1,500 + 9 × 3,000
    header = {cell.value: cell.column_letter for cell in sheet[23] if cell.value}
    assert "Benefit (hard, cashable): revenue" in header
    classes = [f"Benefits: {c}" for c in
               ("cashable", "cost avoidance", "non-cashable", "non-financial")]  # fmt: skip
    for row in range(24, 24 + a.horizon_months):
        by_class = [sheet[f"{header[c]}{row}"].value for c in classes]
        assert math.isclose(sum(by_class), sheet[f"{header['Total benefits']}{row}"].value)
        cash = sheet[f"{header['Cash benefits']}{row}"].value
        assert math.isclose(cash, by_class[0] + by_class[1], abs_tol=1e-9)
    assert sum(sheet[f"{header['Cash benefits']}{r}"].value for r in range(24, 36)) == 28500

    # the summary's cash NPV of a project refers to its sheet's formula
    summary = values.book["Summary"]
    title_row = next(r for r in summary.iter_rows() if r[0].value == "Project")
    cash_npv = next(c for c in title_row if c.value == "NPV, cash only")
    a_row = next(r for r in summary.iter_rows() if r[0].value == "a")
    assert math.isclose(a_row[cash_npv.column - 1].value, a.cash.npv, rel_tol=1e-6)

    # KPI progress is a formula too
    (kpi,) = data.kpis
    assert math.isclose(values[layout.progress[(AWKWARD, "k1")]], kpi.progress, rel_tol=1e-9)


def test_user_text_stays_text(pack, tmp_path: Path) -> None:
    import openpyxl

    _, _, path = pack
    book = openpyxl.load_workbook(path)  # formulas as written, not values
    assert book.sheetnames == ["Summary", "a", "b", "o'c_1__x_", "KPIs"]
    texts = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }
    assert '=HYPERLINK("http://x","click")' in texts
    assert "+cmd|' /C calc'!A0" in texts and "@hours" in texts
    formulas = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas and not any("HYPERLINK" in f or "cmd" in f for f in formulas)


def test_the_demo_portfolio_recalculates_to_the_apps_figures(session, settings, tmp_path) -> None:
    """Ten projects with ramps, recurrences, actuals and soft benefits: every formula again."""
    from roi_tracker.services.demo import load_demo

    today = date(2026, 11, 26)
    load_demo(session, today=today, actor=Actor.command_line())
    data, content = boardpack.build(session, settings, as_of=today)
    path = tmp_path / "demo.xlsx"
    path.write_bytes(content)
    layout = boardpack.write_workbook(data, str(tmp_path / "layout.xlsx"))
    values = Values(recalculated(path, tmp_path))
    assert len(data.projects) >= 8
    with_irr = 0
    for project in data.projects:
        for scope in SCOPES:
            for metric in FORMULA_METRICS:
                got = values[layout.cells[(project.key, scope, metric)]]
                expected = getattr(getattr(project, scope), metric)
                assert _close(got, expected, metric), (project.key, scope, metric, got, expected)
            with_irr += getattr(project, scope).irr is not None
        assert values[layout.verdicts[project.key]] == project.verdict
    assert with_irr >= 8  # IRR is compared on real cases, not only on "n/a"
