"""A real terminal for the benchmarks: a private tmux server, driven through
one control-mode client (``tmux -C``), so that polling the screen every few
milliseconds costs the server microseconds instead of a new ``tmux`` process
(about 3.5 ms of CPU each on this machine) that would compete with the app
being timed for the two cores.

    with Tmux() as t:
        t0 = t.launch("a", ["less", "/tmp/x.txt"])
        seen = t.wait_for("a", ["MINUSMA"], t0)   # {"MINUSMA": seconds}
        t.kill("a")

Every pane is 80x24 (``status off``), ``TERM=tmux-256color``, and the server
is started without ``PYTHONDONTWRITEBYTECODE`` and ``COLORTERM``, so Textual
apps use 256 colours and write .pyc files (pass ``env={"COLORTERM":
"truecolor"}`` to ``launch`` for 24-bit colour). Commands are run directly
(argv form of ``new-session``), not through a shell, so a pane's pid is the
program's own pid.

Also here: ``wire_stats()``, which splits a byte stream written to a terminal
into text and the kinds of escape sequences.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

WIDTH, HEIGHT = 80, 24
TERM = "tmux-256color"


class Tmux:
    def __init__(self, width: int = WIDTH, height: int = HEIGHT, term: str = TERM) -> None:
        self.socket = f"bench-{os.getpid()}"
        self.width, self.height, self.term = width, height, term
        self._proc: subprocess.Popen | None = None
        self._blocks: queue.Queue[tuple[bool, list[str]]] = queue.Queue()
        self._lock = threading.Lock()

    # -- server and control client -------------------------------------------------
    def base(self) -> list[str]:
        return ["tmux", "-L", self.socket, "-f", "/dev/null"]

    def __enter__(self) -> "Tmux":
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> "Tmux":
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "COLORTERM", "TMUX")}
        subprocess.run(
            self.base() + ["new-session", "-d", "-s", "keep", "-x", str(self.width), "-y", str(self.height),
                           "sleep", "1000000"],
            check=True, env=env,
        )
        for opt in (["status", "off"], ["default-terminal", self.term], ["remain-on-exit", "off"],
                    ["default-size", f"{self.width}x{self.height}"]):
            subprocess.run(self.base() + ["set-option", "-g", *opt], check=True)
        subprocess.run(self.base() + ["set-option", "-sg", "escape-time", "0"], check=True)
        self._proc = subprocess.Popen(
            self.base() + ["-C", "attach-session", "-t", "keep"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        threading.Thread(target=self._reader, daemon=True).start()
        # The attach itself answers with a block: skip blocks until our token.
        self._proc.stdin.write(b"display-message -p bench-sync-token\n")
        self._proc.stdin.flush()
        while "bench-sync-token" not in self._blocks.get(timeout=10)[1]:
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(self.base() + ["kill-server"], capture_output=True)
        if self._proc:
            self._proc.kill()
            self._proc.wait()
        sock = Path(f"/tmp/tmux-{os.getuid()}") / self.socket
        sock.unlink(missing_ok=True)

    def _reader(self) -> None:
        assert self._proc and self._proc.stdout
        current: list[str] | None = None
        tag = ""
        for raw in self._proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if current is None:
                if line.startswith("%begin "):
                    current, tag = [], line.split(" ", 1)[1]
                continue  # notifications (%output, %session-changed, ...) are ignored
            if line.startswith(("%end ", "%error ")) and line.split(" ", 1)[1] == tag:
                if tag.endswith(" 1"):  # flags 1: an answer to a command we sent
                    self._blocks.put((line.startswith("%end"), current))
                current = None
            else:
                current.append(line)

    def cmd(self, command: str) -> list[str]:
        """Run one tmux command line through the control client; its output lines."""
        assert self._proc and self._proc.stdin
        with self._lock:
            self._proc.stdin.write(command.encode() + b"\n")
            self._proc.stdin.flush()
            ok, lines = self._blocks.get(timeout=10)
        if not ok:
            raise RuntimeError(f"tmux: {command}: {' '.join(lines)}")
        return lines

    # -- panes ---------------------------------------------------------------------------
    def launch(self, name: str, argv: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> float:
        """Start ``argv`` in a new 80x24 session; returns the perf_counter()
        taken just before the command was sent."""
        parts = ["new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height)]
        if cwd:
            parts += ["-c", cwd]
        for k, v in (env or {}).items():
            parts += ["-e", f"{k}={v}"]
        line = " ".join(shlex.quote(p) for p in parts + argv)
        t0 = time.perf_counter()
        self.cmd(line)
        return t0

    def capture(self, name: str) -> str:
        return "\n".join(self.cmd(f"capture-pane -p -t {name}"))

    def wait_for(self, name: str, markers: list[str | re.Pattern], t0: float, timeout: float = 60.0,
                 interval: float = 0.005, every: "callable | None" = None) -> dict[str, float]:
        """Poll the screen until every marker (text or regex) has appeared;
        seconds since ``t0`` when each was first seen. Raises TimeoutError
        with the last screen if not all appear."""
        seen: dict[str, float] = {}
        screen = ""
        while True:
            screen = self.capture(name)
            now = time.perf_counter()
            for m in markers:
                key = m.pattern if isinstance(m, re.Pattern) else m
                if key not in seen and (m.search(screen) if isinstance(m, re.Pattern) else m in screen):
                    seen[key] = now - t0
            if len(seen) == len(markers):
                return seen
            if every:
                every()
            if now - t0 > timeout:
                raise TimeoutError(f"{name}: markers {[k for k in markers if k not in seen]} not seen "
                                   f"in {timeout} s; screen:\n{screen}")
            time.sleep(interval)

    def pid(self, name: str) -> int:
        return int(self.cmd(f"display-message -p -t {name} '#{{pane_pid}}'")[0])

    def send(self, name: str, *keys: str) -> None:
        self.cmd(" ".join(["send-keys", "-t", name, *(shlex.quote(k) for k in keys)]))

    def pipe(self, name: str, path: Path | None) -> None:
        """Send everything the pane's program writes from now on to ``path``
        (None: stop piping)."""
        if path is None:
            self.cmd(f"pipe-pane -t {name}")
        else:
            self.cmd(f"pipe-pane -t {name} {shlex.quote('cat >> ' + shlex.quote(str(path)))}")

    def kill(self, name: str, timeout: float = 3.0) -> None:
        """Close the session and wait until its program has exited."""
        try:
            pid = self.pid(name)
        except Exception:
            pid = None
        try:
            self.cmd(f"kill-session -t {name}")
        except RuntimeError:
            pass
        if pid:
            end = time.perf_counter() + timeout
            while Path(f"/proc/{pid}").exists() and time.perf_counter() < end:
                time.sleep(0.01)
            if Path(f"/proc/{pid}").exists():
                try:
                    os.kill(pid, signal.SIGKILL)  # only the process this session started
                except ProcessLookupError:
                    pass


# -- helpers ---------------------------------------------------------------------------
def proc_status(pid: int, field: str) -> int | None:
    """A ``kB`` field of /proc/PID/status (VmHWM, VmRSS), in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p90(xs: list[float]) -> float:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    # nearest-rank
    k = max(0, min(len(xs) - 1, int(round(0.9 * len(xs) + 0.5)) - 1))
    return xs[k]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


