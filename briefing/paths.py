"""Where the bundled briefings live, installed or run from a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def content_dir() -> Path:
    """The bundled content folder: inside the package when installed from a
    wheel, beside it in a source checkout or editable install."""
    packaged = _HERE / "content"
    if packaged.is_dir():
        return packaged
    return _HERE.parent / "content"


def default_briefing() -> Path:
    return content_dir() / "minusma.toml"
