"""The command line: exit codes scripts rely on, output shapes, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from briefing import __version__
from briefing.cli import main
from tests.conftest import MINIMAL, SAMPLE


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefing {__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["search", "--help"]])
def test_help_exits_zero(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "usage: briefing" in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["search"])
    assert info.value.code == 2


@pytest.mark.parametrize("argv", [["goita", "--json", "{p}"], ["goita", "{p}", "--json"], ["--json", "goita", "{p}"],
                                  ["goita", "{p}", "--json", "{p}"]])
def test_search_options_may_come_anywhere(capsys, argv):
    argv = [a.format(p=SAMPLE) for a in argv]
    code, out, err = run(capsys, "search", *argv)
    expected = run(capsys, "search", "--json", "goita", *([str(SAMPLE)] * argv.count(str(SAMPLE))))
    assert (code, out, err) == expected and code == 0 and out.startswith("[")


def test_check_clean_file_exits_0(capsys):
    code, out, _ = run(capsys, "check", str(SAMPLE))
    assert code == 0
    assert out.strip().splitlines()[-1] == "checked 1 file: no errors, 0 warning(s)"


def test_check_broken_file_exits_1_with_located_message(capsys, write):
    path = write(MINIMAL + "\n[[actors]]\nid = \"a\"\nnmae = \"x\"\n")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:7: error: actors[0] \"a\": field 'nmae': unknown field" in out
    assert "error(s) in 1 file(s)" in out.splitlines()[-1]


def test_check_warnings_do_not_fail(capsys, write):
    code, out, _ = run(capsys, "check", str(write(MINIMAL + "\n[[bluf]]\ntext = \"x\"\n")))
    assert code == 0 and "warning: bluf[0]" in out


def test_check_folder_checks_every_file(capsys, tmp_path):
    (tmp_path / "a.toml").write_text(MINIMAL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.toml").write_text("not toml at all [")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 1 and "checked 2 files" in out and "b.toml:1" in out


def test_missing_path_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "search", "x", str(tmp_path / "nope.toml"))
    assert code == 2


def test_search_exit_codes_like_grep(capsys):
    assert run(capsys, "search", "goita", str(SAMPLE))[0] == 0
    assert run(capsys, "search", "zzzzqqq", str(SAMPLE))[0] == 1
    assert run(capsys, "search", "  ", str(SAMPLE))[0] == 2


def test_search_plain_output_grouped_by_pane(capsys):
    code, out, _ = run(capsys, "search", "menaka", str(SAMPLE))
    assert code == 0
    assert "\x1b" not in out  # not a terminal: plain
    lines = out.splitlines()
    assert lines[0] == "Bottom line up front (1)"
    assert "Timeline (1)" in lines and "Sources (1)" in lines
    assert "  Jul 2013  Mission deploys" in lines


def test_search_json_shape(capsys):
    code, out, _ = run(capsys, "search", "goita", str(SAMPLE), "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 4
    for h in hits:
        assert {"briefing", "pane", "id", "title", "date", "snippet"} <= set(h)
        assert h["pane"] in ("bluf", "actors", "timeline", "sources")
        assert h["briefing"] == str(SAMPLE)
    by_pane = {h["pane"]: h for h in hits}
    assert by_pane["bluf"]["id"] == 0 and by_pane["bluf"]["date"] is None
    assert by_pane["actors"]["id"] == "goita"
    assert by_pane["timeline"]["date"] == "2023-06-16"
    assert by_pane["sources"]["date"] == "2023-06-21"


def test_search_json_no_hits_is_empty_array(capsys):
    code, out, _ = run(capsys, "search", "zzzzqqq", str(SAMPLE), "--json")
    assert code == 1 and json.loads(out) == []


def test_search_skips_broken_file_and_reports_error(capsys, tmp_path):
    (tmp_path / "good.toml").write_text(MINIMAL + "\n[[bluf]]\ntext = \"needle\"\n")
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe")
    code, out, err = run(capsys, "search", "needle", str(tmp_path))
    assert "needle" in out
    assert "bad.toml" in err and "UTF-8" in err
    assert code == 2  # like grep: an error occurred


def test_open_piped_prints_the_briefing_as_text(capsys):
    code, out, _ = run(capsys, str(SAMPLE))
    assert code == 0
    assert out.startswith("Sample: the Ménaka corridor\n")
    assert "BOTTOM LINE UP FRONT" in out and "Jul 2013  Mission deploys" in out


def test_the_reader_runs_with_a_short_switch_interval(monkeypatch):
    """Textual writes frames from a second thread: the reader lets it run
    within 1 ms of a frame being ready (Python's default is 5 ms)."""
    from briefing.ui.app import BriefingApp

    seen = []
    monkeypatch.setattr(sys, "stdout", type("Tty", (), {"isatty": lambda self: True})())
    monkeypatch.setattr(BriefingApp, "run", lambda self: seen.append(sys.getswitchinterval()) or 0)
    before = sys.getswitchinterval()
    try:
        assert main([str(SAMPLE)]) == 0
    finally:
        sys.setswitchinterval(before)
    assert seen == [pytest.approx(0.001)]


def test_open_broken_file_exits_1_with_errors_on_stderr(capsys, write):
    code, out, err = run(capsys, str(write("[briefing]\n")))
    assert code == 1 and out == ""
    assert "required field is missing" in err and "cannot be opened" in err


def test_module_entry_point_runs_without_traceback(tmp_path):
    bad = tmp_path / "x.toml"
    bad.write_bytes(b"\x00\x01binary")
    proc = subprocess.run([sys.executable, "-m", "briefing", "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "binary" in proc.stdout


@pytest.mark.parametrize(("argv", "code"), [(["goita"], 0), (["goita", "--json"], 0), (["zzzz"], 1),
                                           (["goita", "missing.toml"], 2)])
def test_search_command_leaves_with_its_exit_code_and_all_its_output(capsys, tmp_path, argv, code):
    # The command leaves with os._exit once its output is flushed (see run()).
    argv = ["search", *argv] if "missing.toml" in argv else ["search", *argv, str(SAMPLE)]
    expected = run(capsys, *argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output held until flushed
    proc = subprocess.run([sys.executable, "-m", "briefing", *argv], capture_output=True, text=True, cwd=tmp_path,
                          env=env)
    assert (proc.returncode, proc.stdout, proc.stderr) == expected
    assert expected[0] == code and (expected[1] or code != 0)


def test_search_command_piped_into_a_reader_that_stops_early(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(30):
        (tmp_path / f"b{n:02}.toml").write_text(text, encoding="utf-8")
    shutil.copy(SAMPLE.parent / "beta.txt", tmp_path)
    proc = subprocess.run(f"{sys.executable} -m briefing search mission {tmp_path} | head -n 1", shell=True,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


def test_sgr_styles_only_what_we_name():
    from briefing.render import sgr

    assert sgr("a [b]x[/b] b", spans=[(2, 10)], styled=False) == "a [b]x[/b] b"
    assert sgr("abc", "bold") == "\x1b[1mabc\x1b[0m"
    assert sgr("abcdef", spans=[(1, 3)]) == "a\x1b[1;7mbc\x1b[0mdef"
    assert sgr("abcdef", "dim", spans=[(0, 2), (1, 4)]) == "\x1b[2;1;7mab\x1b[0m\x1b[2mcdef\x1b[0m"


def test_invalid_textual_color_system_is_a_clear_message(capsys, monkeypatch):
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "bogus")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, str(SAMPLE))
    assert code == 2
    assert "TEXTUAL_COLOR_SYSTEM='bogus'" in err and "truecolor" in err
    assert "Traceback" not in err


def quick_agrees_with_argparse(command: str, quick, tokens: list[str], longest: int) -> int:
    """Every argument list of up to ``longest`` of ``tokens``: wherever
    ``quick`` reads it, argparse makes the same of it. How many it read."""
    import itertools

    from briefing.cli import build_parsers

    parser = build_parsers()[command]
    read = 0
    for n in range(0, longest + 1):
        for argv in itertools.product(tokens, repeat=n):
            got = quick(list(argv))
            if got is not None:
                read += 1
                assert vars(parser.parse_args(list(argv))) == vars(got), argv
    return read


def test_quick_search_arguments_are_what_argparse_makes_of_them():
    """`briefing search` reads plain arguments itself (building the parsers
    costs more than a small search); wherever it does, argparse agrees."""
    from briefing.cli import quick_search_args

    tokens = ["goita", "lib", "", "--json", "-", "--", "-x", "--js", "-h", "a b", "--json=1"]
    assert quick_agrees_with_argparse("search", quick_search_args, tokens, 4) > 500
    assert quick_search_args(["goita", "--json", "lib"]) is None  # argparse: unrecognized arguments


def test_plain_open_arguments_skip_argparse_and_agree_with_it():
    """`briefing` and `briefing PATH` are read without argparse (the first
    screen waits for it); wherever that happens, argparse agrees."""
    from briefing.cli import quick_open_args

    tokens = ["lib", "x.toml", "", "-", "--", "-h", "--version", "a b"]
    # Read: nothing, or one of the four plain paths.
    assert quick_agrees_with_argparse("", quick_open_args, tokens, 2) == 5
