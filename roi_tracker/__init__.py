"""AI ROI Tracker: track whether AI projects pay off, from day one."""

__version__ = "0.1.0"
