"""Where things live: the bundled briefings (installed or run from a
checkout) and the cache folder. Imports nothing heavy, so the shell
commands can ask without loading the cache's decoder."""

from __future__ import annotations

import os
from pathlib import Path

#: The cache's layout version: entries, listings and the search index live
#: under ``<cache folder>/v<CACHE_VERSION>``.
CACHE_VERSION = 3


def cache_enabled() -> bool:
    """False when ``BRIEFING_NO_CACHE`` is set to anything but "" or "0"."""
    return os.environ.get("BRIEFING_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """The user's cache folder (platformdirs); ``BRIEFING_CACHE_DIR`` overrides it."""
    override = os.environ.get("BRIEFING_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefing", appauthor=False))

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
