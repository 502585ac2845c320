"""User text is shown as typed, never read as Markdown: no links, images or code from a name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlmodel import select

from roi_tracker.store import make_engine, session_scope
from roi_tracker.store.tables import Benchmark, Benefit, Cost, Decision, Kpi, Measurement, Project
from roi_tracker.ui.format import literal
from tests.dates import month, month_end
from tests.pages.conftest import open_app, shown
from tests.pages.test_every_page import PAGES

HOSTILE = "x` ![](http://evil/p.png) [Reset your password](http://evil)"
#: a link or an image that Markdown would render: ``](http`` or ``![`` not escaped
_ACTIVE_MARKDOWN = re.compile(r"(?<!\\)\]\((?:http|www)|(?<!\\)!\[|(?<![\\\w])https?://")


def load_hostile_project(url: str) -> None:
    """A project whose every free-text field is the hostile text, with one of each record."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        project = Project(
            key="aaa-hostile", name=HOSTILE, description=HOSTILE, owner=HOSTILE,
            business_unit=HOSTILE, use_case="assistant", stage="pilot", start_date=month(-6),
            horizon_months=24,
        )  # fmt: skip
        session.add(project)
        session.flush()
        kpi = Kpi(
            project_id=project.id, key="hostile-kpi", name=HOSTILE, unit=HOSTILE, baseline=10,
            target=3, target_date=month_end(6), owner=HOSTILE,
        )  # fmt: skip
        session.add_all(
            [
                kpi,
                Cost(project_id=project.id, key="hostile-cost", date=month(-6),
                     category="development", amount=Decimal("1000"), status="actual",
                     description=HOSTILE),
                Benefit(project_id=project.id, key="hostile-benefit", date=month(-3),
                        type="hard", category="time_savings", amount=Decimal("500"),
                        recurrence="monthly", status="realized", description=HOSTILE),
                Decision(project_id=project.id, date=month(-1), decision="continue",
                         rationale=HOSTILE, author=HOSTILE),
            ]
        )  # fmt: skip
        session.flush()
        session.add_all(
            [
                Measurement(kpi_id=kpi.id, date=month(-2), value=7, note=HOSTILE),
                Benchmark(kpi_id=kpi.id, name=HOSTILE, value=5, source=HOSTILE),
            ]
        )
    engine.dispose()


@pytest.fixture
def hostile_db(demo_db) -> str:
    load_hostile_project(demo_db)
    return demo_db


WIDGETS = (
    "selectbox", "multiselect", "radio", "text_input", "text_area", "checkbox", "button",
    "date_input", "number_input", "slider", "select_slider", "toggle",
)  # fmt: skip


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element and label that Streamlit renders as Markdown."""
    sources: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "divider", "latex",
                 "info", "error", "success", "warning", "toast"):  # fmt: skip
        sources += [str(element.value) for element in getattr(at, kind)]
    sources += [element.label for element in at.metric]
    sources += [str(element.value) for element in at.metric]
    sources += [element.label for element in at.expander]
    sources += [element.label for element in at.tabs]
    for kind in WIDGETS:
        sources += [str(element.label) for element in getattr(at, kind)]
    for element in [*at.radio, *at.get("button_group")]:
        sources += [str(option) for option in getattr(element, "options", [])]
    return sources


def plain_texts(at) -> list[str]:
    """Text shown without Markdown: st.text, st.code, select box options."""
    texts = [str(element.value) for element in at.text]
    texts += [str(element.value) for element in at.code]
    for element in [*at.selectbox, *at.multiselect]:
        texts += [str(option) for option in element.options]
    return texts


def _open_hostile(page: str):
    at = open_app(page)
    for selectbox in at.selectbox:
        if selectbox.key in ("project", "budget_scope", "scenario_scope", "kpi_project"):
            selectbox.set_value("aaa-hostile")
    at.run()
    # open every panel that is filled only once opened (ids end with the panel's key)
    for panel in at.expander:
        if panel.proto.id:
            at.session_state[panel.proto.id.split("-", 2)[2]] = True
    return at.run()


NO_PROJECT_SHOWN = (
    "app_pages/import_export.py", "app_pages/email_summaries.py", "app_pages/history.py",
    "app_pages/users.py",
)  # fmt: skip


@pytest.mark.parametrize("page", sorted({*PAGES, *NO_PROJECT_SHOWN}))
def test_hostile_text_is_escaped_on_every_page(hostile_db, page):
    at = _open_hostile(page)

    assert not at.exception
    sources = markdown_sources(at)
    active = [source for source in sources if _ACTIVE_MARKDOWN.search(source)]
    assert not active
    if page not in NO_PROJECT_SHOWN:
        # the text itself is there, as typed, where the page shows the project
        visible = [shown(source) for source in sources] + plain_texts(at)
        assert any(HOSTILE in text for text in visible)


def test_the_project_page_heading_is_the_name_as_typed(hostile_db):
    at = _open_hostile("app_pages/project.py")

    assert at.header[0].value == literal(HOSTILE)
    assert shown(at.header[0].value) == HOSTILE
    assert HOSTILE in [element.value for element in at.text]


def test_the_delete_confirmation_and_the_message_after_it_are_plain(hostile_db):
    engine = make_engine(hostile_db)
    with session_scope(engine) as session:
        project_id = session.exec(select(Project.id).where(Project.key == "aaa-hostile")).one()
    engine.dispose()
    at = open_app("app_pages/data_entry.py")
    at.selectbox(key="delete_projects").set_value(project_id).run()
    at.button(key="delete_projects_ask").click().run()

    (warning,) = at.warning
    assert not _ACTIVE_MARKDOWN.search(warning.value)
    assert HOSTILE in shown(warning.value)

    at.button(key="delete_projects_confirm").click().run()
    assert not at.exception
    (flash,) = at.success
    assert not _ACTIVE_MARKDOWN.search(flash.value)
    assert HOSTILE in shown(flash.value)


def test_a_problem_quoting_the_hostile_text_is_plain(hostile_db):
    at = open_app("app_pages/data_entry.py")
    at.text_input(key="projects_new_key").input("new-one")
    at.text_input(key="projects_new_discount_rate").input(HOSTILE)
    at.button(key="FormSubmitter:projects_new-Add project").click().run()

    assert not at.exception
    (error,) = at.error
    assert not _ACTIVE_MARKDOWN.search(error.value)
    assert "Nothing was saved." in shown(error.value)
    assert HOSTILE in shown(error.value)  # the message quotes the value as typed
