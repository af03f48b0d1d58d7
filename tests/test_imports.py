"""The data layer and the shell commands never import Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import SAMPLE

PROBE = """
import sys
sys.argv = ["briefing", *{argv!r}]
from briefing.cli import main
try:
    main()
except SystemExit:
    pass
print("TEXTUAL" if "textual" in sys.modules else "RICH" if "rich" in sys.modules else "CLEAN", file=sys.stderr)
"""


def test_data_layer_does_not_import_textual():
    code = (
        "import sys, briefing.loader, briefing.search, briefing.render, briefing.library, briefing.schema;"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["check", str(SAMPLE)], ["search", "goita", str(SAMPLE)],
     ["search", "goita", "--json", str(SAMPLE)], [str(SAMPLE)]],
)
def test_shell_commands_do_not_import_textual_or_rich(argv):
    # stdout is a pipe here, so even plain `briefing FILE` prints text and must stay light.
    # (Rich is not needed either: output is plain or carries our own SGR codes.)
    proc = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == "CLEAN", proc.stderr


def test_searching_a_library_loads_only_what_it_needs(tmp_path):
    """`briefing search` of a library whose index is current reads the index
    and nothing else: no model (msgspec), no pathlib, typing or platformdirs
    (together some 15 ms of a search that takes ~160)."""
    import os
    import shutil

    library = tmp_path / "library"
    library.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(25):
        (library / f"b{n:02}.toml").write_text(text, encoding="utf-8")
    shutil.copy(SAMPLE.parent / "beta.txt", library)
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # the user's cache folder, as platformdirs finds it
    probe = PROBE.format(argv=["search", "goita", str(library)]).replace(
        'print("TEXTUAL"', 'print(sorted(m for m in ("msgspec", "pathlib", "typing", "platformdirs", "briefing.model") '
        'if m in sys.modules), file=sys.stderr)\nprint("TEXTUAL"')
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert "indexing" not in first.stdout and (tmp_path / "cache" / "briefing").is_dir(), first.stderr
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert again.stderr.strip().splitlines()[-2:] == ["[]", "CLEAN"], again.stderr
    assert again.stdout.startswith("Bottom line up front (")


def test_first_screen_leaves_search_pickers_and_palette_for_later():
    """What the first screen of a briefing does not need is imported when
    first used: the search, the pickers, the palette's jump commands and
    the source text view (whose pane is built after the first frame)."""
    code = f"""
import sys
from briefing.cache import load
from briefing.ui.app import BriefingApp
from briefing.ui.screens.briefing import BriefingScreen
BriefingScreen(load({str(SAMPLE)!r})[0])
later = ["briefing.search", "briefing.ui.screens.picker", "briefing.ui.commands",
         "briefing.ui.widgets.source_text", "briefing.ui.screens.search"]
print([m for m in later if m in sys.modules])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
