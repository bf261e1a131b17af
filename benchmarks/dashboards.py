"""Dashboard benchmarks in a real Voilà server and Debian's headless Chromium.

Baseline, measured in the same run and served by the same Voilà: a bare notebook showing a single
checkbox. Each dashboard load, cold or preheated, is paired with a bare load just before it (the
machine is shared and noisy), and the ratio is the median of seven pairs, taken in
rounds over every page.

Measures: cold time to interactive (navigation until the verdict widget is visible, timed on the
page's own clock; the driver's clock, which adds the time Playwright takes to notice, is reported
too) of every dashboard; the preheated pages; a fact change until the verdict updates; the RSS of one
dashboard's kernel; a class of 30 browser sessions arriving within 60 s, then culling.

Like `casebook serve`, it first loads the law once so that every kernel finds its snapshot.

Run: `make bench` (or `.venv/bin/python benchmarks/dashboards.py [--only cold|fact|class]`).
Prints Markdown."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import websocket
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import sync_playwright

from casebook.interface.serve import prepare

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PREHEATED = ("00_accueil.ipynb", "15_puis_je_parler.ipynb")
PAIRS = 7
CLASS_CULL = 120  # seconds idle before a kernel is culled, in the class phase


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site(tmp: Path) -> Path:
    """A copy of the notebooks plus the bare baseline notebook, served from one folder."""
    site = tmp / "site"
    shutil.copytree(ROOT / "notebooks", site)
    bare = new_notebook(cells=[new_code_cell("import ipywidgets\nipywidgets.Checkbox(description='bare')")])
    bare.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(bare, site / "bare.ipynb")
    return site


def _start(site: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = _port()
    cmd = [sys.executable, "-m", "voila", str(site), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", "--ServerApp.token=", "--Voila.token=", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            urllib.request.urlopen(url + "/voila/tree", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("Voilà did not start")


def _selector(name: str) -> str:
    if name == "bare.ipynb":
        return ".widget-checkbox"
    source = "".join(c.source for c in nbformat.read(ROOT / "notebooks" / name, 4).cells
                     if c.cell_type == "code")
    if "ui.explorer(" in source:
        return ".cb-card"
    return ".cb-navigator" if "ui.navigator(" in source else "svg.cb-timeline"


def _shutdown_kernel(page, url: str) -> None:
    """Voilà keeps a closed page's kernel until culling: shut it down so the next measure
    runs on a quiet machine (shutdown_request is one of the messages Voilà lets through)."""
    found = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.content())
    if found is None:
        print(f"warning: no kernel id on {page.url}; left to culling", file=sys.stderr)
        return
    kernel_id = found.group(1)
    ws = websocket.create_connection(url.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels")
    ws.send(json.dumps({"header": {"msg_id": kernel_id, "username": "bench", "session": kernel_id,
                                   "msg_type": "shutdown_request", "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "content": {"restart": False},
                        "channel": "control", "buffers": []}))
    ws.close()
    time.sleep(2)


# Navigation until the verdict is visible, on the page's own clock (performance.now() counts from
# the navigation start): a MutationObserver notes the first moment the selector matches an element
# with a box. The driver's own clock also counts the time Playwright takes to notice.
_VISIBLE = """
window.__tti = null;
new MutationObserver(() => {
  const el = window.__tti === null && document.querySelector(SELECTOR);
  if (el && el.checkVisibility() && el.getBoundingClientRect().height > 0) window.__tti = performance.now();
}).observe(document, {childList: true, subtree: true, attributes: true});
"""


def _watch(context, name: str) -> None:
    context.add_init_script(_VISIBLE.replace("SELECTOR", json.dumps(_selector(name))))


def _tti(browser, url: str, name: str) -> tuple[float, float]:
    """(page clock, driver clock) in seconds from navigation until the verdict is visible."""
    context = browser.new_context()
    _watch(context, name)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{url}/voila/render/{name}", wait_until="commit", timeout=300_000)
    page.wait_for_selector(_selector(name), state="visible", timeout=300_000)
    driver = time.perf_counter() - start
    page.wait_for_function("window.__tti !== null", timeout=60_000)
    in_page = page.evaluate("window.__tti") / 1000
    _shutdown_kernel(page, url)
    context.close()
    return in_page, driver


def _alive(pid: int) -> list[tuple[psutil.Process, str, int]]:
    """The server and its live descendants, with their command lines and RSS (culled kernels
    may vanish or linger as zombies while we look)."""
    server = psutil.Process(pid)
    found = []
    for proc in [server, *server.children(recursive=True)]:
        try:
            found.append((proc, " ".join(proc.cmdline()), proc.memory_info().rss))
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def _cpu(pid: int, exclude: int | None = None) -> float:
    """CPU seconds (user + system) used so far by a process tree, leaving out one subtree."""
    skipped = set()
    if exclude is not None:
        skipped = {exclude, *(p.pid for p in psutil.Process(exclude).children(recursive=True))}
    total = 0.0
    for proc, _, _ in _alive(pid):
        if proc.pid not in skipped:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                times = proc.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
    return total


def _tree_rss(pid: int) -> float:
    return sum(rss for _, _, rss in _alive(pid)) / 2**20


def _kernels(pid: int) -> list[psutil.Process]:
    return [proc for proc, cmdline, _ in _alive(pid) if "ipykernel" in cmdline]


CLOCKS = ("page", "driver")


def _p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def _summary(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> tuple[dict, dict]:
    """Median time and median paired ratio to the bare notebook, on each clock."""
    times = {clock: statistics.median(t[i] for _, t in pairs) for i, clock in enumerate(CLOCKS)}
    ratios = {clock: statistics.median(t[i] / b[i] for b, t in pairs) for i, clock in enumerate(CLOCKS)}
    return times, ratios


def cold_and_preheated(browser, site: Path, results: dict) -> None:
    """Every dashboard cold, paired with the bare notebook; then the preheated pages."""
    proc, url = _start(site)  # voila.json as shipped: pooled kernels outlive the cull timeout
    time.sleep(20)  # let the preheated pools fill
    _tti(browser, url, "bare.ipynb")  # warm the server and the browser caches
    bare = [_tti(browser, url, "bare.ipynb") for _ in range(5)]
    results["bare"] = {clock: statistics.median(t[i] for t in bare) for i, clock in enumerate(CLOCKS)}
    names = [p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if p.name not in PREHEATED]
    pairs: dict[str, list] = {name: [] for name in names}
    for _ in range(PAIRS):  # round after round over every page: a burst of noise hits one pair of many
        for name in names:
            pairs[name].append((_tti(browser, url, "bare.ipynb"), _tti(browser, url, name)))
    results["cold"], results["cold_ratio"] = {}, {}
    for name in names:
        results["cold"][name], results["cold_ratio"][name] = _summary(pairs[name])
    results["preheated"], results["preheated_ratio"] = {}, {}
    for name in PREHEATED:
        heated = []
        for _ in range(PAIRS):
            time.sleep(25)  # the pool refills after each use
            heated.append((_tti(browser, url, "bare.ipynb"), _tti(browser, url, name)))
        results["preheated"][name], results["preheated_ratio"][name] = _summary(heated)
    _stop(proc)


def fact_change_and_memory(browser, site: Path, results: dict) -> None:
    """40 answers changed in the secret-partagé explorer; the RSS of that dashboard's kernel."""
    proc, url = _start(site)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/voila/render/03_secret_partage.ipynb")
    scope = ".cb-explorer-secret_partage"
    page.wait_for_selector(f"{scope} .cb-card", timeout=300_000)
    for fact in ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
                 "same_mission", "only_necessary", "in_person_interest"):
        page.locator(f"{scope} .cb-fact-{fact}").get_by_role("button", name="Oui", exact=True).click()
    consent = page.locator(f"{scope} .cb-fact-informed_consent")
    latencies = []
    answers = (("Oui", "faculte_de_partager"), ("Non", "obligation_de_se_taire"))
    for i in range(40):
        label, expected = answers[i % 2]
        start = time.perf_counter()
        consent.get_by_role("button", name=label, exact=True).click()
        page.wait_for_function(
            "([sel, v]) => document.querySelector(sel)?.getAttribute('data-outcome') === v",
            arg=[f"{scope} .cb-card", expected], polling="raf")
        latencies.append((time.perf_counter() - start) * 1000)
    results["fact_change_ms"] = {"median": statistics.median(latencies),
                                 "p95": _p95(latencies)}
    kernels = [rss for _, cmdline, rss in _alive(proc.pid) if "ipykernel" in cmdline]
    results["kernel_rss_mb"] = max(kernels) / 2**20
    context.close()
    _stop(proc)


