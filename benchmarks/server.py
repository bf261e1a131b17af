"""The Voilà server under benchmark, started as `casebook serve` starts it (same Voilà options,
`voila.json` read from the project root, the checkout's template first on JUPYTER_PATH), over a
folder of notebooks, with optional command-line overrides; and what the benchmarks read of it:
its process tree (Voilà and its kernels), memory, the kernel of a page, the kernel pools filled,
the CPU seconds of the server and of the harness (`CpuMeter`), the snapshots rebuilt during a
run. `lean_kernelspec` writes the kernelspec variant that `--lean-kernel` compares.

`stop` leaves no process behind: jupyter_client starts every kernel in a session of its own, so
the kernels seen are ended by their ids if Voilà's own shutdown left any; `stop_all` stops the
servers of a phase that failed half-way."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import ClassVar

import psutil

from casebook.interface.server.serve import VOILA_MAIN, voila_env
from casebook.law.snapshot import cache_dir

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LEAN_LAUNCHER = ("import sys; sys.modules['debugpy'] = None; "
                 "from ipykernel import kernelapp; kernelapp.launch_new_instance()")


def lean_kernelspec(folder: Path) -> Path:
    """A `python3` kernelspec under `folder` (to put first on JUPYTER_PATH) whose kernel does
    not load the debugger: Voilà lets no debug message through, and debugpy is most of what
    ipykernel imports beyond itself. Returns `folder`."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", LEAN_LAUNCHER, "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
        "metadata": {"debugger": False}}, indent=1))
    return folder


class Server:
    """One Voilà over `site`; `extra` are command-line overrides (e.g. a shorter culling).
    `Server.jupyter_path` goes first on JUPYTER_PATH (a kernelspec variant, `lean_kernelspec`)."""

    jupyter_path: ClassVar[list[str]] = []
    running: ClassVar[list[Server]] = []  # started and not yet stopped: `stop_all` ends them

    def __init__(self, site: Path, *extra: str, env: dict[str, str] | None = None):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = Path(tempfile.mkstemp(prefix="voila-bench-", suffix=".log")[1])
        cmd = [sys.executable, "-m", VOILA_MAIN, str(site), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--ServerApp.token=", "--Voila.token=",
               *extra]
        with self.log.open("w") as out:
            base = voila_env(ROOT)
            base["JUPYTER_PATH"] = os.pathsep.join([*self.jupyter_path, base["JUPYTER_PATH"]])
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**base, **(env or {})},
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        self.seen: set[int] = set()  # every descendant seen, to end any left behind
        Server.running.append(self)
        for _ in range(360):
            try:
                urllib.request.urlopen(self.url + "/voila/tree", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        tail = self.log.read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"Voilà did not start; the end of its log:\n{tail}")

    def alive(self) -> list[tuple[psutil.Process, str, int]]:
        """Voilà and its live descendants, with their command lines and RSS (culled kernels may
        vanish or linger as zombies while we look)."""
        found = []
        try:
            server = psutil.Process(self.pid)
            procs = [server, *server.children(recursive=True)]
        except psutil.NoSuchProcess:
            return found
        for proc in procs:
            try:
                found.append((proc, " ".join(proc.cmdline()), proc.memory_info().rss))
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
        self.seen |= {proc.pid for proc, _, _ in found if proc.pid != self.pid}
        return found

    def cpu(self) -> float:
        """CPU seconds (user + system) used so far by Voilà and its live kernels."""
        return tree_cpu(p for p, _, _ in self.alive())

    def rss_mb(self) -> float:
        """The RSS of Voilà and its kernels, in MB."""
        return sum(rss for _, _, rss in self.alive()) / 2**20

    def kernels(self) -> list[psutil.Process]:
        return [proc for proc, cmdline, _ in self.alive() if "ipykernel" in cmdline]

    def kernel(self, kernel_id: str) -> psutil.Process | None:
        """The process of one kernel (its connection file is named after its id)."""
        return next((proc for proc, cmdline, _ in self.alive() if f"kernel-{kernel_id}" in cmdline), None)

    def errors(self, limit: int = 20) -> list[str]:
        """What Voilà's log says went wrong: its error lines and the last line of each traceback
        (the exception), at most `limit` of them."""
        lines = self.log.read_text(errors="replace").splitlines()
        found = [line for line in lines if "ERROR" in line or "could not be prepared" in line
                 or re.match(r"[\w.]+(Error|Exception): ", line)]
        return found[:limit]

    def pool_fills(self, name: str) -> int:
        """How many times Voilà has said the kernel pool of `name` is full."""
        return self.log.read_text(errors="replace").count(f"Kernel pool of {name} is filled")

    def wait_pool(self, name: str, fills: int, timeout: float = 300) -> bool:
        """Wait until the pool of `name` has been filled more than `fills` times."""
        deadline = time.monotonic() + timeout
        while self.pool_fills(name) <= fills:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True

    def wait_quiet(self, timeout: float = 120, rate: float = 0.05) -> bool:
        """Wait until Voilà and its kernels use less than `rate` of a core over two seconds (a
        refilled pool's kernel has finished executing its notebook)."""
        deadline = time.monotonic() + timeout
        before = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(2)
            now = self.cpu()
            if now - before < 2 * rate:
                return True
            before = now
        return False

    def stop(self) -> list[int]:
        """SIGTERM to Voilà's process group, then end by id whatever it left; the ids of the
        processes that were still there after Voilà's own shutdown."""
        if self in Server.running:
            Server.running.remove(self)
        self.alive()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.log.unlink(missing_ok=True)
        left = []
        for pid in sorted(self.seen):
            with contextlib.suppress(psutil.NoSuchProcess):
                proc = psutil.Process(pid)
                if proc.status() != psutil.STATUS_ZOMBIE:
                    left.append(pid)
                    proc.kill()
        return left


