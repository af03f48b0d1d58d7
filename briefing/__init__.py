"""briefing: read structured briefings in the terminal, offline."""

__version__ = "0.1.0"
