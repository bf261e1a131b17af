"""Dashboard benchmarks in a real Voilà server and Debian's headless Chromium.

Baseline, measured in the same run and served by the same Voilà: a bare notebook showing a single
checkbox. Each dashboard load, cold or preheated, is paired with a bare load just before it (the
machine is shared and noisy), and the ratio is the median of seven pairs, taken in
rounds over every page.

Measures: cold time to interactive (navigation until the verdict widget is visible, timed on the
page's own clock; the driver's clock, which adds the time Playwright takes to notice, is reported
too) of every dashboard; the preheated pages, loaded again each time their pool has refilled; a
fact change until the verdict updates; the RSS of one dashboard's kernel; a class of 30 browser
sessions arriving within 60 s, then culling (`class`); a class of 100 students within 60 s,
protocol-level clients with five real browsers among them (`class100`, see
`benchmarks/classroom.py`); one page through 500 fact changes over 10 minutes (`soak`); the
cold and preheated pages again with an instructor's course folder of 50 cases loaded (`course`:
`CASEBOOK_COURS` set for the server, its snapshot prepared first as `casebook serve` does; the
baseline is the same bare notebook, paired the same way, on that server).

Like `casebook serve`, it first loads the law once so that every kernel finds its snapshot, and
starts Voilà with the same options and the checkout's template (`benchmarks/server.py`).

Run: `make bench` (or `.venv/bin/python benchmarks/dashboards.py [--only PHASE]`, PHASE one of
cold, preheated (the cold phase without its cold pages), fact, class, class100, soak, course;
`--pairs`, `--pages`, `--students`, `--browsers`, `--window`, `--soak-changes`, `--soak-seconds`
for smaller runs).
Prints Markdown."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import classroom
import nbformat
import protocol
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import sync_playwright
from server import ROOT, Server, harness_cpu, lean_kernelspec, stop_all

from casebook import load
from casebook.interface.server.serve import prepare
from casebook.interface.ui import builtin_scenarios
from casebook.law import casefile, course

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PREHEATED = classroom.PREHEATED
PAIRS = 7
CLASS_CULL = 120  # seconds idle before a kernel is culled, in the class phase
COURSE_CASES, COURSE_FILES = 50, 5  # the `course` phase's folder: 50 cases in 5 files


def _site(tmp: Path) -> Path:
    """A copy of the notebooks plus the bare baseline notebook, served from one folder."""
    site = tmp / "site"
    shutil.copytree(ROOT / "notebooks", site)
    bare = new_notebook(cells=[new_code_cell("import ipywidgets\nipywidgets.Checkbox(description='bare')")])
    bare.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(bare, site / "bare.ipynb")
    return site


def _selector(name: str) -> str:
    if name == "bare.ipynb":
        return ".widget-checkbox"
    kind = classroom.kind(name)
    return {"explorer": ".cb-card", "timeline": "svg.cb-timeline"}.get(kind, f".cb-{kind}")


def _shutdown_kernel(page, url: str) -> None:
    """Voilà keeps a closed page's kernel until culling (Playwright closes a page without its
    `beforeunload` beacon): shut it down as the beacon would, so the next measure runs on a
    quiet machine."""
    found = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.content())
    if found is None:
        print(f"warning: no kernel id on {page.url}; left to culling", file=sys.stderr)
        return
    protocol.shut_down(url, found.group(1))
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


CLOCKS = ("page", "driver")


_p95 = classroom.p95


def _summary(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> tuple[dict, dict]:
    """Median time and median paired ratio to the bare notebook, on each clock."""
    times = {clock: statistics.median(t[i] for _, t in pairs) for i, clock in enumerate(CLOCKS)}
    ratios = {clock: statistics.median(t[i] / b[i] for b, t in pairs) for i, clock in enumerate(CLOCKS)}
    return times, ratios


def cold_and_preheated(browser, site: Path, results: dict, args: argparse.Namespace,
                       cold: bool = True, env: dict[str, str] | None = None) -> None:
    """Every dashboard (or those of `--pages`) cold, paired with the bare notebook (unless `cold`
    is False); then the preheated pages (`--pairs` pairs each, seven by default). `env`: more
    environment for the server."""
    server = Server(site, env=env)  # voila.json as shipped: pooled kernels outlive the cull timeout
    url = server.url
    for name in PREHEATED:
        server.wait_pool(name, 0)
    _tti(browser, url, "bare.ipynb")  # warm the server and the browser caches
    bare = [_tti(browser, url, "bare.ipynb") for _ in range(5)]
    results["bare"] = {clock: statistics.median(t[i] for t in bare) for i, clock in enumerate(CLOCKS)}
    names = [p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
             if cold and p.name not in PREHEATED and (not args.pages or p.name in args.pages)]
    pairs: dict[str, list] = {name: [] for name in names}
    for _ in range(args.pairs if names else 0):  # round after round: a burst of noise hits one pair of many
        for name in names:
            pairs[name].append((_tti(browser, url, "bare.ipynb"), _tti(browser, url, name)))
    if names:
        results["cold"], results["cold_ratio"] = {}, {}
    for name in names:
        results["cold"][name], results["cold_ratio"][name] = _summary(pairs[name])
    results["preheated"], results["preheated_ratio"] = {}, {}
    for name in PREHEATED:
        heated, late = [], 0
        for _ in range(args.pairs):
            fills = server.pool_fills(name)
            heated.append((_tti(browser, url, "bare.ipynb"), _tti(browser, url, name)))
            late += not server.wait_pool(name, fills)  # the pool refills after each use,
            late += not server.wait_quiet()  # and its new kernel has executed the notebook
        results["preheated"][name], results["preheated_ratio"][name] = _summary(heated)
        results.setdefault("preheated_refill_late", {})[name] = late
    server.stop()


def preheated(browser, site: Path, results: dict, args: argparse.Namespace) -> None:
    """Only the bare baseline and the preheated pages of the `cold` phase."""
    cold_and_preheated(browser, site, results, args, cold=False)


def course_folder(folder: Path) -> Path:
    """A course folder of COURSE_CASES cases in COURSE_FILES files: copies of the casebook's first
    worked cases under new ids (so that every one passes `casebook check`)."""
    folder.mkdir()
    copies = [{**casefile.case_data(s), "id": f"bench-cours-{i:02d}", "title": f"Cours {i} : {s.title}"}
              for i, s in enumerate(builtin_scenarios()[:COURSE_CASES])]
    size = COURSE_CASES // COURSE_FILES
    for n in range(COURSE_FILES):
        (folder / f"cours-{n + 1}.yaml").write_text(casefile.dump(copies[n * size:(n + 1) * size]),
                                                     encoding="utf-8")
    return folder


def with_course(browser, site: Path, results: dict, args: argparse.Namespace) -> None:
    """The cold and preheated pages with a course of 50 cases loaded, each paired with the bare
    notebook on the same server; the course's snapshot is prepared first, as `casebook serve`
    does."""
    folder = course_folder(site.parent / "cours")
    loaded = course.cases(load(), builtin_scenarios(), course.Folder(folder, "benchmark"))
    assert len(loaded) == COURSE_CASES
    measured: dict = {}
    cold_and_preheated(browser, site, measured, args, env={course.ENV: str(folder)})
    results["course"] = {"cases": COURSE_CASES, **measured}


def fact_change_and_memory(browser, site: Path, results: dict) -> None:
    """40 answers changed in the secret-partagé explorer; the RSS of that dashboard's kernel."""
    server = Server(site)
    url = server.url
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
    kernels = [rss for _, cmdline, rss in server.alive() if "ipykernel" in cmdline]
    results["kernel_rss_mb"] = max(kernels) / 2**20
    context.close()
    server.stop()