class CpuMeter:
    """CPU seconds (user + system) used since `__init__` by the server, split into Voilà's own
    process and its kernels, and by the harness (this process and its children other than the
    server: Playwright's drivers, Chromium). Every process is followed by its id and read
    again at each `sample()`, so a kernel that ends in between counts for what it used until
    its last sample (a sum over the tree would lose it, or count it twice once it is reaped)."""

    def __init__(self, server: Server):
        self.server = server
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.role: dict[int, str] = {}
        self.lock = threading.Lock()  # sampled from a thread, read from another
        self.sample()
        self.first = dict(self.last)

    def sample(self) -> None:
        server = {proc.pid: proc for proc, _, _ in self.server.alive()}
        me = psutil.Process()
        procs = [(pid, proc, "voila" if pid == self.server.pid else "kernels")
                 for pid, proc in server.items()]
        procs += [(p.pid, p, "harness") for p in [me, *me.children(recursive=True)] if p.pid not in server]
        for pid, proc, role in procs:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                times = proc.cpu_times()
                with self.lock:
                    self.last[pid] = times.user + times.system
                    self.role.setdefault(pid, role)

    def used(self) -> dict[str, float]:
        """CPU seconds per role ("voila", "kernels", "harness") and "server" (the first two)."""
        self.sample()
        out = {"voila": 0.0, "kernels": 0.0, "harness": 0.0}
        with self.lock:
            for pid, last in self.last.items():
                out[self.role[pid]] += last - self.first.get(pid, 0.0)
        out["server"] = out["voila"] + out["kernels"]
        return out


def stop_all() -> None:
    """Stop every server still running (a phase that failed half-way leaves none behind)."""
    for server in list(Server.running):
        server.stop()


def snapshots_since(moment: float) -> int:
    """How many snapshots (`casebook.law.snapshot`) were written since `moment` (machine clock):
    a kernel that rebuilt one spent seconds parsing the data, so the run did not measure a
    class server whose code and data stay as they are (they changed while it ran)."""
    folder = cache_dir()
    if folder is None or not folder.is_dir():
        return 0
    return sum(1 for path in folder.glob("*.pickle") if path.stat().st_mtime >= moment)


def tree_cpu(procs) -> float:
    """CPU seconds (user + system, with their waited-for children) of some processes."""
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            times = proc.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


def harness_cpu(server: Server) -> float:
    """CPU seconds of this benchmark process and its children other than the server (the
    simulated students, Playwright's drivers and Chromium)."""
    skipped = {proc.pid for proc, _, _ in server.alive()}
    me = psutil.Process()
    return tree_cpu(p for p in [me, *me.children(recursive=True)] if p.pid not in skipped)


def machine_reference_s(rounds: int = 3) -> float:
    """How long this machine takes, at best of `rounds`, for a fixed piece of pure Python work
    (about 0.12 s on this machine when quiet). Read before and after a class, it tells a slower
    shared machine from a slower server, since the server's work does not enter it."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - start)
    return best
