"""Writes started from the pages: run a service in one transaction, report the outcome.

An import runs in a thread of its own, kept in the session's state (:class:`ImportJob`):
a click on another page stops the page's script, which would roll back an import run in
it; the thread goes on, and the Import page shows its progress and then its outcome,
whenever the user comes back to it.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roi_tracker.access import Actor
from roi_tracker.errors import Conflict, RoiTrackerError, ValidationFailed
from roi_tracker.importing.loader import ImportReport
from roi_tracker.services import transfer
from roi_tracker.ui.format import literal
from roi_tracker.ui.resources import engine, session

__all__ = [
    "ImportJob",
    "checked_uploads",
    "figures_or_stop",
    "import_job",
    "run_import",
    "run_write",
    "saved_uploads",
    "show_conflict",
    "show_flash",
    "show_import_job",
    "show_problems",
]

logger = logging.getLogger(__name__)

_FLASH = "_flash_message"


def show_problems(error: RoiTrackerError, *, heading: str = "Nothing was saved.") -> None:
    """Every problem of a failed write, one per line, in an error box."""
    problems = error.problems if isinstance(error, ValidationFailed) else [str(error)]
    lines = "\n".join(f"- {literal(problem)}" for problem in problems)
    st.error(f"**{heading}**\n\n{lines}", icon=":material/error:")


Figures = TypeVar("Figures")


def figures_or_stop(compute: Callable[[], Figures]) -> Figures:
    """``compute()``, or its error in one line and the page stops (a missing exchange rate)."""
    try:
        return compute()
    except RoiTrackerError as error:
        show_problems(error, heading="The figures cannot be computed.")
        st.stop()
        raise  # st.stop() raises; this line keeps the type checker informed


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


_IMPORT_JOB = "import_job"
_IMPORT_CHECK = "import_check"


def _save(files: Sequence, folder: Path) -> list[str]:
    """Write the uploads into ``folder`` under their own (base) names; the names."""
    names: list[str] = []
    for number, upload in enumerate(files):
        # a base name only, never a path; two uploads of one name stay apart
        name = Path(upload.name).name or f"upload-{number}.csv"
        if name in names:
            name = f"{number}-{name}"
        (folder / name).write_bytes(upload.getvalue())
        names.append(name)
    return names


@contextmanager
def saved_uploads(files: Sequence) -> Iterator[tuple[Path, list[str]]]:
    """The uploaded files written to a temporary folder under their own (base) names."""
    with tempfile.TemporaryDirectory(prefix="roi-upload-") as folder:
        yield Path(folder), _save(files, Path(folder))


def _fingerprint(files: Sequence) -> tuple[tuple[str, str], ...]:
    """The uploads' names and SHA-256: the same files give the same check."""
    return tuple((f.name, hashlib.sha256(f.getvalue()).hexdigest()) for f in files)


def checked_uploads(files: Sequence, actor: Actor) -> transfer.ImportCheck:
    """The dry run of the uploads, run once per set of files (by SHA-256), not every rerun."""
    fingerprint = _fingerprint(files)
    known = st.session_state.get(_IMPORT_CHECK)
    if known is not None and known[0] == fingerprint:
        return known[1]
    with st.spinner("Checking the files…"), saved_uploads(files) as (folder, names):
        check = transfer.check_import(engine(), folder, names, actor=actor)
    st.session_state[_IMPORT_CHECK] = (fingerprint, check)  # only the latest files' check
    return check


@dataclass
class ImportJob:
    """An import running in its own thread on copies of the uploads, and then its outcome."""

    names: list[str]
    done: int = 0
    total: int = 0
    report: ImportReport | None = None
    error: RoiTrackerError | None = None
    seen: bool = False  # the page has shown the outcome once (and cleared the uploads)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 0.0

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def wait(self, timeout: float) -> bool:
        """True once the import has ended (for tests and the page's last poll)."""
        return self.finished.wait(timeout)

    def run(self, engine: Engine, folder: Path, actor: Actor) -> None:
        try:
            self.report = transfer.run_import(
                engine, folder, self.names, actor=actor, progress=self.progress
            )
        except RoiTrackerError as error:
            self.error = error
        except Exception:  # the thread's last resort: the page must still learn the end
            logger.exception("the import of %s failed", ", ".join(self.names))
            self.error = RoiTrackerError(
                "the import failed; nothing was imported (the details are in the server log)"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self.finished.set()


def import_job() -> ImportJob | None:
    """The session's current or last import, if any."""
    return st.session_state.get(_IMPORT_JOB)


def run_import(files: Sequence, actor: Actor) -> ImportJob:
    """Start importing the uploads in a thread of their own; the page then polls the job."""
    folder = Path(tempfile.mkdtemp(prefix="roi-import-"))
    job = ImportJob(_save(files, folder))
    thread = threading.Thread(
        target=job.run, args=(engine(), folder, actor), name="roi-import", daemon=True
    )
    st.session_state[_IMPORT_JOB] = job
    thread.start()
    return job


def show_import_job(job: ImportJob) -> None:
    """The running import's progress (polled), or its outcome once it has ended."""
    if not job.finished.is_set():
        _poll_import(job)
        return
    if job.report is not None:
        if not job.seen:
            # a new round of the uploader: the imported files are cleared
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.session_state.pop(_IMPORT_CHECK, None)
        # the report names entities and counts only: no user text in this markdown
        st.success("Imported. " + "; ".join(job.report.lines()), icon=":material/check_circle:")
    elif job.error is not None:
        error = job.error
        problems = [*error.problems, str(error)] if isinstance(error, ValidationFailed) else []
        st.error("**Nothing was imported.**", icon=":material/error:")
        # file names and cell values are in the messages: plain text, never markdown or HTML
        st.code("\n".join(problems or [str(error)]), language=None)
    job.seen = True


@st.fragment(run_every=1.0)
def _poll_import(job: ImportJob) -> None:
    if job.finished.is_set():
        st.rerun()  # the whole page: the outcome, the cleared uploader
    st.progress(job.fraction, text=f"Importing {len(job.names)} file(s)…")
    st.caption("The import goes on if you open another page; come back here for its outcome.")
