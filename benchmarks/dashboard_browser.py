"""How fast each page of the dashboard is fully rendered in Chromium, against hello-world Streamlit.

Starts five servers with `streamlit run` on free loopback ports: a hello-world Streamlit app
(a title and a line of text, Streamlit's default configuration), the dashboard on the demo
portfolio and the dashboard on a large portfolio (1,000 projects, 20,000 costs, 10,000
benefits, 3 KPIs per project with 12 measurements each and a benchmark, a decision per
project), all in temporary SQLite files; and two reference pages, a title and one
three-point Plotly chart drawn as the pages draw theirs (``roi_tracker.ui.plot``) or by
``st.plotly_chart``: the floor of any page with a chart. Then Chromium
(/usr/bin/chromium, headless) opens each page by its address, in a new browser context each
time (a first visit: empty browser cache, a new Streamlit session), and the runs of every
page alternate with runs of hello-world so that all share the machine's load.

A page is *fully rendered* at the first animation frame where all of these hold:
- the main area's first heading (h1) reads the page's title;
- Streamlit says the script has finished (``data-test-script-state="notRunning"`` on the app);
- no element is still loading (no ``stSkeleton``) or left from an earlier run (``data-stale``);
- every visible Plotly chart has drawn its plot (``.main-svg``) and every visible dataframe
  its grid (``canvas``);
- at least as many elements, charts and dataframes are on the page as on that page once
  settled (counted before the timed runs, after the page stopped changing for a second).

The time is the browser's ``performance.now()`` at that frame: milliseconds since the
navigation started. Each page is opened once before the timed runs (the server's caches are
then warm, as they are for everyone after the first visitor); that first time is printed
too. Also printed: the time to the title, to the end of the script run, and the bytes the
server sent over the websocket.

    .venv/bin/python benchmarks/dashboard_browser.py [--runs 5] [--projects 1000] [--only Portfolio]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.dashboard import build_portfolio  # noqa: E402
from roi_tracker import clock  # noqa: E402
from roi_tracker.access import Actor  # noqa: E402
from roi_tracker.services.demo import load_demo  # noqa: E402
from roi_tracker.store import make_engine, migrate, session_scope  # noqa: E402
from tests.browser.serving import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

VIEWPORT = {"width": 1400, "height": 1000}
GOAL_DEMO = 1.5
GOAL_LARGE = 2.5
TIMEOUT_MS = 180_000
HELLO_TITLE = "Hello, world"
HELLO_APP = f'import streamlit as st\n\nst.title("{HELLO_TITLE}")\nst.write("It works.")\n'
#: reference pages: a title and one three-point Plotly chart, drawn as the pages draw theirs
#: (roi_tracker.ui.plot) and by Streamlit's own element: the least a page with a chart costs
REFERENCES = {
    "One chart": "from roi_tracker.ui import plot\n\nplot.chart(FIGURE, key='c')\n",
    "st.plotly_chart": "st.plotly_chart(FIGURE, key='c')\n",
}
REFERENCE_APP = (
    "import plotly.graph_objects as go\nimport streamlit as st\n\n"
    "FIGURE = go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2]))\nst.title({title!r})\n{chart}"
)

#: page title (its navigation label) -> address path
PAGES = {
    "Portfolio": "",
    "Project": "project",
    "KPIs": "kpis",
    "Budget": "budget",
    "Scenarios": "scenarios",
    "Data": "data_entry",
    "Import / export": "import_export",
    "Email summaries": "email_summaries",
}

#: counts the page in its current state: elements, charts, dataframes; whether all are drawn
_COUNTS = """
const main = document.querySelector('[data-testid="stMain"]');
const visible = (el) => el.checkVisibility();
const live = [...main.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter((el) => el.getAttribute('data-stale') !== 'true');
const charts = [...main.querySelectorAll(
    '[data-testid="stPlotlyChart"], .roi-chart')];
const tables = [...main.querySelectorAll('[data-testid="stDataFrame"]')];
const counts = {
    elements: live.length,
    charts: charts.length,
    tables: tables.length,
    drawn: charts.filter(visible).every((c) => c.querySelector('.main-svg'))
        && tables.filter(visible).every((t) => t.querySelector('canvas')),
    loading: main.querySelector('[data-testid="stSkeleton"]') !== null
        || live.length !== main.querySelectorAll('[data-testid="stElementContainer"]').length,
};
"""

#: installed before the page's own scripts: records when each condition first holds
_WATCHER = """
(() => {
  const expected = %s;
  const marks = (window.__marks = {});
  const mark = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const h1 = main && main.querySelector('h1');
    if (h1 && h1.textContent.trim() === expected.title) {
      mark('title');
      if (app.getAttribute('data-test-script-state') === 'notRunning') {
        mark('script');
        %s
        if (counts.drawn && !counts.loading && counts.elements >= expected.elements
            && counts.charts >= expected.charts && counts.tables >= expected.tables) {
          mark('rendered');
          return;
        }
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""


@dataclass
class Server:
    """One `streamlit run` on a loopback port, and the pages to open there."""

    name: str
    url: str
    pages: dict[str, str]


@contextmanager
def serving(name: str, script: Path, folder: Path, env: dict[str, str]) -> Iterator[Server]:
    """``streamlit run script`` on a free port until the block ends."""
    with streamlit_server(script, folder, env, log=f"{name}.log") as url:
        yield Server(name, url, {})


@dataclass
class Load:
    """One navigation: milliseconds to the title, the script's end, fully rendered; bytes."""

    title: float
    script: float
    rendered: float
    websocket_bytes: int


class Browser:
    """Chromium opening pages in a new context each time (an empty browser cache, as on a
    first visit) or, ``warm``, in one context per app (its code cached, as on a return)."""

    def __init__(self, chromium, *, warm: bool) -> None:
        self.chromium, self.warm = chromium, warm
        self.contexts: dict[str, object] = {}

    def open(self, url: str):
        """A new page (so a new Streamlit session) and what closes it."""
        if not self.warm:
            context = self.chromium.new_context(viewport=VIEWPORT)
            return context.new_page(), context.close
        origin = url.split("/", 3)[2]
        if origin not in self.contexts:
            self.contexts[origin] = self.chromium.new_context(viewport=VIEWPORT)
        page = self.contexts[origin].new_page()
        return page, page.close


def _new_page(browser: Browser, url: str, marks_script: str | None):
    page, close = browser.open(url)
    received = [0]

    def on_websocket(socket_) -> None:
        socket_.on(
            "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))
        )

    page.on("websocket", on_websocket)
    if marks_script is not None:
        page.add_init_script(marks_script)
    return close, page, received


def settle(browser: Browser, url: str, title: str) -> dict:
    """Open ``url`` until it stops changing; its element counts then (the expected ones)."""
    close, page, _ = _new_page(browser, url, None)
    try:
        started = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(
            f"""() => {{
                const app = document.querySelector('[data-testid="stApp"]');
                const h1 = document.querySelector('[data-testid="stMain"] h1');
                return h1 && h1.textContent.trim() === {json.dumps(title)}
                    && app.getAttribute('data-test-script-state') === 'notRunning';
            }}""",
            timeout=TIMEOUT_MS,
        )
        first = time.perf_counter() - started
        # settled: everything drawn, nothing loading, and no change for a second
        previous, quiet_since, deadline = None, time.monotonic(), time.monotonic() + 120
        while time.monotonic() - quiet_since < 1.0 or not previous["drawn"] or previous["loading"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not finish drawing: {previous}")
            counts = page.evaluate(f"() => {{ {_COUNTS} return counts; }}")
            if counts != previous:
                previous, quiet_since = counts, time.monotonic()
            page.wait_for_timeout(100)
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url} shows an exception")
        return {"title": title, "first_seconds": first, **previous}
    finally:
        close()


def load(browser: Browser, url: str, expected: dict) -> Load:
    """One timed navigation to ``url`` (see the module's definition of fully rendered)."""
    marks = _WATCHER % (json.dumps(expected), _COUNTS)
    close, page, received = _new_page(browser, url, marks)
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function("() => 'rendered' in (window.__marks || {})", timeout=TIMEOUT_MS)
        got = page.evaluate("() => window.__marks")
        return Load(got["title"], got["script"], got["rendered"], received[0])
    finally:
        close()


def build_databases(folder: Path, projects: int) -> tuple[str, str]:
    """The demo portfolio and a large one, each in its own SQLite file."""
    demo_url, large_url = f"sqlite:///{folder / 'demo.db'}", f"sqlite:///{folder / 'large.db'}"
    for url in (demo_url, large_url):
        migrate.upgrade(url)
    engine = make_engine(demo_url)
    with session_scope(engine) as session:
        load_demo(session, actor=Actor.command_line(), today=clock.today())
    engine.dispose()
    build_portfolio(
        large_url, projects, 20 * projects, 10 * projects,
        kpis_per_project=3, measurements_per_kpi=12,
    )  # fmt: skip
    return demo_url, large_url


def _median(loads: list[Load], attribute: str) -> float:
    return statistics.median(getattr(one, attribute) for one in loads) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each page")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--only", action="append", help="a page title (repeatable)")
    parser.add_argument(
        "--warm-browser", action="store_true",
        help="keep one browser context per app (its code cached, as for a returning visitor)",
    )  # fmt: skip
    args = parser.parse_args()
    pages = {t: p for t, p in PAGES.items() if not args.only or t in args.only}

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="dashboard-browser-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        started = time.perf_counter()
        demo_url, large_url = build_databases(folder, args.projects)
        print(f"built the demo and {args.projects:,} projects in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        (folder / "hello.py").write_text(HELLO_APP)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
        hello = stack.enter_context(serving("hello", folder / "hello.py", folder, base_env))
        hello.pages = {HELLO_TITLE: ""}
        # Streamlit serves static/ beside the script: the bundle plot.chart loads
        shutil.copytree(REPO / "static", folder / "static")
        references = []
        for number, (title, chart) in enumerate(REFERENCES.items()):
            script = folder / f"reference_{number}.py"
            script.write_text(REFERENCE_APP.format(title=title, chart=chart))
            reference = stack.enter_context(serving("reference", script, folder, base_env))
            reference.pages = {title: ""}
            references.append(reference)
        apps = []
        for name, url in (("demo", demo_url), (f"{args.projects:,} projects", large_url)):
            env = {**base_env, "ROI_TRACKER_DATABASE_URL": url}
            server = stack.enter_context(
                serving(name.split()[0], REPO / "streamlit_app.py", folder, env)
            )
            server.name, server.pages = name, pages
            apps.append(server)

        playwright = stack.enter_context(sync_playwright())
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(chromium.close)
        browser = Browser(chromium, warm=args.warm_browser)

        # each page opened once and left to settle: warm server caches, expected counts
        targets = []
        for server in [hello, *references, *apps]:
            for title, path in server.pages.items():
                expected = settle(browser, server.url + path, title)
                targets.append((server, title, path, expected))
                print(f"settled {server.name} {title} in {expected['first_seconds']:.2f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
        # (hello-world run, page run) pairs: hello-world just before every page run, so that
        # both see the same load of the machine; a page's ratio is the median of its pairs'
        pairs: dict[tuple[str, str], list[tuple[Load, Load]]] = {
            (s.name, t): [] for s, t, _, _ in targets[1:]
        }
        for run in range(args.runs):
            print(f"run {run + 1} of {args.runs}", file=sys.stderr, flush=True)
            for server, title, path, expected in targets[1:]:
                before = load(browser, hello.url, targets[0][3])
                pairs[(server.name, title)].append(
                    (before, load(browser, server.url + path, expected))
                )
        if browser.warm:
            for context in browser.contexts.values():
                context.close()

    hello_loads = [before for runs in pairs.values() for before, _ in runs]
    cache = "warm (one context per app)" if args.warm_browser else "empty (a new context each time)"
    print(
        f"\nfully rendered after navigation, browser cache {cache}; median of {args.runs} runs "
        f"of each page, each right after a run of hello-world ({len(hello_loads)} runs); ratio: "
        "median of (page / the hello-world run before it)"
    )
    header = (f"{'app':16} {'page':16} {'rendered':>9} {'ratio':>6} {'goal':>5} {'':6} "
              f"{'title':>6} {'script':>6} {'first':>6} {'ws kB':>7} {'elements':>8} "
              f"{'charts':>6} {'tables':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    hello_expected = targets[0][3]
    print(
        f"{hello.name:16} {HELLO_TITLE:16} {_median(hello_loads, 'rendered'):8.2f}s "
        f"{1:5.2f}x {'':>5} {'':6} {_median(hello_loads, 'title'):5.2f}s "
        f"{_median(hello_loads, 'script'):5.2f}s {hello_expected['first_seconds']:5.2f}s "
        f"{statistics.median(one.websocket_bytes for one in hello_loads) / 1024:7.0f} "
        f"{hello_expected['elements']:8} {0:6} {0:6}"
    )
    missed = 0
    for server, title, _, expected in targets[1:]:
        runs = pairs[(server.name, title)]
        loads = [page for _, page in runs]
        ratio = statistics.median(page.rendered / before.rendered for before, page in runs)
        if server in references:
            goal, verdict = GOAL_DEMO, "floor"
        else:
            goal = GOAL_DEMO if server is apps[0] else GOAL_LARGE
            verdict = "met" if ratio <= goal else "MISSED"
            missed += verdict == "MISSED"
        kilobytes = statistics.median(one.websocket_bytes for one in loads) / 1024
        print(
            f"{server.name:16} {title:16} {_median(loads, 'rendered'):8.2f}s {ratio:5.2f}x "
            f"{goal:4g}x {verdict:6} {_median(loads, 'title'):5.2f}s "
            f"{_median(loads, 'script'):5.2f}s {expected['first_seconds']:5.2f}s "
            f"{kilobytes:7.0f} {expected['elements']:8} {expected['charts']:6} "
            f"{expected['tables']:6}"
        )
    print(
        f"\ngoals (demo <= {GOAL_DEMO:g}x, {args.projects:,} projects <= {GOAL_LARGE:g}x "
        f"hello-world): {len(pairs) - len(references) - missed} of "
        f"{len(pairs) - len(references)} met; a page with a title and one chart is the floor of "
        "every page with a chart"
    )


if __name__ == "__main__":
    main()