CSI = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])")
OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
OTHER_ESC = re.compile(rb"\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOZc]")


def wire_stats(data: bytes) -> dict[str, int]:
    """Split terminal output into bytes of: printable text (``text``, of which
    ``spaces``), SGR colour/style sequences (``sgr``, with their count
    ``sgr_n``), cursor positioning (``cup``, count ``cup_n``), DEC private
    modes such as synchronized output (``mode``), other CSI, OSC and other
    escapes. Also the number of distinct rows drawn to (``rows``)."""
    out = dict(total=len(data), text=0, spaces=0, sgr=0, sgr_n=0, cup=0, cup_n=0, mode=0, csi_other=0,
               osc=0, esc_other=0, rows=0)
    rows: set[int] = set()
    i = 0
    n = len(data)
    while i < n:
        if data[i] == 0x1B:
            m = CSI.match(data, i)
            if m:
                params, final = m.group(1), m.group(3)
                size = m.end() - i
                if final == b"m":
                    out["sgr"] += size
                    out["sgr_n"] += 1
                elif final in (b"H", b"f"):
                    out["cup"] += size
                    out["cup_n"] += 1
                    try:
                        rows.add(int(params.split(b";")[0] or b"1"))
                    except ValueError:
                        pass
                elif params.startswith(b"?") and final in (b"h", b"l"):
                    out["mode"] += size
                else:
                    out["csi_other"] += size
                i = m.end()
                continue
            m = OSC.match(data, i) or OTHER_ESC.match(data, i)
            if m:
                out["osc" if data[i + 1:i + 2] == b"]" else "esc_other"] += m.end() - i
                i = m.end()
                continue
            out["esc_other"] += 1
            i += 1
            continue
        j = data.find(b"\x1b", i)
        j = n if j < 0 else j
        chunk = data[i:j]
        out["text"] += len(chunk)
        out["spaces"] += chunk.count(b" ")
        i = j
    out["rows"] = len(rows)
    return out
