"""Hostile and broken briefings: clear errors, never a crash, never a control
sequence reaching the terminal."""

from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import ContentError
from briefing.loader import MAX_FILE_BYTES, check, load
from briefing.sanitize import clean
from tests.conftest import MINIMAL

ESC = "\x1b"

# (name, file bytes, a phrase the first error must contain, its line or None)
BAD_FILES = [
    ("empty", b"", "empty", None),
    ("blank", b"  \n\n\t\n", "empty", None),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", None),
    ("invalid utf-8", MINIMAL.encode() + b'summary = "caf\xe9"\n', "line 4, column", None),
    ("latin-1 title", b'[briefing]\ntitle = "Cr\xe8ve"\nas_of = 2023-01-01\n', "line 2", None),
    ("deep nesting", b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "", None),
    ("duplicate key", (MINIMAL + 'as_of = 2023-01-01\n').encode(), "twice", 4),
    ("duplicate table", (MINIMAL + "[briefing]\n").encode(), "", 4),
    ("number for a date", MINIMAL.replace("2023-07-06", "20230706").encode(), "expected a date", 3),
    ("string for a date", MINIMAL.replace("2023-07-06", '"last week"').encode(), "", 3),
    ("impossible date", MINIMAL.replace("2023-07-06", "2023-02-29").encode(), "date", 3),
    ("impossible partial date", (MINIMAL + '[[timeline]]\ndate = "2023-02-30"\ntitle = "x"\n').encode(), "does not exist", 5),
    ("list for a table", b'briefing = ["x"]\n', "expected a table", None),
    ("table for a list", (MINIMAL + "[bluf]\ntext = 'x'\n").encode(), "array of tables", 4),
    ("string list item", ('bluf = ["x"]\n' + MINIMAL).encode(), "expected a table", 1),
    ("section key inside a table", (MINIMAL + 'bluf = ["x"]\n').encode(), "under [[bluf]] headers", 4),
    ("array of arrays", (MINIMAL.replace('title = "T"', 'title = [[1], ["a"]]')).encode(), "expected a string", 2),
    ("control char in key", b'[briefing]\ntitle = "T"\nas_of = 2023-01-01\n"a\\u001b]0;pwned\\u0007" = 1\n', "unknown field", 4),
]


