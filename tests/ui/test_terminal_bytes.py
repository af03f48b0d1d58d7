"""What reaches the terminal from a hostile briefing, byte for byte.

The app runs in a real pseudo-terminal, every pane is visited and a search
is made; the bytes the terminal receives must contain none of the file's
control sequences (title change, clipboard write, screen reset, 8-bit CSI,
bidi overrides). Textual's own escape sequences are expected; the payloads
below are not.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

PAYLOADS = {
    "title": "\x1b]0;pwned\x07",
    "clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "reset": "\x1bc",
    "c1": "\x9b31m",
    "bidi": "\u202eevil",
}
TOML_ESCAPED = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" else c
                       for c in "".join(PAYLOADS.values()))


def hostile(folder):
    text = f'''[briefing]
title = "T {TOML_ESCAPED}"
as_of = 2024-01-02
summary = "needle {TOML_ESCAPED}"
[[bluf]]
text = "needle {TOML_ESCAPED}"
sources = ["s"]
[[actors]]
id = "a"
name = "needle {TOML_ESCAPED}"
aliases = ["{TOML_ESCAPED}"]
sources = ["s"]
[[timeline]]
date = 2020-01-01
title = "needle {TOML_ESCAPED}"
detail = "{TOML_ESCAPED}"
actors = ["a"]
places = ["{TOML_ESCAPED}"]
sources = ["s"]
[[sources]]
id = "s"
title = "needle {TOML_ESCAPED}"
url = "https://example.org/{TOML_ESCAPED}"
text = "needle {TOML_ESCAPED}"
'''
    path = folder / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def read_for(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_control_sequence_from_the_file_reaches_the_terminal(tmp_path):
    path = hostile(tmp_path)
    env = dict(os.environ, TERM="xterm-256color", BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("NO_COLOR", None)
    keys = [b"2", b"l", b"j", b"3", b"l", b"4", b"l", b"j", b"/", b"needle", b"\r", b"n", b"n", b"?", b"\x1b"]
    text = run_in_pty([str(path)], env, keys).decode("utf-8", "replace")
    assert "needle" in text, "the app did not draw the briefing"
    assert "\u241b" in text  # ESC from the file is shown as a visible symbol
    for name, payload in PAYLOADS.items():
        assert payload not in text, name
    assert "]0;pwned" not in text.replace("\u241b]0;pwned", "")  # only as visible text
    assert "]52;" not in text.replace("\u241b]52;", "")
    assert "\x9b" not in text and "\u202e" not in text


def run_in_pty(args: list[str], env: dict, keys: list[bytes], size=(24, 80)) -> bytes:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "briefing", *args], stdin=slave, stdout=slave,
                            stderr=slave, env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    output = b""
    try:
        output += read_for(master, 4.0)
        for key in keys:
            os.write(master, key)
            output += read_for(master, 0.4)
        os.write(master, b"q")
        output += read_for(master, 2.0)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)
    return output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_the_diffed_screen_matches_a_full_redraw(tmp_path):
    """The app as users run it: the same keys with only changed cells sent,
    and with every update sent in full (BRIEFING_FULL_REDRAW=1), end on the
    same screen; the diffed run writes far fewer bytes."""
    import pyte

    from tests.conftest import SAMPLE

    keys = [b"?", b"\x1b", b"2", b"j", b"j", b"4", b"\r", b"\x1b[6~", b"1", b"j", b"3", b"j", b"j", b"2", b"k"]
    screens, sizes = [], []
    for full in (False, True):
        env = dict(os.environ, TERM="xterm-256color", BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
        env.pop("NO_COLOR", None)
        env.pop("BRIEFING_FULL_REDRAW", None)
        if full:
            env["BRIEFING_FULL_REDRAW"] = "1"
        output = run_in_pty([str(SAMPLE)], env, keys)
        # The last frame before quitting: cut at the exit from the alternate screen.
        shown = output.decode("utf-8", "replace").split("\x1b[?1049l")[0]
        screen = pyte.Screen(80, 24)
        pyte.Stream(screen).feed(shown)
        screens.append(screen.display)
        sizes.append(len(output))
    assert "Actors" in "".join(screens[1])
    assert screens[0] == screens[1]
    assert sizes[0] < sizes[1] / 2
