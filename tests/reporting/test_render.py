"""Building a summary from a portfolio state, and rendering it to text and safe HTML."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from roi_tracker.reporting.render import render_summary
from roi_tracker.reporting.summary import (
    Figures,
    KpiState,
    Overrun,
    PortfolioState,
    Previous,
    ThresholdCrossing,
    build_summary,
)

HOSTILE = '<script>alert("x")</script> & <b onmouseover=1>Bots</b>'
AS_OF = date(2026, 11, 26)


def _kpi(project: str, key: str, status: str, **extra) -> KpiState:
    values = dict(
        project_key=project,
        project_name={"bot": HOSTILE, "ocr": "Invoice OCR"}[project],
        key=key,
        name=f"{key} rate",
        unit="%",
        baseline=10.0,
        target=50.0,
        target_date=date(2027, 6, 30),
        status=status,
        latest=20.0,
        progress=0.25,
        last_measured=date(2026, 11, 1),
    )
    values.update(extra)
    return KpiState(**values)


def _state() -> PortfolioState:
    return PortfolioState(
        as_of=AS_OF,
        currency="EUR",
        project_names={"bot": HOSTILE, "ocr": "Invoice OCR"},
        portfolio=Figures(1_500_000, 900_000, 0.42, 800_000, 300_000),
        projects={
            "bot": Figures(-50_000, -80_000, -0.1, 500_000, 20_000),
            "ocr": Figures(1_550_000, 980_000, 0.9, 300_000, 280_000),
        },
        kpis=[
            _kpi("bot", "deflection", "off_track", name=f"{HOSTILE} deflection"),
            _kpi("bot", "csat", "at_risk", target_date=date(2026, 12, 10)),
            _kpi("ocr", "accuracy", "on_track", stale=True, last_measured=date(2026, 8, 1)),
            _kpi("ocr", "cycle", "missed", target_date=date(2026, 10, 1), progress=0.6),
        ],
        crossings=[
            ThresholdCrossing("bot", HOSTILE, "all", 90, date(2026, 11, 20)),
            ThresholdCrossing("ocr", "Invoice OCR", "licensing", 50, date(2026, 9, 1)),
        ],
        overruns=[Overrun("bot", HOSTILE, 400_000, 520_000)],
    )


def test_portfolio_summary_names_what_needs_attention_in_both_parts():
    summary = build_summary(
        _state(), project_key=None, previous=None, base_url="https://roi.example.com"
    )
    email = render_summary(summary)
    assert [k.key for k in summary.attention] == ["cycle", "deflection", "csat"]  # worst first
    assert "3 items need attention" not in email.subject  # 3 KPIs + 1 crossing + 1 overrun
    assert "5 items need attention" in email.subject
    for part in (email.text, email.html):
        assert "EUR 1,500,000" in part and "42.0 %" in part
        assert "Invoice OCR" in part and "cycle rate" in part and "2026-10-01" in part
        assert "first summary" in part
        assert "EUR 120,000" in part  # the projected overrun
        assert "https://roi.example.com/" in part
    # the September crossing is older than a first summary looks back; the stale KPI is listed
    assert "licensing" not in email.text and "2026-08-01" in email.text
    # upcoming: only the target date within 30 days
    upcoming = email.text.split("TARGET DATES IN THE NEXT 30 DAYS", 1)[1]
    assert "2026-12-10" in upcoming and "2027-06-30" not in upcoming


def test_hostile_names_are_escaped_in_html_and_kept_verbatim_in_text():
    email = render_summary(build_summary(_state(), project_key="bot", previous=None))
    assert "<script" not in email.html and "onmouseover=1>" not in email.html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b onmouseover=1&gt;"
        in email.html
    )
    assert HOSTILE in email.text
    assert HOSTILE in email.subject
    # the only tags are the template's own
    tags = set(re.findall(r"<([a-zA-Z0-9]+)", email.html))
    assert tags <= {"html", "head", "meta", "title", "body", "table", "tr", "td", "th", "div",
                    "span", "h2", "p", "strong", "a"}  # fmt: skip


def test_project_scope_shows_its_own_figures_and_kpis_only():
    summary = build_summary(_state(), project_key="ocr", previous=None)
    email = render_summary(summary)
    assert summary.title == "Invoice OCR"
    assert "EUR 1,550,000" in email.text and "EUR 1,500,000" not in email.text
    assert "deflection" not in email.text and "cycle rate" in email.text
    assert summary.overruns == []


def test_changes_since_the_previous_delivery_come_from_its_snapshot():
    week_before = PortfolioState(**{**_state().__dict__, "as_of": date(2026, 11, 19)})
    first = build_summary(week_before, project_key=None, previous=None)
    previous = Previous.from_snapshot(datetime(2026, 11, 19, 8, tzinfo=UTC), first.snapshot())
    # one week later: NPV up, the deflection KPI recovered
    later = _state()
    later = PortfolioState(
        **{**later.__dict__, "portfolio": Figures(1_600_000, 900_000, 0.40, 850_000, 300_000)}
    )
    later.kpis[0] = _kpi("bot", "deflection", "on_track", name="deflection rate")
    summary = build_summary(later, project_key=None, previous=previous)
    changes = {line.label: line.change for line in summary.headline}
    assert changes["NPV"] == 100_000 and changes["Risk-adjusted NPV"] == 0
    assert round(changes["ROI"], 6) == -0.02
    assert [(c.kpi.key, c.previous_status, c.kpi.status) for c in summary.status_changes] == [
        ("deflection", "off_track", "on_track")
    ]
    # only the crossing dated after the previous delivery
    assert [c.threshold_percent for c in summary.crossings] == [90]
    text = render_summary(summary).text
    assert "+EUR 100,000" in text and "-2.0 pp" in text and "off track -> on track" in text
    assert "previous summary of 2026-11-19" in text