def class_arrival(browser, site: Path, results: dict) -> None:
    """30 sessions within 60 s on a fresh server, then culling. The cull timeout is shortened
    from voila.json's 600 s to 120 s so that the run ends sooner; it must stay above the time a
    browser takes to connect to its kernel, or kernels are culled before their page renders."""
    proc, url = _start(site, f"--MappingKernelManager.cull_idle_timeout={CLASS_CULL}",
                       "--MappingKernelManager.cull_interval=10")
    time.sleep(20)
    start_mb = _tree_rss(proc.pid)
    pooled = len(_kernels(proc.pid))
    cpu_before = _cpu(proc.pid), _cpu(os.getpid(), exclude=proc.pid)
    contexts, pages, started, epochs = [], [], [], []
    for i in range(30):
        context = browser.new_context()
        _watch(context, "03_secret_partage.ipynb")
        page = context.new_page()
        started.append(time.perf_counter())
        epochs.append(time.time())
        page.goto(f"{url}/voila/render/03_secret_partage.ipynb", wait_until="commit", timeout=300_000)
        contexts.append(context)
        pages.append(page)
        time.sleep(max(0.0, started[0] + 2 * (i + 1) - time.perf_counter()))
    done: set[int] = set()  # pages whose verdict is shown; the page itself notes when
    deadline = time.perf_counter() + 300
    while len(done) < len(pages) and time.perf_counter() < deadline:
        done |= {i for i, page in enumerate(pages) if i not in done and page.locator(".cb-card").count()}
        time.sleep(0.5)
    failed = [pages[i] for i in range(len(pages)) if i not in done]
    # from the moment the page was asked for until its verdict was visible, on the machine's clock
    in_page = sorted(pages[i].wait_for_function("performance.timeOrigin + window.__tti").json_value()
                     / 1000 - epochs[i] for i in done)
    errors = sorted({page.locator("body").inner_text()[:200].replace("\n", " ") for page in failed})
    peak_mb = _tree_rss(proc.pid)
    server_cpu = _cpu(proc.pid) - cpu_before[0]
    browser_cpu = _cpu(os.getpid(), exclude=proc.pid) - cpu_before[1]
    for context in contexts:
        context.close()
    closed = time.monotonic()
    while len(_kernels(proc.pid)) > pooled and time.monotonic() < closed + CLASS_CULL + 120:
        time.sleep(5)
    culled_after = time.monotonic() - closed
    after_mb = _tree_rss(proc.pid)
    results["class"] = {"sessions": 30, "failures": len(failed), "failure_pages": errors,
                        "p95_tti": _p95(in_page) if in_page else None,
                        "median_tti": statistics.median(in_page) if in_page else None,
                        "start_mb": start_mb, "peak_mb": peak_mb, "after_cull_mb": after_mb,
                        "kernels_left": len(_kernels(proc.pid)), "pooled": pooled,
                        "culled_after_s": culled_after, "cpu_s_server_and_kernels": server_cpu,
                        "cpu_s_browser": browser_cpu}
    _stop(proc)


