"""A class arriving at one server, and one page used for a whole lesson: the `class100` and
`soak` phases of the dashboards benchmark.

`class100`: `students` (100) open dashboards within `window` seconds (60), one every
`window / students` seconds, in the proportions of a class (`MIX`: mostly the accueil, then
« Puis-je parler ? », a few explorers), on one server started as `casebook serve` starts it, with
the culling shortened for the run (`CULL`, a command-line override; `voila.json` is not changed).
All but `browsers` (5) of them are protocol-level clients (`protocol.visit`: the page, the static
files a browser loads, the kernel's websocket and the widget state); the others are real
Chromium pages that must show their verdict. Failures: an error, a lost kernel, or a page
without its verdict within `TIMEOUT` (600 s) of being asked for; a late page is not a failure.
Measured: the time from asking for the page until its verdict is available (protocol) or
visible (browser); the CPU seconds of the server (Voilà and its kernels) and of the harness
(these clients, Playwright and Chromium) from the first arrival until the last verdict; the
memory of the server before, at its peak (sampled every second), after culling and once more
after Voilà's next release of its free memory (`voila_main.RELEASE_EVERY`). With `classes` above
one, as many classes come to the same server one after the other, each once the previous one is
culled and released (a day of teaching): `class100` is the first, `class100_then` the others,
each also compared with the server's memory before the first (`after_release_vs_server_start`).
The machine itself is timed on a fixed piece of work before each class and after its release
(`machine_reference_s`): on a shared machine, a slower class on a slower machine is not a
slower server.

`soak`: one explorer page (`SOAK_PAGE`) through the protocol client, `changes` (500) fact changes
over `duration` seconds (600), each a control's new `index` as the browser sends it, cycling
through every option of every fact; after each, the kernel must have reported no error and the
card must show a verdict. At the end, the page must still give the two known verdicts of the
fact phase. The kernel's RSS is taken before the first change, after ten, and at the end."""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import nbformat
import protocol
import psutil
from playwright.sync_api import Error as PlaywrightError
from server import ROOT, CpuMeter, Server, machine_reference_s, snapshots_since

from casebook.interface.server.voila_main import RELEASE_EVERY

MIX = (("00_accueil.ipynb", 50), ("15_puis_je_parler.ipynb", 25), ("03_secret_partage.ipynb", 7),
       ("01_art458.ipynb", 6), ("10_art458bis.ipynb", 6), ("05_obligations_legales.ipynb", 6))
PREHEATED = ("00_accueil.ipynb", "15_puis_je_parler.ipynb")
ASSET_PAGE = "03_secret_partage.ipynb"
CULL = 120  # seconds idle before a closed page's kernel is culled, for this run only
TIMEOUT = 600  # seconds from asking for a page until it must have its verdict
SEEN = "window.__tti === null ? null : performance.timeOrigin + window.__tti"  # machine clock, ms
SOAK_PAGE = "03_secret_partage.ipynb"
SOAK_YES = ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
            "same_mission", "only_necessary", "in_person_interest")
SOAK_CHECK = {"Oui": "faculte_de_partager", "Non": "obligation_de_se_taire"}  # informed_consent


def prepare() -> None:
    """What `casebook serve` does first (load the law, leaving the snapshots), in a new process:
    the snapshots are those of the code and data as they are now, so no kernel rebuilds them."""
    subprocess.run([sys.executable, "-c", "from casebook.interface.server.serve import prepare; prepare()"],
                   check=True, cwd=ROOT)


def kind(name: str) -> str:
    source = "".join(c.source for c in nbformat.read(ROOT / "notebooks" / name, 4).cells
                     if c.cell_type == "code")
    return protocol.kind_of(source)


def class_names(n: int) -> list[str]:
    """`n` arrivals in the proportions of `MIX`, interleaved: each next one is the page
    furthest behind its share."""
    total = sum(weight for _, weight in MIX)
    counts: Counter = Counter()
    names = []
    for i in range(n):
        name = max(MIX, key=lambda m: (i + 1) * m[1] / total - counts[m[0]])[0]
        counts[name] += 1
        names.append(name)
    return names


def browser_slots(n: int, browsers: int) -> list[int]:
    """Which arrivals are real browsers: spread over the class."""
    return sorted({min(n - 1, int((k + 0.5) * n / browsers)) for k in range(browsers)}) if browsers else []


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def _stats(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"n": len(values), "median": statistics.median(values), "p95": p95(values), "max": max(values)}


