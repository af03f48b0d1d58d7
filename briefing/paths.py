"""Where things live: the bundled briefings (installed or run from a
checkout) and the cache folder. Imports nothing heavy, so the shell
commands can ask without loading the cache's decoder."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing)
if TYPE_CHECKING:
    from pathlib import Path

#: The cache's layout version: entries, listings and the search index live
#: under ``<cache folder>/v<CACHE_VERSION>``.
CACHE_VERSION = 3


def cache_enabled() -> bool:
    """False when ``BRIEFING_NO_CACHE`` is set to anything but "" or "0"."""
    return os.environ.get("BRIEFING_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """The user's cache folder (platformdirs); ``BRIEFING_CACHE_DIR`` overrides it."""
    from pathlib import Path

    return Path(cache_folder())


def cache_folder() -> str:
    """:func:`cache_dir` as a string: `briefing search` never imports pathlib
    (~4 ms of its start)."""
    override = os.environ.get("BRIEFING_CACHE_DIR")
    if override:
        return override
    plain = _plain_linux_cache()
    if plain is not None:
        return plain
    import platformdirs

    return platformdirs.user_cache_dir("briefing", appauthor=False)


def _plain_linux_cache() -> str | None:
    """What platformdirs answers on Linux in the plain cases (the XDG base
    directory spec: an absolute ``XDG_CACHE_HOME``, else ``.cache`` in an
    absolute ``HOME``), without importing it: it costs `briefing search` ~8 ms.
    None elsewhere, and platformdirs answers (tests/test_paths.py checks the
    two agree)."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ:
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg.startswith("/"):
        return os.path.join(xdg, "briefing")
    home = os.environ.get("HOME", "")  # (a relative XDG_CACHE_HOME is ignored, as the spec says)
    if home.startswith("/"):
        return os.path.join(home, ".cache", "briefing")
    return None


def content_dir() -> Path:
    """The bundled content folder: inside the package when installed from a
    wheel, beside it in a source checkout or editable install."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    packaged = here / "content"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"


def default_briefing() -> Path:
    return content_dir() / "minusma.toml"


def write_atomic(target: str, data: bytes, suffix: str = ".tmp") -> None:
    """Write ``data`` to ``target`` through a temporary file in its folder,
    renamed into place: a reader (or a second writer) sees the old file or
    the new one, never half of one. Raises OSError."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target) or ".", prefix=".tmp-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
