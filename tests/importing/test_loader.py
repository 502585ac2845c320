"""Importing the corpus of real-world files in tests/data/csv, and every kind of broken file."""

from __future__ import annotations

import csv
import gc
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.errors import InvalidInput, ValidationFailed
from roi_tracker.importing import loader
from roi_tracker.importing.loader import ImportReport, SeenKeys
from roi_tracker.store.tables import AuditEntry, Benefit, Cost, Kpi, Measurement, Project

CORPUS = Path(__file__).resolve().parents[1] / "data" / "csv"
EUROPEAN = [CORPUS / "excel_european" / name for name in ("costs.csv", "projects.csv")]
GOOGLE = [CORPUS / "google_sheets" / n for n in ("measurements.csv", "benchmarks.csv", "kpis.csv")]
TABS = [CORPUS / "tab_separated" / n for n in ("decisions.csv", "benefits.csv")]
ALL_VALID = EUROPEAN + GOOGLE + TABS
ACTOR = Actor.command_line()


def import_files(engine: Engine, paths, **options) -> ImportReport:
    return loader.import_files(engine, paths, actor=ACTOR, **options)


def rows(engine: Engine, model) -> list:
    with Session(engine) as session:
        return list(session.execute(select(model).order_by(model.id)).scalars())


def count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def problems_of(engine: Engine, paths, **options) -> list[str]:
    with pytest.raises(ValidationFailed) as failure:
        import_files(engine, paths, **options)
    return failure.value.problems


def test_excel_european_file_is_read_exactly(engine):
    report = import_files(engine, EUROPEAN)  # costs first: the order given does not matter
    assert report.counts["projects"].created == 2
    assert report.counts["costs"].created == 3
    inv, mail = rows(engine, Project)
    assert (inv.key, inv.discount_rate, inv.probability_of_success) == ("INV", 0.08, 0.75)
    assert (inv.horizon_months, inv.stage, inv.start_date) == (24, "pilot", date(2025, 1, 1))
    assert mail.discount_rate is None
    assert mail.description == 'Sortiert Anfragen; priorisiert "dringend"'
    costs = {c.key: c for c in rows(engine, Cost)}
    assert costs["LIZENZ"].amount == Decimal("1200.50")
    assert costs["LIZENZ"].high == Decimal("1500.75")
    assert costs["BETRIEB"].amount == Decimal("310.40")
    assert costs["ENTW"].description == "Einführung"
    assert costs["ENTW"].status == "actual" and costs["ENTW"].low is None


def test_the_whole_corpus_loads_in_one_call(engine):
    report = import_files(engine, ALL_VALID)
    assert list(report.counts) == [
        "projects", "kpis", "measurements", "benchmarks", "costs", "benefits", "decisions",
    ]  # fmt: skip
    kpis = {k.key: k for k in rows(engine, Kpi)}
    assert kpis["ERRORS"].name == "Error rate, manual"
    assert kpis["THROUGHPUT"].baseline_date is None and kpis["THROUGHPUT"].target == 120
    assert count(engine, Measurement) == 4  # one of a control group
    hours, nps = rows(engine, Benefit)
    assert (hours.confidence, hours.ramp_months, hours.low) == (0.8, 3, Decimal("4000"))
    assert (nps.type, nps.status, nps.confidence, nps.ramp_months) == ("soft", "realized", 1, 0)


def test_importing_twice_changes_nothing_and_a_changed_row_updates(engine, tmp_path):
    import_files(engine, ALL_VALID)
    before = [(c.id, c.amount, c.updated_at) for c in rows(engine, Cost)]
    again = import_files(engine, ALL_VALID)
    assert all(c.created == c.updated == 0 for c in again.counts.values())
    assert [(c.id, c.amount, c.updated_at) for c in rows(engine, Cost)] == before

    changed = tmp_path / "costs.csv"
    text = EUROPEAN[0].read_text(encoding="utf-8-sig").replace("35000", "36000,25")
    changed.write_text(text, encoding="utf-8")
    report = import_files(engine, [changed])
    assert (report.counts["costs"].updated, report.counts["costs"].unchanged) == (1, 2)
    assert {c.key: c.amount for c in rows(engine, Cost)}["ENTW"] == Decimal("36000.25")


