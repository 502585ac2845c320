"""One palette: the pages and the email summaries take status and verdict colours from it."""

from __future__ import annotations

import re

from roi_tracker import palette
from roi_tracker.domain.kpis import KpiStatus
from roi_tracker.reporting import render
from roi_tracker.services.views import KPI_SEVERITY
from roi_tracker.ui import theme

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def test_every_status_has_a_label_a_colour_and_a_shade_for_white_text():
    assert set(palette.STATUSES) == set(KPI_SEVERITY) == {status.value for status in KpiStatus}
    for shade in [*palette.STATUSES.values(), *palette.VERDICTS.values(), palette.NO_KPIS]:
        assert shade.label and HEX.match(shade.colour) and HEX.match(shade.dark)
    assert palette.STATUS_LABELS["on_track"] == "on track"


def test_verdicts_wear_the_colours_of_a_status():
    pays, before_risk, loses = (
        palette.VERDICTS[v] for v in ("pays_off", "pays_off_before_risk", "loses")
    )
    assert pays.colour == palette.STATUS_COLOURS["achieved"]
    assert before_risk.colour == palette.STATUS_COLOURS["at_risk"]
    assert loses.colour == palette.STATUS_COLOURS["missed"]
    assert palette.VERDICT_LABELS == {
        "pays_off": "pays off",
        "pays_off_before_risk": "pays off before risk only",
        "loses": "loses money",
    }


def test_the_pages_and_the_emails_share_the_one_palette():
    assert theme.STATUS_COLOURS is palette.STATUS_COLOURS
    assert theme.STATUS_LABELS is palette.STATUS_LABELS
    environment = render._ENVIRONMENT
    assert environment.globals["status_colours"] is palette.STATUS_DARK_COLOURS
    assert environment.filters["status_label"]("off_track") == "off track"
