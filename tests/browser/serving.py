"""`streamlit run` on a free loopback port, and the Chromium that opens it (tests, benchmarks)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "CHROMIUM", "CHROMIUM_ARGS", "PAGE_TIMEOUT_MS", "free_port", "serving", "streamlit_server",
    "wait_for_page",
]  # fmt: skip

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
START_TIMEOUT_SECONDS = 60
PAGE_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not listen on port {port} within {START_TIMEOUT_SECONDS}s")


@contextmanager
def streamlit_server(script: Path, folder: Path, env: dict[str, str], *, log: str = "streamlit.log",
                     static_serving: bool = True) -> Iterator[str]:  # fmt: skip
    """``streamlit run script`` from ``folder`` until the block ends; yields its address."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        # as .streamlit/config.toml (not read from another working directory): the charts'
        # plotly.js bundle is served from static/
        "--server.enableStaticServing", str(static_serving).lower(),
    ]  # fmt: skip
    with serving(command, port, folder, env, log=log) as address:
        yield address


@contextmanager
def serving(command: list[str], port: int, folder: Path, env: dict[str, str], *,
            log: str = "streamlit.log") -> Iterator[str]:  # fmt: skip
    """Run ``command`` (a server listening on ``port``) from ``folder`` until the block ends."""
    output = (folder / log).open("w")
    server = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        output.close()


def wait_for_page(page) -> None:
    """Until the page shows its title and Streamlit has finished running it."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=PAGE_TIMEOUT_MS)
    # the app is done when Streamlit no longer reports it is running
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=PAGE_TIMEOUT_MS
    )
    page.wait_for_timeout(500)