def _import_new_changed_and_unchanged_costs(engine: Engine, folder: Path) -> None:
    import_files(engine, EUROPEAN)
    path = folder / "costs.csv"
    path.write_text(
        "project_key,key,date,category,amount,recurrence,end_date,low\n"
        "MAIL,NEU,2025-03-01,data,0.5,,,0.25\n"  # new: the one row of three inserted
        "INV,ENTW,2025-02-15,development,36000,,,\n"  # changed
        "MAIL,BETRIEB,2024-07-01,infrastructure,310.40,quarterly,,\n",  # as stored
        encoding="utf-8",
    )
    report = import_files(engine, [path]).counts["costs"]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    costs = {c.key: c for c in rows(engine, Cost)}
    assert (costs["ENTW"].amount, costs["BETRIEB"].amount) == (Decimal("36000"), Decimal("310.40"))
    new = costs["NEU"]
    assert (new.amount, new.low, new.high) == (Decimal("0.50"), Decimal("0.25"), None)
    assert (new.date, new.end_date, new.recurrence) == (date(2025, 3, 1), None, "one_time")


def test_a_file_of_new_changed_and_unchanged_rows(engine, tmp_path):
    _import_new_changed_and_unchanged_costs(engine, tmp_path)


def test_the_cyclic_collector_is_back_on_after_an_import_and_after_a_failure(engine):
    import_files(engine, EUROPEAN)
    assert gc.isenabled()
    problems_of(engine, [CORPUS / "errors" / "duplicate_keys.csv"])
    assert gc.isenabled()


def test_dry_run_counts_but_writes_nothing(engine):
    report = import_files(engine, ALL_VALID, dry_run=True)
    assert report.counts["costs"].created == 3 and report.dry_run
    assert count(engine, Project) == 0 and count(engine, Cost) == 0


def test_multiline_quoted_cells(engine):
    import_files(engine, [CORPUS / "multiline" / "projects.csv"])
    doc = rows(engine, Project)[0]
    assert doc.description == 'Finds contracts.\nSecond line, with a comma;\nand "quotes"'


def test_other_encodings_are_named_with_byte_and_line(engine):
    path = CORPUS / "latin1" / "projects.csv"
    with pytest.raises(InvalidInput) as failure:
        import_files(engine, [path])
    message = str(failure.value)
    assert f"{path}:2: byte 0xe9" in message and "--encoding" in message
    import_files(engine, [path], encoding="cp1252")
    assert rows(engine, Project)[0].name == "Café scoring"


def test_utf16_text_export_is_recognised(engine):
    import_files(engine, [CORPUS / "utf16" / "projects.csv"])
    assert rows(engine, Project)[0].name == "Unicode text export"