PHASES = {"cold": cold_and_preheated, "fact": fact_change_and_memory, "class": class_arrival}


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=list(PHASES), action="append",
                        help="run only this phase (repeatable; default: all)")
    phases = parser.parse_args().only or list(PHASES)
    prepare()  # what `casebook serve` does first: every kernel then finds the snapshots
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        site = _site(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        for name in phases:
            PHASES[name](browser, site, results)
        browser.close()
    _report(results)


def _report(r: dict) -> None:
    if "cold" in r:
        bare = r["bare"]
        print(f"Baseline: bare one-checkbox notebook, cold time to interactive = {bare['page']:.2f} s "
              f"on the page's clock ({bare['driver']:.2f} s on the driver's)\n")
        print("| Dashboard | TTI (s) | Ratio to bare (paired) | Target | Driver's clock: TTI (s), ratio |\n"
              "|---|---|---|---|---|")
        rows = [(name, "", "≤ 1.30×", r["cold"][name], r["cold_ratio"][name]) for name in r["cold"]]
        rows += [(name, " (preheated)", "≤ 0.80×", r["preheated"][name], r["preheated_ratio"][name])
                 for name in r["preheated"]]
        for name, note, target, t, ratio in rows:
            print(f"| {name}{note} | {t['page']:.2f} | {ratio['page']:.2f}× | {target} | "
                  f"{t['driver']:.2f}, {ratio['driver']:.2f}× |")
    if "fact_change_ms" in r:
        fc = r["fact_change_ms"]
        print(f"\nFact change until the verdict updates (40 changes): median {fc['median']:.0f} ms, "
              f"p95 {fc['p95']:.0f} ms (target p95 ≤ 150 ms)")
        print(f"\nRSS of one dashboard's kernel (03_secret_partage): {r['kernel_rss_mb']:.0f} MB "
              "(target ≤ 150 MB)")
    if "class" in r:
        c = r["class"]
        tti = (f"median TTI {c['median_tti']:.1f} s, p95 TTI {c['p95_tti']:.1f} s"
               if c["median_tti"] is not None else "no session rendered")
        print(f"\nClass arriving: {c['sessions']} sessions in 60 s, {c['failures']} failures, {tti}; "
              f"server memory {c['start_mb']:.0f} MB before, {c['peak_mb']:.0f} MB at peak, "
              f"{c['after_cull_mb']:.0f} MB after culling ({c['kernels_left']} kernels left, "
              f"{c['pooled']} pooled; culled {c['culled_after_s']:.0f} s after the pages closed); "
              f"CPU during the arrival: server and kernels {c['cpu_s_server_and_kernels']:.0f} s, "
              f"browser and driver {c['cpu_s_browser']:.0f} s")
    print("\n```json\n" + json.dumps(r, indent=1, default=float) + "\n```")


if __name__ == "__main__":
    main()
