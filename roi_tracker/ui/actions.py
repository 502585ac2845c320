"""Writes started from the pages: run a service in one transaction, report the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlmodel import Session

from roi_tracker.errors import RoiTrackerError, ValidationFailed
from roi_tracker.ui.resources import session

__all__ = ["run_write", "show_flash", "show_problems"]

_FLASH = "_flash_message"


def show_problems(error: RoiTrackerError, *, heading: str = "Nothing was saved.") -> None:
    """Every problem of a failed write, one per line, in an error box."""
    problems = error.problems if isinstance(error, ValidationFailed) else [str(error)]
    lines = "\n".join(f"- {problem}" for problem in problems)
    st.error(f"**{heading}**\n\n{lines}", icon=":material/error:")


def run_write(write: Callable[[Session], Any], *, success: str) -> bool:
    """Run ``write`` in one transaction; show ``success`` or every problem; True if it saved."""
    try:
        with session() as active:
            write(active)
    except RoiTrackerError as error:
        show_problems(error)
        return False
    # rerun so that everything on the page is read again with the new data
    st.session_state[_FLASH] = success
    st.rerun()
    return True


def show_flash() -> None:
    """The success message of the write that caused this rerun, shown once."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")
