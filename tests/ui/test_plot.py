"""The plotly.js bundle the charts are drawn with: present, the version plotly.py writes for."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from roi_tracker.ui import plot

#: the version of static/plotly-finance.min.js (npm: plotly.js-finance-dist-min)
PLOTLY_JS_VERSION = "4.1.0"
#: the trace types that bundle holds (its README)
FINANCE_TRACES = {
    "bar", "candlestick", "funnel", "funnelarea", "histogram", "indicator", "ohlc", "pie",
    "scatter", "waterfall",
}  # fmt: skip


def test_the_bundle_is_the_finance_build_of_the_plotly_js_that_plotly_py_writes_for():
    header = plot.BUNDLE.read_text(encoding="utf-8")[:300]
    assert re.search(r"plotly\.js \(finance - minified\) v(\S+)", header).group(1) == (
        PLOTLY_JS_VERSION
    )
    assert "Licensed under the MIT license" in header
    # figures from plotly.py are read by the same major and minor version of plotly.js
    assert PLOTLY_JS_VERSION.split(".")[:2] == get_plotlyjs_version().split(".")[:2]
