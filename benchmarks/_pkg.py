"""Which state of the package a benchmark runs.

Other people edit the working tree while benchmarks run (a half-saved file
once made every launch fail with a SyntaxError), so by default the terminal
benchmarks run a snapshot of a commit: ``git archive REV briefing content``
unpacked to ``/tmp/bench-pkg-<sha>/`` and put first on ``PYTHONPATH``, which
takes precedence over the editable install in ``.venv`` (the ``briefing``
console script then imports the snapshot). ``--rev working`` runs the working
tree as it is.

Only read-only git commands are used (rev-parse, archive, status).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def resolve(rev: str) -> tuple[str, Path | None]:
    """(description, snapshot folder or None for the working tree)."""
    if rev == "working":
        dirty = subprocess.run(["git", "status", "--short", "--", "briefing", "content"], cwd=ROOT,
                               capture_output=True, text=True).stdout.split("\n")
        dirty = [d.strip() for d in dirty if d.strip()]
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
        return f"working tree (HEAD {head}{', modified: ' + ' '.join(dirty) if dirty else ', clean'})", None
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    subject = subprocess.run(["git", "log", "-1", "--format=%s", sha], cwd=ROOT, capture_output=True,
                             text=True).stdout.strip()
    dest = Path(f"/tmp/bench-pkg-{sha[:12]}")
    if not (dest / "briefing" / "__init__.py").exists():
        data = subprocess.run(["git", "archive", "--format=tar", sha, "briefing", "content"], cwd=ROOT,
                              capture_output=True, check=True).stdout
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest)
    return f"commit {sha[:7]} ({subject[:70]})", dest


def env_for(snapshot: Path | None) -> dict[str, str]:
    """Environment entries that make a launched ``briefing`` use the snapshot."""
    return {"PYTHONPATH": str(snapshot)} if snapshot else {}
