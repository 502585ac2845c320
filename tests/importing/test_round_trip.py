"""Random valid rows survive export → import into an empty database → export, exactly."""

from __future__ import annotations

import io
import string
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from roi_tracker.access import Actor
from roi_tracker.domain.vocabulary import (
    LATEST_DATE,
    BenefitCategory,
    BenefitStatus,
    BenefitType,
    CostCategory,
    CostStatus,
    DecisionKind,
    Recurrence,
    Stage,
)
from roi_tracker.entities import LOAD_ORDER
from roi_tracker.importing.exporter import export_entity
from roi_tracker.importing.loader import import_files
from roi_tracker.store import make_engine
from roi_tracker.store.tables import Benchmark, Benefit, Cost, Decision, Kpi, Measurement, Project

KEYS = st.text(string.ascii_letters + string.digits + "_-=+@", min_size=1, max_size=10)
# any text a cell can hold; spaces around a cell are not kept by the import
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25
).map(str.strip)
NAMES = TEXT.filter(bool)
OPTIONAL_TEXT = st.none() | NAMES
DATES = st.dates(date(1990, 1, 1), date(2090, 12, 31))
MONEY = st.integers(0, 10**14).map(lambda cents: Decimal(cents).scaleb(-2))
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
FRACTIONS = st.floats(0, 1)


def values(enum) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@st.composite
def portfolios(draw) -> list[SQLModel]:
    rows: list[SQLModel] = []
    for project_id, key in enumerate(draw(st.sets(KEYS, min_size=1, max_size=3)), start=1):
        start = draw(DATES)
        rows.append(
            Project(
                id=project_id,
                key=key,
                name=draw(NAMES),
                business_unit=draw(OPTIONAL_TEXT),
                stage=draw(values(Stage)),
                start_date=start,
                horizon_months=draw(st.none() | st.integers(1, 600)),
                discount_rate=draw(st.none() | st.floats(-0.99, 1)),
                probability_of_success=draw(FRACTIONS),
                cost_contingency=draw(st.floats(0, 5)),
                risk_premium=draw(st.floats(0, 1)),
                currency=draw(st.none() | st.just("EUR")),
                description=draw(OPTIONAL_TEXT),
            )
        )
        for kpi_key in draw(st.sets(KEYS, max_size=2)):
            baseline = draw(FLOATS)
            kpi_id = len(rows) + 1
            rows.append(
                Kpi(
                    id=kpi_id,
                    project_id=project_id,
                    key=kpi_key,
                    name=draw(NAMES),
                    unit=draw(NAMES.map(lambda u: u[:40])),
                    baseline=baseline,
                    target=draw(FLOATS.filter(lambda t, b=baseline: t != b)),
                    baseline_date=start,
                    target_date=draw(st.dates(start + timedelta(days=366), LATEST_DATE)),
                    specific=draw(OPTIONAL_TEXT),
                )
            )
            for when in draw(st.sets(DATES, max_size=2)):
                rows.append(Measurement(kpi_id=kpi_id, date=when, value=draw(FLOATS)))
            rows.append(Benchmark(kpi_id=kpi_id, name=draw(NAMES), value=draw(FLOATS)))
        for cost_key in draw(st.sets(KEYS, max_size=3)):
            amount = draw(MONEY)
            rows.append(
                Cost(
                    project_id=project_id,
                    key=cost_key,
                    date=start,
                    category=draw(values(CostCategory)),
                    amount=amount,
                    recurrence=draw(values(Recurrence)),
                    end_date=draw(st.none() | st.just(start)),
                    status=draw(values(CostStatus)),
                    low=draw(st.none() | st.just(amount)),
                    high=draw(st.none() | MONEY.map(amount.__add__)),
                    description=draw(OPTIONAL_TEXT),
                )
            )
        for benefit_key in draw(st.sets(KEYS, max_size=2)):
            rows.append(
                Benefit(
                    project_id=project_id,
                    key=benefit_key,
                    date=start,
                    type=draw(values(BenefitType)),
                    category=draw(values(BenefitCategory)),
                    amount=draw(MONEY),
                    status=draw(values(BenefitStatus)),
                    confidence=draw(FRACTIONS),
                    ramp_months=draw(st.integers(0, 600)),
                    description=draw(OPTIONAL_TEXT),
                )
            )
        rows.append(
            Decision(
                project_id=project_id,
                date=start,
                decision=draw(values(DecisionKind)),
                rationale=draw(NAMES),
                author=draw(OPTIONAL_TEXT.map(lambda a: a and a[:100])),
            )
        )
    return rows


def fresh_engine():
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    return engine


def exports(engine) -> dict[str, str]:
    found = {}
    with Session(engine) as session:
        for entity in LOAD_ORDER:
            out = io.StringIO()
            export_entity(session, entity, out)
            found[entity] = out.getvalue()
    return found


def stored(engine) -> list[tuple]:
    """Every stored row without ids and timestamps, parents named by their keys."""
    ignored = {"id", "created_at", "updated_at", "project_id", "kpi_id"}
    found = []
    with Session(engine) as session:
        projects = dict(session.execute(select(Project.id, Project.key)).all())
        kpis = {k.id: (projects[k.project_id], k.key) for k in session.scalars(select(Kpi))}
        for model in (Project, Kpi, Measurement, Benchmark, Cost, Benefit, Decision):
            for row in session.scalars(select(model)):
                data = {k: v for k, v in row.model_dump().items() if k not in ignored}
                parent = projects.get(getattr(row, "project_id", None)) or kpis.get(
                    getattr(row, "kpi_id", None)
                )
                found.append((model.__name__, parent, sorted(data.items())))
    return sorted(found, key=repr)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_random_rows_survive_export_and_import(tmp_path_factory, rows):
    source, target = fresh_engine(), fresh_engine()
    folder = Path(tmp_path_factory.mktemp("round_trip"))
    try:
        with Session(source) as session:
            for model in (Project, Kpi, Measurement, Benchmark, Cost, Benefit, Decision):
                session.add_all(row for row in rows if isinstance(row, model))
                session.flush()  # no relationships tell the session the order
            session.commit()
        first = exports(source)
        paths = []
        for entity, text in first.items():
            if text.count("\n") == 1:
                continue  # nothing stored: a header alone is refused by the import
            path = folder / f"{entity}.csv"
            path.write_text(text, encoding="utf-8", newline="")
            paths.append(path)
        import_files(target, list(reversed(paths)), actor=Actor.command_line())
        assert stored(target) == stored(source)
        assert exports(target) == first
    finally:
        source.dispose()
        target.dispose()