def class_arrival(browser, site: Path, results: dict) -> None:
    """30 sessions within 60 s on a fresh server, then culling. The cull timeout is shortened
    from voila.json's 600 s to 120 s so that the run ends sooner; it must stay above the time a
    browser takes to connect to its kernel, or kernels are culled before their page renders."""
    server = Server(site, f"--MappingKernelManager.cull_idle_timeout={CLASS_CULL}",
                    "--MappingKernelManager.cull_interval=10")
    url = server.url
    for name in PREHEATED:
        server.wait_pool(name, 0)
    start_mb = server.rss_mb()
    pooled = len(server.kernels())
    cpu_before = server.cpu(), harness_cpu(server)
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
    peak_mb = server.rss_mb()
    server_cpu = server.cpu() - cpu_before[0]
    browser_cpu = harness_cpu(server) - cpu_before[1]
    for context in contexts:
        context.close()
    closed = time.monotonic()
    while len(server.kernels()) > pooled and time.monotonic() < closed + CLASS_CULL + 120:
        time.sleep(5)
    culled_after = time.monotonic() - closed
    after_mb = server.rss_mb()
    results["class"] = {"sessions": 30, "failures": len(failed), "failure_pages": errors,
                        "p95_tti": _p95(in_page) if in_page else None,
                        "median_tti": statistics.median(in_page) if in_page else None,
                        "start_mb": start_mb, "peak_mb": peak_mb, "after_cull_mb": after_mb,
                        "kernels_left": len(server.kernels()), "pooled": pooled,
                        "culled_after_s": culled_after, "cpu_s_server_and_kernels": server_cpu,
                        "cpu_s_browser": browser_cpu}
    results["class"]["left_behind_at_stop"] = server.stop()


