"""Writes started from the pages: run a service in one transaction, report the outcome."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from roi_tracker.errors import Conflict, RoiTrackerError, ValidationFailed
from roi_tracker.services import transfer
from roi_tracker.ui.format import literal
from roi_tracker.ui.resources import engine, session

__all__ = [
    "run_import",
    "run_write",
    "saved_uploads",
    "show_conflict",
    "show_flash",
    "show_problems",
]

_FLASH = "_flash_message"


def show_problems(error: RoiTrackerError, *, heading: str = "Nothing was saved.") -> None:
    """Every problem of a failed write, one per line, in an error box."""
    problems = error.problems if isinstance(error, ValidationFailed) else [str(error)]
    lines = "\n".join(f"- {literal(problem)}" for problem in problems)
    st.error(f"**{heading}**\n\n{lines}", icon=":material/error:")


def show_conflict(error: Conflict) -> None:
    """A save refused because the record changed: who and when, then field / yours / stored.

    Plain text only: the values and the user's name are user text, never Markdown.
    """
    st.error("Nothing was saved: the record changed since you opened it.", icon=":material/error:")
    st.text(str(error))
    if error.changes:
        shown = [(str(f), *("(empty)" if v is None else str(v) for v in pair))
                 for f, pair in error.changes.items()]  # fmt: skip
        st.dataframe(
            pd.DataFrame(shown, columns=["field", "your value", "stored value"]),
            hide_index=True,
            key="conflict_changes",
        )


def run_write(
    write: Callable[[Session], Any],
    *,
    success: str,
    on_success: Callable[[], None] | None = None,
) -> bool:
    """Run ``write`` in one transaction; show ``success`` or every problem; True if it saved.

    ``on_success`` runs after the commit, before the page is read again.
    """
    try:
        with session() as active:
            write(active)
    except Conflict as error:
        show_conflict(error)
        return False
    except RoiTrackerError as error:
        show_problems(error)
        return False
    if on_success is not None:
        on_success()
    # rerun so that everything on the page is read again with the new data
    st.session_state[_FLASH] = success
    st.rerun()
    return True


def show_flash() -> None:
    """The success message of the write that caused this rerun, shown once, as plain text."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(literal(message), icon=":material/check_circle:")


@contextmanager
def saved_uploads(files: Sequence) -> Iterator[tuple[Path, list[str]]]:
    """The uploaded files written to a temporary folder under their own (base) names."""
    with tempfile.TemporaryDirectory(prefix="roi-upload-") as folder:
        names = []
        for number, upload in enumerate(files):
            # a base name only, never a path; two uploads of one name stay apart
            name = Path(upload.name).name or f"upload-{number}.csv"
            if name in names:
                name = f"{number}-{name}"
            (Path(folder) / name).write_bytes(upload.getvalue())
            names.append(name)
        yield Path(folder), names


def run_import(folder: Path, names: list[str]) -> None:
    """Import the files with a progress bar; on success clear the uploads and say what changed."""
    bar = st.progress(0.0, text="Importing…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text="Importing…")

    try:
        report = transfer.run_import(engine(), folder, names, progress=progress)
    except RoiTrackerError as error:
        bar.empty()
        show_problems(error, heading="Nothing was imported.")
        return
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.session_state[_FLASH] = "Imported. " + "; ".join(report.lines())
    st.rerun()
