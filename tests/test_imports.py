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
