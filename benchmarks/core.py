"""Core benchmarks: import cost against pandas, one evaluation with trace, the worst case of the
determinacy search (the empty situation, every fact unknown), the what-if search, checking every
scenario, and what a new dashboard kernel spends before its first output, with
and without the snapshot. Each figure comes with a baseline measured in the same run.

Run: `make bench` (or `.venv/bin/python benchmarks/core.py`). Prints a Markdown table."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import casebook
from casebook.law.determinacy import clear_settled_cache
from casebook.law.engine import Situation, evaluate
from casebook.law.scenarios import check, load_scenarios
from casebook.law.whatif import what_if


def _median_ms(fn: Callable[[], object], repeat: int, number: int = 1) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) * 1000 / number)
    return statistics.median(samples)


def _import_ms(code: str, repeat: int = 15, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **(env or {})})
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _baseline() -> None:
    """A fixed pure-Python workload: how fast this machine is right now."""
    sum(i * i for i in range(20_000))


def _kernel_start(python_only: float) -> tuple[str, str, str, str]:
    """A dashboard's first cell in a new process, from the snapshot against building everything
    (interpreter start subtracted; 7 interleaved runs each)."""
    code = "from casebook.interface import ui; ui.provision('art458'); ui.scenarios()"
    with tempfile.TemporaryDirectory() as cache:
        _import_ms(code, repeat=1, env={"CASEBOOK_CACHE_DIR": cache})  # make the snapshot
        built, snap = [], []
        for _ in range(7):
            built.append(_import_ms(code, repeat=1, env={"CASEBOOK_CACHE_DIR": "off"}))
            snap.append(_import_ms(code, repeat=1, env={"CASEBOOK_CACHE_DIR": cache}))
    built_ms, snap_ms = statistics.median(built) - python_only, statistics.median(snap) - python_only
    return ("a new kernel's first cell (`from casebook.interface import ui; ui.provision(…); "
            "ui.scenarios()`): "
            "from the snapshot vs building (interpreter start subtracted)",
            f"{snap_ms:.0f} ms vs {built_ms:.0f} ms", f"{snap_ms / built_ms:.2f}×", "—")


def main() -> None:
    rows = []
    python_only = _import_ms("pass")
    pandas_runs, both_runs = [], []
    for _ in range(15):  # interleaved, so that a burst of noise hits both alike
        pandas_runs.append(_import_ms("import pandas", repeat=1))
        both_runs.append(_import_ms("import pandas; import casebook", repeat=1))
    pandas_ms, both_ms = statistics.median(pandas_runs), statistics.median(both_runs)
    ratio = (both_ms - python_only) / (pandas_ms - python_only)
    rows.append(("`import pandas; import casebook` vs `import pandas` (interpreter start subtracted)",
                 f"{both_ms:.0f} ms vs {pandas_ms:.0f} ms", f"{ratio:.2f}×", "≤ 1.20×"))

    kb = casebook.load()
    scenarios = load_scenarios(kb)
    base = _median_ms(_baseline, 50)
    def cold(fn: Callable[[], object]) -> Callable[[], object]:
        """`fn` with no settled verdict kept from an earlier call: the search itself."""
        return lambda: (clear_settled_cache(), fn())

    evals = [_median_ms(cold(lambda s=s: evaluate(kb, s.situation)), 10, 1) for s in scenarios]
    warm = [_median_ms(lambda s=s: evaluate(kb, s.situation), 10, 5) for s in scenarios]
    worst_ms, worst = max(zip(evals, scenarios, strict=True), key=lambda pair: pair[0])
    rows.append((f"evaluation with trace, all {len(kb.provisions)} provisions, every search made "
                 f"anew (median over {len(scenarios)} scenarios; worst: `{worst.id}`)",
                 f"{statistics.median(evals):.3f} ms (worst {worst_ms:.2f} ms)",
                 f"{statistics.median(evals) / base:.2f}× baseline", "≤ 1 ms"))
    rows.append(("the same, again (settled verdicts kept for the facts each provision reads, as "
                 "in a kernel answering one change after another)",
                 f"{statistics.median(warm):.3f} ms (max {max(warm):.2f} ms)",
                 f"{statistics.median(warm) / base:.2f}× baseline", "≤ 1 ms"))
    asked = [_median_ms(cold(lambda s=s: evaluate(kb, s.situation,
                                                 only=tuple(e.provision for e in s.expected))), 10)
             for s in scenarios]
    rows.append(("evaluation with trace of the provisions each worked case asks about, searches "
                 "made anew (what the worked-case tables and `casebook check` do; median, max)",
                 f"{statistics.median(asked):.3f} ms (max {max(asked):.2f} ms)",
                 f"{statistics.median(asked) / base:.2f}× baseline", "≤ 1 ms"))
    empty = Situation({}, dt.date(2026, 11, 2))
    empty_ms = _median_ms(cold(lambda: evaluate(kb, empty)), 7)
    per = {pid: _median_ms(cold(lambda pid=pid: evaluate(kb, empty, only=(pid,))), 5)
           for pid in kb.provisions}
    slowest = max(per, key=per.__getitem__)
    rows.append(("worst case of the determinacy search: the empty situation (every fact unknown), "
                 f"all provisions, searches made anew; slowest provision alone: `{slowest}`",
                 f"{empty_ms:.0f} ms ({slowest}: {per[slowest]:.0f} ms)",
                 f"{empty_ms / base:.0f}× baseline", "—"))

    pairs = [(s, e.provision) for s in scenarios for e in s.expected]
    whatifs = [_median_ms(cold(lambda s=s, p=p: what_if(kb, s.situation, p)), 3) for s, p in pairs]
    wi_median = statistics.median(whatifs)
    wi_max, wi_worst = max(zip(whatifs, pairs, strict=True), key=lambda pair: pair[0])
    rows.append((f"what-if search for one provision, searches made anew (median over {len(pairs)} "
                 f"case×provision; worst: `{wi_worst[0].id}`, {wi_worst[1]})",
                 f"{wi_median:.2f} ms (max {wi_max:.1f} ms)", f"{wi_median / base:.1f}× baseline",
                 "≤ 20 ms"))

    check_ms = _median_ms(lambda: check(kb, load_scenarios(kb)), 7)
    rows.append((f"load and check all {len(scenarios)} scenarios (in process)", f"{check_ms:.0f} ms",
                 f"{check_ms / base:.0f}× baseline", "≤ 1 s"))
    cli_ms = _import_ms("import contextlib, io\nfrom casebook.cli import main\n"
                        "with contextlib.redirect_stdout(io.StringIO()): main(['check'])", repeat=5)
    rows.append(("`casebook check` as a command (interpreter start, imports, data load, check)",
                 f"{cli_ms:.0f} ms", f"{cli_ms / python_only:.1f}× bare `python -c pass`", "—"))

    rows.append(_kernel_start(python_only))

    print(f"Baseline (fixed pure-Python workload): {base:.3f} ms; bare interpreter start: "
          f"{python_only:.0f} ms\n")
    print("| Measure | Result | Ratio | Target |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