def class_of_100(browser, site: Path, results: dict, args: argparse.Namespace) -> None:
    classroom.class_arrival(browser, site, results, _watch, _selector, students=args.students,
                            browsers=args.browsers, window=args.window, classes=args.classes)


def soak(browser, site: Path, results: dict, args: argparse.Namespace) -> None:
    classroom.soak(site, results, changes=args.soak_changes, duration=args.soak_seconds)


PHASES = {"cold": cold_and_preheated, "fact": fact_change_and_memory, "class": class_arrival,
          "class100": class_of_100, "soak": soak, "preheated": preheated, "course": with_course}
WITH_ARGS = ("cold", "class100", "soak", "preheated", "course")


def _terminate(*_: object) -> None:
    """On SIGTERM, stop the servers first (Playwright's dispatcher may swallow the exit while
    it waits for its driver), then exit."""
    stop_all()
    sys.exit(143)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=list(PHASES), action="append",
                        help="run only this phase (repeatable; default: all)")
    parser.add_argument("--pairs", type=int, default=PAIRS, help="cold: bare/dashboard pairs per page")
    parser.add_argument("--pages", type=lambda text: text.split(","), default=None,
                        help="cold, course: only these cold pages (comma-separated notebook names)")
    parser.add_argument("--students", type=int, default=100, help="class100: students arriving")
    parser.add_argument("--browsers", type=int, default=5, help="class100: of them, real browsers")
    parser.add_argument("--window", type=float, default=60.0, help="class100: seconds of arrival")
    parser.add_argument("--classes", type=int, default=1,
                        help="class100: classes coming to the same server one after the other")
    parser.add_argument("--soak-changes", type=int, default=500, help="soak: fact changes")
    parser.add_argument("--soak-seconds", type=float, default=600.0, help="soak: over this long")
    parser.add_argument("--lean-kernel", action="store_true",
                        help="serve with a kernelspec whose kernel does not load debugpy (to compare)")
    args = parser.parse_args()
    phases = args.only or list(PHASES)
    signal.signal(signal.SIGTERM, _terminate)
    prepare()  # what `casebook serve` does first: every kernel then finds the snapshots
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        site = _site(Path(tmp))
        if args.lean_kernel:
            Server.jupyter_path = [str(lean_kernelspec(Path(tmp) / "jupyter"))]
            results["kernel"] = "lean (no debugpy)"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        try:
            for name in phases:
                if name in WITH_ARGS:
                    PHASES[name](browser, site, results, args)
                else:
                    PHASES[name](browser, site, results)
        finally:
            stop_all()
        browser.close()
    _report(results)


def _report_pages(r: dict) -> None:
    """The table of cold and preheated pages, with their baseline."""
    bare = r["bare"]
    print(f"Baseline: bare one-checkbox notebook, cold time to interactive = {bare['page']:.2f} s "
          f"on the page's clock ({bare['driver']:.2f} s on the driver's)\n")
    print("| Dashboard | TTI (s) | Ratio to bare (paired) | Target | Driver's clock: TTI (s), ratio |\n"
          "|---|---|---|---|---|")
    rows = [(name, "", "≤ 1.30×", r["cold"][name], r["cold_ratio"][name]) for name in r.get("cold", {})]
    rows += [(name, " (preheated)", "≤ 0.80×", r["preheated"][name], r["preheated_ratio"][name])
             for name in r["preheated"]]
    for name, note, target, t, ratio in rows:
        print(f"| {name}{note} | {t['page']:.2f} | {ratio['page']:.2f}× | {target} | "
              f"{t['driver']:.2f}, {ratio['driver']:.2f}× |")


