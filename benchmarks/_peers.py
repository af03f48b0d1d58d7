"""Peer programs for the terminal benchmarks: frogmouth and toolong, each in
its own venv under /tmp (never in the project's .venv), created on first use
with pip. Either can be missing (no network, no wheel): callers skip it.

* toolong 1.5.0 pins textual 0.58.x;
* frogmouth 0.9.0 needs textual < 0.38: from 0.38 on ``Markdown.load``
  returns None and frogmouth reports "Error loading local document" for
  every file; markdown-it-py 3+ does not work with that textual.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PEERS = {
    "toolong": (Path("/tmp/bench-peer-toolong"), ["toolong"], "tl"),
    "frogmouth": (Path("/tmp/bench-peer-frogmouth"),
                  ["frogmouth", "textual>=0.30,<0.38", "markdown-it-py<3", "mdit-py-plugins<0.4"], "frogmouth"),
}


def peer(name: str, install: bool = True) -> Path | None:
    """The executable of a peer, installing it on first use; None if that fails."""
    venv, reqs, exe = PEERS[name]
    path = venv / "bin" / exe
    if path.exists():
        return path
    if not install:
        return None
    print(f"installing {name} into {venv} ...", file=sys.stderr, flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *reqs], check=True, capture_output=True,
                       timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  {name} not installable ({type(exc).__name__}); skipped", file=sys.stderr)
        return None
    return path if path.exists() else None


def version(name: str) -> str:
    venv = PEERS[name][0]
    try:
        out = subprocess.run([str(venv / "bin" / "pip"), "list", "--format=freeze"], capture_output=True,
                             text=True, timeout=60).stdout
    except (subprocess.SubprocessError, OSError):
        return "?"
    pins = dict(line.split("==", 1) for line in out.splitlines() if "==" in line)
    return f"{name} {pins.get(name, '?')} (textual {pins.get('textual', '?')})"