def record_assets(browser, server: Server, watch: Callable, selector: Callable) -> list[str]:
    """The static files (same origin, under /voila/, not the page itself) that Chromium loads
    for one dashboard; that page's kernel is then shut down."""
    context = browser.new_context()
    watch(context, ASSET_PAGE)
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if r.method == "GET" else None)
    page.goto(f"{server.url}/voila/render/{ASSET_PAGE}", timeout=TIMEOUT * 1000)
    page.wait_for_selector(selector(ASSET_PAGE), state="visible", timeout=TIMEOUT * 1000)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT * 1000)
    found = protocol.CONFIG.search(page.content())
    context.close()
    if found:
        kernel_id = json.loads(found.group(1))["kernelId"]
        protocol.shut_down(server.url, kernel_id)
    paths = []
    for url in urls:
        if url.startswith(server.url + "/voila/") and "/voila/render/" not in url:
            path = url.removeprefix(server.url)
            if path not in paths:
                paths.append(path)
    return paths


class _Sampler(threading.Thread):
    """The server's memory (whole tree, and Voilà's own process) and kernel count, every second;
    and the CPU meter of the arrival while there is one."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.stop = server, threading.Event()
        self.peak_mb = self.peak_voila_mb = 0.0
        self.peak_kernels = 0
        self.meter: CpuMeter | None = None  # sampled too while set

    def run(self) -> None:
        while not self.stop.is_set():
            if self.meter is not None:
                self.meter.sample()
            alive = self.server.alive()
            self.peak_mb = max(self.peak_mb, sum(rss for _, _, rss in alive) / 2**20)
            self.peak_voila_mb = max(self.peak_voila_mb, _voila_mb(self.server))
            self.peak_kernels = max(self.peak_kernels, sum("ipykernel" in c for _, c, _ in alive))
            self.stop.wait(1)


def _voila_mb(server: Server) -> float:
    try:
        return psutil.Process(server.pid).memory_info().rss / 2**20
    except psutil.NoSuchProcess:
        return 0.0


def class_arrival(browser, site: Path, results: dict, watch: Callable, selector: Callable,
                  students: int = 100, browsers: int = 5, window: float = 60.0, classes: int = 1) -> None:
    """`classes` times, `students` arriving within `window` seconds on one server, `browsers`
    of them in Chromium."""
    prepare()
    server = Server(site, f"--MappingKernelManager.cull_idle_timeout={CULL}",
                    "--MappingKernelManager.cull_interval=10")
    runs: list[dict] = []
    try:
        for _ in range(classes):
            _class(browser, server, results, watch, selector, students, browsers, window)
            run = results.pop("class100")
            first = (runs or [run])[0]
            run["after_release_vs_server_start"] = run["after_release_mb"] / first["start_mb"] - 1
            runs.append(run)
    finally:
        results["class100"] = runs[0] if runs else results.get("class100", {})
        if len(runs) > 1:
            results["class100_then"] = runs[1:]
        results["class100"]["left_behind_at_stop"] = server.stop()


def _class(browser, server: Server, results: dict, watch: Callable, selector: Callable,
           students: int, browsers: int, window: float) -> None:
    for name in PREHEATED:
        server.wait_pool(name, 0)
    assets = record_assets(browser, server, watch, selector)
    settled = time.monotonic() + 60
    while len(server.kernels()) > len(PREHEATED) and time.monotonic() < settled:
        time.sleep(1)  # the kernel used for the assets is going
    server.wait_quiet()  # and the pooled kernels have executed their notebooks
    start_mb, start_voila_mb, pooled = server.rss_mb(), _voila_mb(server), len(server.kernels())
    reference_before = machine_reference_s()
    names, slots = class_names(students), browser_slots(students, browsers)
    kinds = {name: kind(name) for name in set(names)}
    visits: list[protocol.Visit | None] = [None] * students
    stop = threading.Event()
    t0 = time.monotonic() + 5
    since = time.time()
    arrival = [t0 + i * window / students for i in range(students)]

    def student(i: int) -> None:
        time.sleep(max(0.0, arrival[i] - time.monotonic()))
        done = protocol.visit(server.url, names[i], kinds[names[i]], assets, TIMEOUT, stop,
                              on_verdict=lambda v: visits.__setitem__(i, v))
        visits[i] = done

    threads = [threading.Thread(target=student, args=(i,), daemon=True)
               for i in range(students) if i not in slots]
    pages = {}
    for i in slots:
        context = browser.new_context()
        watch(context, names[i])
        pages[i] = (context, context.new_page())
    sampler = _Sampler(server)
    sampler.meter = CpuMeter(server)
    sampler.start()
    for thread in threads:
        thread.start()
    for i in slots:  # the browsers arrive in their turn, driven from this thread
        time.sleep(max(0.0, arrival[i] - time.monotonic()))
        context, page = pages[i]
        visits[i] = protocol.Visit(names[i], started=time.time())
        try:
            page.goto(f"{server.url}/voila/render/{names[i]}", wait_until="commit", timeout=TIMEOUT * 1000)
        except PlaywrightError as exc:
            visits[i].error = f"browser: {str(exc).splitlines()[0]}"
    while time.monotonic() < t0 + window + TIMEOUT:
        for i, (_, page) in pages.items():
            visit = visits[i]
            if visit.verdict_s is None and visit.error is None:
                try:
                    seen = page.evaluate(SEEN)
                except PlaywrightError:
                    continue  # the page is still navigating
                if seen is not None:
                    visit.verdict_s = seen / 1000 - visit.started
        if all(v is not None and (v.verdict_s is not None or v.error) for v in visits):
            break
        time.sleep(0.5)
    end = time.monotonic()
    meter, sampler.meter = sampler.meter, None
    cpu = meter.used()
    peak_during = sampler.peak_mb
    for i, (_, page) in pages.items():
        visit = visits[i]
        try:
            text = " ".join(page.locator("body").inner_text(timeout=30_000).split())
        except PlaywrightError as exc:
            visit.error = visit.error or f"browser: {str(exc).splitlines()[0]}"
            continue
        if visit.error is None and "La session a expiré" in text:
            visit.error = "browser: the page says its kernel was lost"
        elif visit.error is None and visit.verdict_s is None and "Recharger la page" in text:
            visit.error = f"browser: the page says it is not ready (« {text[:160]} »)"
        elif visit.error is None and visit.verdict_s is None:
            visit.error = f"browser: no verdict within {TIMEOUT} s; the page shows « {text[:160]} »"
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    for context, _ in pages.values():
        context.close()
    closed = time.monotonic()
    while len(server.kernels()) > pooled and time.monotonic() < closed + CULL + 180:
        time.sleep(5)
    culled_after = time.monotonic() - closed
    server.wait_quiet()  # the refilled pools' kernels too
    after_mb, after_voila_mb = server.rss_mb(), _voila_mb(server)
    time.sleep(RELEASE_EVERY + 5)  # Voilà's process releases its free memory once more
    sampler.stop.set()
    sampler.join()
    failures = [(i, names[i], (v and v.error) or f"no verdict within {TIMEOUT} s")
                for i, v in enumerate(visits) if v is None or v.verdict_s is None or v.error]
    ok = [(i, v) for i, v in enumerate(visits) if v is not None and v.verdict_s is not None and not v.error]
    by_page = {name: _stats([v.verdict_s for i, v in ok if v.name == name and i not in slots])
               for name, _ in MIX if name in kinds}
    released_mb = server.rss_mb()
    reference = {"before": reference_before, "after": machine_reference_s()}
    results["class100"] = {
        "students": students, "browsers": len(slots), "window_s": window, "cull_s": CULL,
        "mix": dict(Counter(names)), "browser_pages": [names[i] for i in slots],
        "assets_per_page": len(assets),
        "failures": len(failures), "failure_list": failures[:20], "server_errors": server.errors(),
        "verdict_s": _stats([v.verdict_s for _, v in ok]),
        "verdict_s_protocol": _stats([v.verdict_s for i, v in ok if i not in slots]),
        "verdict_s_browser": _stats([v.verdict_s for i, v in ok if i in slots]),
        "verdict_s_by_page": by_page,
        "page_body_s": _stats([v.page_s for i, v in ok if i not in slots and v.page_s is not None]),
        "last_verdict_after_first_arrival_s": end - t0,
        "cpu_s_server": cpu["server"], "cpu_s_voila_process": cpu["voila"], "cpu_s_kernels": cpu["kernels"],
        "cpu_s_server_per_page": cpu["server"] / students, "cpu_s_harness": cpu["harness"],
        "start_mb": start_mb, "peak_mb": max(peak_during, sampler.peak_mb), "after_cull_mb": after_mb,
        "after_vs_start": after_mb / start_mb - 1,
        "after_release_mb": released_mb, "after_release_vs_start": released_mb / start_mb - 1,
        "voila_process_mb": {"start": start_voila_mb, "peak": sampler.peak_voila_mb,
                             "after": after_voila_mb, "after_release": _voila_mb(server)},
        "peak_kernels": sampler.peak_kernels, "pooled": pooled, "kernels_left": len(server.kernels()),
        "culled_after_s": culled_after, "snapshots_rebuilt": snapshots_since(since),
        "machine_reference_s": reference,
    }


def soak(site: Path, results: dict, changes: int = 500, duration: float = 600.0) -> None:
    """One explorer page, `changes` fact changes over `duration` seconds."""
    prepare()
    server = Server(site)
    out: dict = {"page": SOAK_PAGE, "changes": changes, "duration_s": duration}
    results["soak"] = out
    since = time.time()
    try:
        def run(kernel: protocol.Kernel, states: dict) -> None:
            _soak(server, kernel, states, out, changes, duration)

        done = protocol.visit(server.url, SOAK_PAGE, "explorer", timeout=TIMEOUT, on_kernel=run)
        if done.error:
            out.setdefault("errors", []).append(done.error)
    finally:
        out["left_behind_at_stop"] = server.stop()
        out["snapshots_rebuilt"] = snapshots_since(since)


def _rss_mb(proc: psutil.Process) -> float:
    return proc.memory_info().rss / 2**20


def _soak(server: Server, kernel: protocol.Kernel, states: dict, out: dict, changes: int,
          duration: float) -> None:
    proc = server.kernel(kernel.kernel_id)
    card = protocol.verdict_model(states, "explorer", set(states))  # shown: checked by the visit
    controls = protocol.fact_controls(states)
    facts = sorted(controls)
    current = {f: states[controls[f][0]]["state"].get("index") for f in facts}
    last = states[card]["state"]["value"]
    errors: list[str] = []
    latencies: list[float] = []
    outcomes: Counter = Counter()
    out["facts"] = len(facts)
    out["rss_mb"] = {"start": _rss_mb(proc)}
    begin = time.monotonic()
    for k in range(changes):
        time.sleep(max(0.0, begin + k * duration / changes - time.monotonic()))
        fact = facts[k % len(facts)]
        model_id, labels = controls[fact]
        index = 0 if current[fact] is None else (current[fact] + 1) % len(labels)
        sent = time.monotonic()
        value, reported = kernel.change(model_id, {"index": index}, card, sent + 60)
        latencies.append((time.monotonic() - sent) * 1000)
        current[fact] = index
        last = value if value is not None else last
        found = protocol.OUTCOME.search(last)
        errors += [f"change {k} ({fact}={labels[index]}): {text.strip()[:200]}" for text in reported]
        if found is None:
            errors.append(f"change {k} ({fact}={labels[index]}): no verdict on the card")
        else:
            outcomes[found.group(1)] += 1
        if k == 9:
            out["rss_mb"]["after_10"] = _rss_mb(proc)
    out["rss_mb"]["end"] = _rss_mb(proc)
    out["elapsed_s"] = time.monotonic() - begin
    out["final_check"] = _known_verdicts(kernel, controls, card)
    out["rss_mb"]["after_check"] = _rss_mb(proc)
    out["growth"] = out["rss_mb"]["end"] / out["rss_mb"]["start"] - 1
    out["growth_after_10"] = out["rss_mb"]["end"] / out["rss_mb"]["after_10"] - 1 if changes > 10 else None
    out["errors"] = errors
    out["latency_ms"] = _stats(latencies)
    out["outcomes"] = dict(outcomes)


def _known_verdicts(kernel: protocol.Kernel, controls: dict, card: str) -> dict:
    """Every fact back to « je ne sais pas », the facts of the fact phase to « Oui », then the
    informed consent Oui / Non: the card must give the fact phase's two verdicts."""
    until = time.monotonic() + 120
    for model_id, labels in controls.values():
        unknown = next(i for i, label in enumerate(labels) if "je ne sais pas" in label.lower())
        kernel.change(model_id, {"index": unknown}, card, until)
    for fact in SOAK_YES:
        model_id, labels = controls[fact]
        kernel.change(model_id, {"index": labels.index("Oui")}, card, until)
    got = {}
    model_id, labels = controls["informed_consent"]
    for label, expected in SOAK_CHECK.items():
        value, _ = kernel.change(model_id, {"index": labels.index(label)}, card, until)
        found = protocol.OUTCOME.search(value or "")
        got[label] = {"expected": expected, "got": found.group(1) if found else None}
    return got
