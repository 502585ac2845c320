"""The workbook's shape for edge cases, without LibreOffice: sheet names, a one-month horizon."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from roi_tracker import boardpack
from roi_tracker.boardpack.workbook import _sheet_names
from roi_tracker.store.tables import Cost, Project


def test_sheet_names_are_valid_and_unique() -> None:
    long = "x" * 40
    names = _sheet_names(["summary", "a/b", "a:b", long, long + "y", "'q'", "KPIS"])
    assert names[1:3] == ["a_b", "a_b~2"]
    assert names[0] == "summary~2" and names[-1] == "KPIS~2"
    assert names[3] == "x" * 31 and names[4] == "x" * 29 + "~2"
    assert names[5] == "q"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)


def test_a_one_month_project_has_formulas_without_npv_ranges(session, settings) -> None:
    project = Project(key="one", name="One month", start_date=date(2025, 3, 1), horizon_months=1)
    session.add(project)
    session.flush()
    session.add(
        Cost(project_id=project.id, key="c", date=date(2025, 3, 1), category="data",
             amount=Decimal("10.00"))
    )  # fmt: skip
    session.flush()
    data, content = boardpack.build(session, settings, as_of=date(2025, 2, 1))
    layout = boardpack.write_workbook(data, io.BytesIO())
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet_name, cell = layout.cells[("one", "total", "npv")].rsplit("!", 1)
    npv = book[sheet_name.strip("'")][cell.replace("$", "")].value
    assert npv.startswith("=") and "NPV(" not in npv  # period 0 alone is not discounted
    assert data.projects[0].total.npv == -10.0
    assert data.projects[0].total.irr is None


def test_a_pack_archived_before_the_cash_scope_is_written_again(session, settings) -> None:
    project = Project(key="old", name="Old pack", start_date=date(2025, 3, 1), horizon_months=3)
    session.add(project)
    session.flush()
    session.add(
        Cost(project_id=project.id, key="c", date=date(2025, 3, 1), category="data",
             amount=Decimal("10.00"))
    )  # fmt: skip
    session.flush()
    data, _ = boardpack.build(session, settings, as_of=date(2025, 2, 1))
    stored = data.model_dump(mode="json")
    for name in ("cash", "redeployed", "risk_benefits_cash"):
        del stored["projects"][0][name]
    old = type(data).model_validate(stored)
    layout = boardpack.write_workbook(old, io.BytesIO())
    assert ("old", "hard", "npv") in layout.cells
    assert not any(scope == "cash" for _, scope, _ in layout.cells)
    # the current pack has the cash scope
    assert ("old", "cash", "npv") in boardpack.write_workbook(data, io.BytesIO()).cells


def test_projects_in_other_currencies_give_the_apps_portfolio_in_the_reporting_one(
    session, settings
) -> None:
    from tests.test_fx_portfolio import AS_OF, U_NPV, add_projects, e_usd_npv

    add_projects(session)
    data, content = boardpack.build(session, settings, as_of=AS_OF)
    assert {p.key: p.currency for p in data.projects} == {"u": "USD", "e": "EUR"}
    assert data.portfolio.total.costs == 2350
    book = openpyxl.load_workbook(io.BytesIO(content))
    summary = book["Summary"]
    values = [cell for row in summary.iter_rows(values_only=True) for cell in row]
    # no SUM over sheets in two currencies: the app's figure in USD
    assert not any(isinstance(v, str) and v.startswith("=SUM(") for v in values)
    npvs = [v for v in values if isinstance(v, float) and abs(v - (U_NPV + e_usd_npv())) < 0.011]
    assert npvs
    assert any(isinstance(v, str) and "converted at that month's rate" in v for v in values)
    euro = book[next(name for name in book.sheetnames if name.startswith("e"))]
    assert "amounts in EUR" in euro["A2"].value