def test_every_problem_of_every_row_is_listed(engine):
    import_files(engine, EUROPEAN)
    path = CORPUS / "errors" / "costs_bad_values.csv"
    problems = problems_of(engine, [path])
    expected = [
        f"{path}:2: amount: 12.345 has more than two decimal places",
        f"{path}:3: date: '2025-02-30' is not a date",
        f"{path}:4: category: 'snacks' is not one of",
        f"{path}:4: recurrence: 'weekly' is not one of",
        f"{path}:4: status: 'spent' is not one of: planned, actual",
        f"{path}:5: amount: 'ten' is not a number",
        f"{path}:6: end_date: 2024-12-01 is before date 2025-01-01",
        f"{path}:6: low: 150 is above amount 100",
        f"{path}:6: high: 90 is below amount 100",
        f"{path}:7: amount: -5 is negative",
    ]
    assert len(problems) == len(expected)
    for line, start in zip(problems, expected, strict=True):
        assert line.startswith(start), (line, start)
    assert count(engine, Cost) == 3  # the earlier import is untouched


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("unknown_column.csv", [":1: header: unknown column(s) 'colour', 'size' for projects"]),
        ("missing_column.csv", [":1: header: missing required column(s): category"]),
        ("projects_ranges.csv", [
            ":2: horizon_months: 0 is out of range", ":2: discount_rate: 2 is out of range",
            ":2: probability_of_success: 1.5 is out of range: must be between 0 and 1",
            ":3: name: is required", ":3: start_date: '01/02/2025' is not a date",
        ]),
        ("unknown_keys.csv", [
            ":2: project_key: unknown project 'NOPE'",
            ":3: kpi_key: project 'INV' has no KPI 'NOPE'",
        ]),
        ("duplicate_keys.csv", [":4: key: duplicate key: line 2 has the same project_key, key"]),
        ("too_many_fields.csv", [":2: row: has 4 fields but the header names 3 columns"]),
        ("kpi_rules.csv", [
            ":2: target: 5 equals the baseline", ":2: target_date: 2025-01-01 is on or before",
        ]),
        ("header_only.csv", [":1: rows: the file has a header but no rows"]),
    ],
)  # fmt: skip
def test_each_error_kind(engine, name, fragments):
    import_files(engine, EUROPEAN)
    path = CORPUS / "errors" / name
    problems = problems_of(engine, [path])
    assert len(problems) == len(fragments), problems
    for problem, fragment in zip(problems, fragments, strict=True):
        assert problem.startswith(str(path)) and fragment in problem


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("empty.csv", "is empty"), ("binary.csv", "is a binary file"),
     ("not_a_table.csv", "does not name the columns of any entity")],
)  # fmt: skip
def test_unreadable_files_get_one_reason(engine, name, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        import_files(engine, [CORPUS / "errors" / name])


def test_a_key_defined_in_another_file_of_the_import_counts(engine):
    problems = problems_of(engine, [*EUROPEAN, CORPUS / "errors" / "unknown_keys.csv", GOOGLE[2]])
    assert len(problems) == 2 and "'NOPE'" in problems[0] and "'NOPE'" in problems[1]


def test_any_error_and_nothing_of_any_file_is_written(engine):
    bad = CORPUS / "errors" / "duplicate_keys.csv"
    problems = problems_of(engine, [*ALL_VALID, bad])
    assert len(problems) == 1
    assert count(engine, Project) == count(engine, Cost) == count(engine, Kpi) == 0


def test_errors_to_writes_the_failed_rows_to_fix_and_reimport(engine, tmp_path):
    import_files(engine, EUROPEAN)
    failed = tmp_path / "failed.csv"
    problems_of(engine, [CORPUS / "errors" / "costs_bad_values.csv"], errors_to=failed)
    with failed.open(encoding="utf-8", newline="") as file:
        written = list(csv.DictReader(file))
    assert [r["key"] for r in written] == ["A", "B", "C", "D", "E", "F"]
    assert written[1]["error"].startswith("date: '2025-02-30' is not a date")
    assert written[5]["amount"] == "-5"  # a number is not guarded
    fixed = failed.read_text(encoding="utf-8")
    # every cell is quoted, so no separator inside one can split it
    assert fixed.splitlines()[2].startswith('"INV","B","2025-02-30","licensing","10",')
    repairs = [("12.345", "12.34"), ("2025-02-30", "2025-02-28"), ("snacks", "data"),
               ("weekly", "monthly"), ("spent", "actual"), ("ten", "10"),
               ("2024-12-01", "2025-12-01"), ('"150","90"', '"50","190"'),
               ('"-5"', '"5"')]  # fmt: skip
    for bad, good in repairs:
        fixed = fixed.replace(bad, good)
    failed.write_text(fixed, encoding="utf-8")
    report = import_files(engine, [failed])  # the error column is ignored
    assert report.counts["costs"].created == 6


def test_entity_option_overrides_the_header(engine, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("key,name,start_date\nX,Y,2025-01-01\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        import_files(engine, [path], entity="costs")
    assert "missing required column(s): project_key, date, category, amount" in str(
        failure.value.problems
    )
    with pytest.raises(InvalidInput, match="unknown entity"):
        import_files(engine, [path], entity="invoices")


def test_import_on_postgresql(postgres_url, tmp_path):
    from roi_tracker.store import make_engine, migrate

    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        import_files(engine, ALL_VALID)
        again = import_files(engine, ALL_VALID)
        assert again.counts["costs"].unchanged == 3 and again.counts["kpis"].unchanged == 2
        assert {c.key: c.amount for c in rows(engine, Cost)}["LIZENZ"] == Decimal("1200.50")
        problems_of(engine, [CORPUS / "errors" / "duplicate_keys.csv"])
        assert count(engine, Cost) == 3
        assert import_files(engine, ALL_VALID, dry_run=True).counts["costs"].unchanged == 3
        _import_new_changed_and_unchanged_costs(engine, tmp_path)  # after a read-only check
        with Session(engine) as session:
            changed = session.execute(select(AuditEntry).where(AuditEntry.field.is_not(None)))
            fields = {(a.record_key, a.field, a.new) for a in changed.scalars()}
        assert fields == {
            ("INV/ENTW", "amount", "36000.00"), ("INV/ENTW", "status", "planned"),
            ("INV/ENTW", "description", None),
        }  # fmt: skip
    finally:
        engine.dispose()


def test_seen_keys_finds_every_repeat_across_batches():
    rng = random.Random(3)
    for _ in range(100):
        seen, first_lines, line = SeenKeys(), {}, 2
        for _ in range(rng.randint(1, 12)):
            keys = [(rng.choice("PQ"), rng.randint(0, 60)) for _ in range(rng.randint(1, 20))]
            lines = list(range(line, line + len(keys)))
            line += len(keys)
            expected = {}
            for i, key in enumerate(keys):
                if key in first_lines:
                    expected[i] = first_lines[key]
                else:
                    first_lines[key] = lines[i]
            assert seen.add(keys, lines) == expected


def test_duplicates_and_problems_across_batches(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "BATCH_ROWS", 3)
    monkeypatch.setattr(loader, "MAX_LISTED_PROBLEMS", 4)
    import_files(engine, EUROPEAN)
    path = tmp_path / "costs.csv"
    lines = ["project_key,key,date,category,amount"]
    lines += [f"INV,K{i % 4},2025-01-01,data,{i}" for i in range(10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        import_files(engine, [path])
    assert failure.value.problems == [
        f"{path}:6: key: duplicate key: line 2 has the same project_key, key",
        f"{path}:7: key: duplicate key: line 3 has the same project_key, key",
        f"{path}:8: key: duplicate key: line 4 has the same project_key, key",
        f"{path}:9: key: duplicate key: line 5 has the same project_key, key",
        "... and 2 more problem(s)",
    ]
    assert str(failure.value).startswith("6 problem(s) found")


def test_excel_sep_line_names_the_delimiter_and_shows_no_row(engine, tmp_path):
    path = CORPUS / "excel_sep_line" / "projects.csv"
    problems = problems_of(engine, [path])
    assert problems == [f"{path}:3: start_date: '2025-13-01' is not a date (expected YYYY-MM-DD)"]
    fixed = tmp_path / "projects.csv"
    fixed.write_bytes(path.read_bytes().replace(b"2025-13-01", b"2025-12-01"))
    import_files(engine, [fixed])
    assert [p.name for p in rows(engine, Project)] == ["Sep, line", "Bad"]


def test_kpi_target_must_follow_the_project_start_when_no_baseline_date(engine, tmp_path):
    import_files(engine, EUROPEAN)  # INV starts 2025-01-01
    path = tmp_path / "kpis.csv"
    path.write_text(
        "project_key,key,name,unit,baseline,target,target_date\n"
        "INV,EARLY,Early,units,1,2,2024-12-31\nINV,LATE,Late,units,1,2,2025-02-01\n",
        encoding="utf-8",
    )
    problems = problems_of(engine, [path])
    assert problems == [
        f"{path}:2: target_date: 2024-12-31 is on or before the project's start_date 2025-01-01"
        " (the baseline_date when none is given)"
    ]


def test_errors_to_with_several_failing_files_writes_one_file_each(engine, tmp_path):
    import_files(engine, EUROPEAN)
    bad = [CORPUS / "errors" / "costs_bad_values.csv", CORPUS / "errors" / "unknown_keys.csv"]
    target = tmp_path / "failed.csv"
    with pytest.raises(ValidationFailed) as failure:
        import_files(engine, bad, errors_to=target)
    written = sorted(p.name for p in tmp_path.glob("failed*"))
    assert written == ["failed-1-unknown_keys.csv", "failed-2-costs_bad_values.csv"]
    assert str(tmp_path / "failed-1-unknown_keys.csv") in str(failure.value)
    lines = (tmp_path / "failed-1-unknown_keys.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == '"project_key","kpi_key","date","value","error"' and len(lines) == 3


def test_progress_is_reported_up_to_the_total(engine):
    seen: list[tuple[int, int]] = []
    import_files(engine, ALL_VALID, progress=lambda done, total: seen.append((done, total)))
    total = sum(p.stat().st_size for p in ALL_VALID)
    assert seen and all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == total