@pytest.mark.parametrize("name,data,phrase,line", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_gets_a_clear_located_error(write, name, data, phrase, line):
    path = write(data)
    b, problems = check(path)
    errors = [p for p in problems if p.severity == "error"]
    assert b is None and errors
    first = errors[0]
    assert first.path == str(path)
    assert phrase in first.format()
    if line is not None:
        assert first.line == line, first.format()
    for p in problems:
        assert ESC not in p.format()
    with pytest.raises(ContentError):
        load(path)


@pytest.mark.parametrize("name,data,phrase,line", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_check_exits_1_without_traceback(capsys, write, name, data, phrase, line):
    assert main(["check", str(write(data))]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out and ESC not in out


def test_bom_and_crlf_are_accepted(write):
    data = "\ufeff" + (MINIMAL + '[[sources]]\nid = "s"\ntitle = "S"\ntext = """\nline one\nline two\n"""\n')
    b = load(write(data.replace("\n", "\r\n").encode("utf-8")))
    assert b.meta.title == "T"
    assert b.sources[0].text == "line one\nline two\n"


def test_oversized_file_is_refused_before_reading(write, tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # 100 MB (sparse)
    started = time.perf_counter()
    b, problems = check(path)
    elapsed = time.perf_counter() - started
    assert b is None and "over the limit" in problems[0].message
    assert str(MAX_FILE_BYTES // (1024 * 1024)) in "16"  # the documented limit
    assert elapsed < 0.5


def test_oversized_text_file_is_refused(write, tmp_path):
    with open(tmp_path / "big.txt", "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    path = write(MINIMAL + '[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "big.txt"\n')
    _b, problems = check(path)
    assert problems[0].field == "text_file" and "over the limit" in problems[0].message and problems[0].line == 7


@pytest.mark.parametrize("target", ["../outside.txt", "/etc/passwd", "sub/../../outside.txt", "", ".", "C:/x.txt"])
def test_text_file_outside_the_folder_is_refused(tmp_path, target):
    inner = tmp_path / "lib"
    inner.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    path = inner / "b.toml"
    path.write_text(MINIMAL + f'[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "{target}"\n')
    b, problems = check(path)
    assert b is None
    assert problems[0].field == "text_file" and "outside the briefing's folder" in problems[0].message


def test_symlink_leading_out_is_refused(tmp_path):
    inner = tmp_path / "lib"
    inner.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    os.symlink(tmp_path / "outside.txt", inner / "link.txt")
    path = inner / "b.toml"
    path.write_text(MINIMAL + '[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "link.txt"\n')
    b, problems = check(path)
    assert b is None and "outside" in problems[0].message


def test_symlink_inside_the_folder_is_fine(tmp_path):
    (tmp_path / "real.txt").write_text("inside")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    path = tmp_path / "b.toml"
    path.write_text(MINIMAL + '[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "link.txt"\n')
    assert load(path).sources[0].text == "inside"


def test_missing_and_bad_text_files(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"ok\n\xff\n")
    path = tmp_path / "b.toml"
    path.write_text(MINIMAL + '[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "nope.txt"\n'
                    + '[[sources]]\nid = "t"\ntitle = "T"\ntext_file = "bad.txt"\n')
    _b, problems = check(path)
    messages = [p.message for p in problems]
    assert any("cannot read" in m for m in messages)
    assert any("line 2, column 1" in m for m in messages)


# -- control characters -------------------------------------------------------
HOSTILE = {
    "esc": "\x1b]0;pwned\x07",  # retitle the terminal
    "osc52": "\x1b]52;c;cm0gLXJmIH4=\x07",  # write the clipboard
    "csi": "\x1b[2J\x1b[H",  # clear the screen
    "c1": "\x9b31m",  # 8-bit CSI
    "nul": "a\x00b",
    "bidi": "abc\u202edcba\u2066x\u2069",
    "del": "a\x7fb",
    "cr": "visible\roverwritten",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_clean_neutralises_controls(name):
    out = clean(HOSTILE[name])
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in out)
    assert not any(0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_clean_keeps_newline_tab_and_shows_escape():
    assert clean("a\tb\nc\r\nd") == "a\tb\nc\nd"
    assert clean("\x1b[31m") == "\u241b[31m"


def hostile_briefing(write):
    payload = "".join(HOSTILE.values())
    # TOML escapes put real control characters into strings.
    esc = json.dumps(payload)  # JSON escapes are valid TOML basic-string escapes here
    esc = esc.replace("\\u007f", "\\u007F")
    text = f"""[briefing]
title = {esc}
as_of = 2023-07-06
summary = "[/nope] [@click=app.quit]x[/] {esc[1:-1]}"

[[bluf]]
text = {esc}
sources = ["s"]

[[actors]]
id = "a"
name = "[b]bold[/b] {esc[1:-1]} needle"
aliases = [{esc}]
sources = ["s"]

[[timeline]]
date = 2023-01-01
title = "needle {esc[1:-1]}"
places = [{esc}]
sources = ["s"]

[[sources]]
id = "s"
title = "needle [link=file:///etc/passwd]x[/link] {esc[1:-1]}"
url = {esc}
text = "needle {esc[1:-1]}"
"""
    return write(text)


def test_loaded_strings_carry_no_controls(write):
    b = load(hostile_briefing(write))
    strings = [b.meta.title, b.meta.summary, b.bluf[0].text, b.actors[0].name, *b.actors[0].aliases,
               b.timeline[0].title, *b.timeline[0].places, b.sources[0].title, b.sources[0].url, b.sources[0].text]
    for s in strings:
        assert s == clean(s)
        assert ESC not in s and "\x9b" not in s and "\x00" not in s
    assert "\u241b]0;pwned" in b.meta.title  # shown, not dropped


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_search_output_has_no_escape_bytes(capsys, write, extra):
    path = hostile_briefing(write)
    assert main(["search", "needle", str(path), *extra]) == 0
    out = capsys.readouterr().out
    assert ESC not in out and "\x9b" not in out and "\x07" not in out
    assert "[b]bold[/b]" in out or extra  # markup shown literally
    if extra:
        hits = json.loads(out)
        assert all(ESC not in h["snippet"] for h in hits)


def test_search_on_a_terminal_styles_only_our_highlight(monkeypatch, capsys, write):
    import re
    import sys

    path = hostile_briefing(write)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["search", "needle", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b[1;7mneedle\x1b[0m" in out  # our highlight is styled
    # Only our own SGR codes; nothing else from the file reaches the terminal.
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert ESC not in stripped and "\x9b" not in stripped
    assert "[b]bold[/b]" in stripped


def test_search_with_no_color_is_plain(monkeypatch, capsys, write):
    import sys

    path = hostile_briefing(write)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["search", "needle", str(path)]) == 0
    assert ESC not in capsys.readouterr().out


def test_printed_briefing_has_no_escape_bytes(capsys, write):
    assert main([str(hostile_briefing(write))]) == 0
    out = capsys.readouterr().out
    assert ESC not in out and "[/nope] [@click=app.quit]x[/]" in out


# -- property-based -----------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048))
def test_random_bytes_load_or_raise_content_error(tmp_path, data):
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    try:
        load(path)
    except ContentError as exc:
        assert exc.problems
        assert ESC not in str(exc)


_TOMLISH = st.lists(
    st.sampled_from([
        "[briefing]\n", 'title = "T"\n', "as_of = 2023-07-06\n", "as_of = 2023-02-30\n", "[[bluf]]\n",
        'text = "x"\n', "[[actors]]\n", 'id = "a"\n', 'name = "N"\n', "[[timeline]]\n", 'date = "2013"\n',
        "date = 2013\n", "[[sources]]\n", 'id = "s"\n', 'sources = ["s"]\n', 'actors = ["a", 1]\n',
        'text_file = "../x"\n', 'text_file = "missing.txt"\n', 'kind = "person"\n', 'confidence = "hi"\n',
        "tags = [1, [2]]\n", 'x = """\n[[actors]]\n"""\n', "= broken\n", '"\\u001b" = 1\n', "[briefing.sub]\n",
        "bluf = []\n", "actors = 3\n", "\ufeff", "\r\n", "é = 1\n",
    ]),
    max_size=25,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_TOMLISH, st.text(max_size=400)))
def test_random_tomlish_text_loads_or_raises_content_error(tmp_path, text):
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass") if False else path.write_bytes(
        text.encode("utf-8", "replace"))
    try:
        b = load(path)
    except ContentError as exc:
        assert exc.problems and all(p.path == str(path) for p in exc.problems)
    else:
        assert b.meta.title
