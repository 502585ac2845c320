"""Recalculate a workbook with LibreOffice Calc (headless) and read back the values."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

# Calc keeps the cached results of an .xlsx by default ("never recalculate"): a profile of our
# own tells it to recalculate every formula on load, whatever wrote the file
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        # like the browser tests without Chromium: skipped on a developer's machine with the
        # reason, never in CI, where .ci/run installs it
        missing = "LibreOffice Calc is missing: apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    return found


def recalculated(path: Path, workdir: Path) -> Path:
    """``path`` opened, recalculated and saved again as .xlsx by LibreOffice Calc."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    out = workdir / "recalculated"
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
            str(path),
        ],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    result = out / path.name
    assert done.returncode == 0 and result.exists(), done.stderr or done.stdout
    return result


class Values:
    """The cached values of a workbook, addressed as ``'Sheet'!$B$3``."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        with warnings.catch_warnings():
            # openpyxl cannot read back every chart LibreOffice writes; the values are all we read
            warnings.filterwarnings("ignore", "Unable to read chart", UserWarning)
            self.book = openpyxl.load_workbook(path, data_only=True)

    def __getitem__(self, reference: str) -> Any:
        sheet, cell = reference.rsplit("!", 1)
        name = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        return self.book[name][cell.replace("$", "")].value