def _report(r: dict) -> None:
    if "bare" in r:
        _report_pages(r)
    if "course" in r:
        print(f"\nWith a course folder of {r['course']['cases']} cases loaded:\n")
        _report_pages(r["course"])
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
    if "class100" in r and "students" in r["class100"]:
        _report_class(r["class100"])
    if "soak" in r:
        _report_soak(r["soak"])
    print("\n```json\n" + json.dumps(r, indent=1, default=float) + "\n```")


def _s(stats: dict | None) -> str:
    if stats is None:
        return "—"
    return f"median {stats['median']:.1f} s, p95 {stats['p95']:.1f} s (n={stats['n']})"


def _report_class(c: dict) -> None:
    print(f"\nClass of {c['students']} within {c['window_s']:.0f} s ({c['browsers']} real browsers "
          f"among them; culling after {c['cull_s']} s idle): **{c['failures']} failures**")
    print(f"- Time until the verdict is available: all {_s(c['verdict_s'])}; protocol clients "
          f"{_s(c['verdict_s_protocol'])}; browsers, verdict visible {_s(c['verdict_s_browser'])}")
    for name, stats in c["verdict_s_by_page"].items():
        print(f"  - {name}: {_s(stats)}")
    print(f"- CPU from the first arrival to the last verdict "
          f"({c['last_verdict_after_first_arrival_s']:.0f} s): "
          f"server {c['cpu_s_server']:.0f} s (Voilà {c['cpu_s_voila_process']:.0f} s, kernels "
          f"{c['cpu_s_kernels']:.0f} s), **{c['cpu_s_server_per_page']:.2f} s per page**; "
          f"harness {c['cpu_s_harness']:.0f} s")
    v = c["voila_process_mb"]
    print(f"- Server memory: {c['start_mb']:.0f} MB before, {c['peak_mb']:.0f} MB at the peak "
          f"({c['peak_kernels']} kernels), {c['after_cull_mb']:.0f} MB after culling "
          f"(**{c['after_vs_start']:+.0%}**; {c['kernels_left']} kernels left, {c['pooled']} pooled; "
          f"culled {c['culled_after_s']:.0f} s after the pages closed), {c['after_release_mb']:.0f} MB "
          f"after Voilà's next release (**{c['after_release_vs_start']:+.0%}**); Voilà's own process "
          f"{v['start']:.0f} / {v['peak']:.0f} / {v['after']:.0f} / {v['after_release']:.0f} MB")
    for failure in c["failure_list"]:
        print(f"- failure: {failure}")
    print(f"- processes left after the server's stop: {len(c.get('left_behind_at_stop', []))}")
    _warn_rebuilt(c)


def _warn_rebuilt(phase: dict) -> None:
    if phase.get("snapshots_rebuilt"):
        print(f"- **not a valid run**: {phase['snapshots_rebuilt']} snapshot(s) rebuilt during the run "
              "(the code or the data changed while it ran); run it again on a quiet checkout")


def _report_soak(k: dict) -> None:
    if "rss_mb" not in k:
        print(f"\nSoak: did not start: {k.get('errors')}")
        return
    m = k["rss_mb"]
    check = ", ".join(f"{label} → {v['got']} (expected {v['expected']})"
                      for label, v in k["final_check"].items())
    print(f"\nSoak on {k['page']}: {k['changes']} fact changes over {k['elapsed_s']:.0f} s "
          f"({k['facts']} facts, each option in turn): **{len(k['errors'])} errors**; change handled "
          f"in median {k['latency_ms']['median']:.0f} ms, p95 {k['latency_ms']['p95']:.0f} ms; kernel RSS "
          f"{m['start']:.1f} MB before the first change, {m.get('after_10', 0):.1f} MB after 10, "
          f"{m['end']:.1f} MB at the end (**{k['growth']:+.1%}**); known verdicts after the soak: {check}")
    for error in k["errors"][:5]:
        print(f"- error: {error}")
    _warn_rebuilt(k)


if __name__ == "__main__":
    main()
