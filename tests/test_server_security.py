"""The server's own protections: the Host allow-list (DNS rebinding) and the config that sets it."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from roi_tracker.config import LOOPBACK_HOSTS, Settings
from tests.browser.serving import free_port, serving, streamlit_server

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / ".streamlit" / "config.toml"


def _config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_the_streamlit_config_holds_the_protections():
    config = _config()
    assert config["server"]["allowedHosts"] == list(LOOPBACK_HOSTS)
    assert config["server"]["enableCORS"] is True
    assert config["server"]["enableXsrfProtection"] is True
    # the tables' own "Download as CSV" would write unguarded formula cells
    assert config["client"]["disableDataExport"] is True
    assert config["client"]["showErrorDetails"] == "none"
    # the charts' plotly.js bundle is served from static/
    assert config["server"]["enableStaticServing"] is True


def test_public_hosts_are_read_comma_separated_and_added_to_loopback():
    settings = Settings(_env_file=None, public_hosts=" ROI.example.com, ,dash.example.org ")
    assert settings.public_hosts == ("roi.example.com", "dash.example.org")
    assert settings.allowed_hosts == (*LOOPBACK_HOSTS, "roi.example.com", "dash.example.org")
    assert Settings(_env_file=None).allowed_hosts == LOOPBACK_HOSTS


def _handshake_status(port: int, host: str, origin: str) -> int:
    """The HTTP status of a WebSocket upgrade to the app's stream with these headers."""
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Origin: {origin}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request.encode("ascii"))
        status_line = connection.makefile("rb").readline().decode("latin-1")
    return int(status_line.split()[1])


def _environment(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROI_TRACKER_")}
    env["ROI_TRACKER_DATABASE_URL"] = f"sqlite:///{folder / 'roi.db'}"
    return env | extra


@pytest.fixture(scope="module")
def served_by_the_command(tmp_path_factory) -> Iterator[int]:
    """`roi-tracker serve` from a folder without .streamlit/: the command sets the options."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    command = [sys.executable, "-m", "roi_tracker", "serve", "--address", "127.0.0.1"]
    command += ["--port", str(port)]
    env = _environment(folder, ROI_TRACKER_PUBLIC_HOSTS="roi.example.com")
    with serving(command, port, folder, env):
        yield port


@pytest.mark.parametrize(
    ("host", "accepted"),
    [
        ("evil.example", False),
        ("evil.example:{port}", False),
        ("127.0.0.1.evil.example", False),
        ("127.0.0.1:{port}", True),
        ("localhost:{port}", True),
        ("roi.example.com", True),
    ],
)
def test_serve_refuses_a_websocket_whose_host_is_not_loopback_or_public(
    served_by_the_command, host, accepted
):
    port = served_by_the_command
    host = host.format(port=port)
    # a rebinding page's Origin matches the Host it makes the browser send
    status = _handshake_status(port, host, f"http://{host}")
    assert (status == 101) is accepted, status


def test_streamlit_run_with_the_project_config_refuses_a_foreign_host(tmp_path):
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(CONFIG, tmp_path / ".streamlit" / "config.toml")
    with streamlit_server(REPO / "streamlit_app.py", tmp_path, _environment(tmp_path)) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert _handshake_status(port, "evil.example", "http://evil.example") == 403
        assert _handshake_status(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") == 101


def test_serve_hands_out_the_charts_plotly_js_bundle(served_by_the_command):
    address = f"http://127.0.0.1:{served_by_the_command}/app/static/plotly-finance.min.js"
    with urllib.request.urlopen(address, timeout=30) as response:
        assert response.status == 200
        assert "javascript" in response.headers["Content-Type"]
        assert response.read(200).startswith(b"/**\n* plotly.js (finance - minified)")
