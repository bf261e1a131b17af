"""One real Orca session against three dashboards, headless, and the transcript of what Orca said.

This owns the screen-reader check of issue 12 recorded in docs/accessibilite.md (« Session Orca
sans écran »). It starts, each in a process group of its own and all marked by one environment
variable: Xvfb, a D-Bus session bus, the AT-SPI bus (at-spi-bus-launcher), the screen reader Orca
(default settings, in French, with its debug log), `casebook serve`, and Debian's Chromium in
French in a window on the Xvfb display with `--force-renderer-accessibility`. It then types, as a
person would, with real X keyboard events (`xdotool key`): Orca hears each key and each focus or
live-region event, and the steps follow the procedure of the doc. What Orca would have said is
read from its debug log (the `SPEECH OUTPUT` lines): there is no sound and nobody listens.
Chromium's DevTools port is used only to look (where the focus is, whether the kernel has
answered), never to act. At the end everything is stopped, and every process that still carries
the mark is killed and checked gone.

Run it (Debian 12, as root for the packages; about six minutes):

    apt-get install -y --no-install-recommends orca xvfb xdotool at-spi2-core chromium chromium-l10n
    make orca            # or: .venv/bin/python tools/orca/session.py [--out DIR]

The transcript is printed and written, with Orca's full debug log, to test-artifacts/orca/.
A developer tool: not part of `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
QUIET_FLAG = Path("/tmp/QUIET")  # someone is benchmarking: wait before each heavy step
MARK = "CASEBOOK_ORCA_SESSION"   # set on every process started here, inherited by their children
MAX_TABS = 80
SHOWN = 30  # utterances shown per step in the transcript (all are in Orca's log)
# A line of Orca's debug log: `HH:MM:SS.ffffff - SPEECH OUTPUT: 'text'` then the voice (ACSS). The
# echo of a key or of one character has a space before the voice: it is kept, marked « écho ».
SPEECH = re.compile(r"SPEECH OUTPUT: '(?P<text>.*)'(?P<echo> ?)(?:\{.*\})?(?: voice=\S+)?\s*$")
CONTINUATION = " " * 18  # Orca indents the next lines of a multi-line utterance
ECHO = "écho : "
MODE_FOCUS, MODE_BROWSE = "Mode focus", "Mode navigation"  # what Orca 43 says in French
MODE = re.compile(rf"_inFocusMode: (True|False)|SPEECH OUTPUT: '({MODE_FOCUS}|{MODE_BROWSE})'")

# Where the focus is, seen through DevTools (never used to act on the page).
ACTIVE = """() => { const e = document.activeElement;
  const fact = e.closest('[class*="cb-fact-"]');
  return {tag: e.tagName, text: (e.textContent || '').trim().slice(0, 200), role: e.getAttribute('role'),
          checked: e.getAttribute('aria-checked'), expanded: e.getAttribute('aria-expanded'),
          fact: fact ? [...fact.classList].find((c) => c.startsWith('cb-fact-')) : null,
          component: (e.closest('.cb-explorer, .cb-navigator, .cb-predict') || {className: ''}).className};
}"""

# Resolves once the page has not changed for one second: the widgets have drawn.
SETTLE = """() => new Promise((resolve) => {
  let timer = null;
  const done = () => { observer.disconnect(); resolve(true); };
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 1000); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 1000);
})"""

HEADINGS = """() => [...document.querySelectorAll('#rendered_cells :is(h1, h2, h3, h4, h5, h6)')]
  .filter((h) => h.getClientRects().length > 0).length"""

# Orca's own settings are its defaults; only its debug log is changed: INFO (the level of the
# SPEECH OUTPUT lines) and written line by line, so that it can be read while Orca runs.
CUSTOMIZATIONS = """\
from orca import debug
debug.debugLevel = debug.LEVEL_INFO
if debug.debugFile:
    _name = debug.debugFile.name
    debug.debugFile.close()
    debug.debugFile = open(_name, "a", buffering=1)
"""

NAVIGATOR_ANSWERS = {  # the police asks: anything else is answered « Je ne sais pas »
    "confident nécessaire": "Oui", "dans l'exercice de votre fonction": "Oui",
    "Qui vous demande l'information": "la police", "Quelle est votre profession": "éducateur / éducatrice",
}


@dataclass
class Step:
    """One thing a person does and what Orca says after it."""

    page: str
    title: str
    expected: str
    keys: list[str] = field(default_factory=list)
    speech: list[str] = field(default_factory=list)
    note: str = ""


def wait_quiet() -> None:
    while QUIET_FLAG.exists():
        print("… /tmp/QUIET : un benchmark tourne, attente de 30 s", flush=True)
        time.sleep(30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_display() -> int:
    for n in range(99, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display")


def version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"? ({exc})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "?"


def package_version(name: str) -> str:
    return version(["dpkg-query", "-W", "-f=${Version}", name])


class Session:
    """The processes of one run, each in its own process group, all carrying MARK."""

    def __init__(self, out: Path):
        self.out = out
        self.token = uuid.uuid4().hex
        self.home = Path(tempfile.mkdtemp(prefix="casebook-orca-"))
        runtime = self.home / "runtime"
        runtime.mkdir(mode=0o700)
        self.display = free_display()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"), "XDG_CACHE_HOME": str(self.home / "cache"),
            "DISPLAY": f":{self.display}", "LANG": "C.UTF-8", "LANGUAGE": "fr", "GSETTINGS_BACKEND": "memory",
            "ACCESSIBILITY_ENABLED": "1", MARK: self.token,
        }
        self.procs: list[tuple[str, subprocess.Popen]] = []
        self.logs: dict[str, Path] = {}

    def start(self, name: str, cmd: list[str], **env: str) -> subprocess.Popen:
        log = self.out / f"{name}.log"
        self.logs[name] = log
        handle = open(log, "w")  # noqa: SIM115 - closed when the process is gone
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**self.env, **env}, stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        handle.close()
        self.procs.append((name, proc))
        return proc

    def marked(self) -> list[psutil.Process]:
        """Every live process that carries this run's mark (children of children included)."""
        found = []
        for p in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if p.pid != os.getpid() and p.environ().get(MARK) == self.token and \
                        p.status() != psutil.STATUS_ZOMBIE:
                    found.append(p)
        return found

    def stop(self, name: str, grace: float = 15) -> None:
        for label, proc in self.procs:
            if label != name or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def teardown(self) -> list[str]:
        """Stop everything, newest first, then kill what still carries the mark. Returns what
        had to be killed that way (for the record) and raises if anything survives."""
        for name, _proc in reversed(self.procs):
            self.stop(name)
        leftovers = self.marked()
        killed = [f"{p.pid} {' '.join(p.cmdline())[:80]}" for p in leftovers if p.is_running()]
        for p in leftovers:
            with contextlib.suppress(psutil.Error):
                p.kill()
        _gone, alive = psutil.wait_procs(leftovers, timeout=10)
        survivors = self.marked()
        shutil.rmtree(self.home, ignore_errors=True)
        if survivors or alive:
            raise RuntimeError(f"processes left behind: {[p.pid for p in survivors or alive]}")
        return killed


class OrcaLog:
    """Orca's debug log, read as it grows: the speech since the last mark."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.focus_mode: bool | None = None  # Orca's mode in web content, as its log last said

    def _track_mode(self, text: str) -> None:
        for m in MODE.finditer(text):
            self.focus_mode = (m.group(1) or m.group(2)) in ("True", MODE_FOCUS)

    def _read(self) -> str:
        if not self.path.exists():
            return ""
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        cut = data.rfind(b"\n") + 1  # whole lines only
        self.offset += cut
        text = data[:cut].decode("utf-8", "replace")
        self._track_mode(text)
        return text

    def mark(self) -> None:
        self._read()

    @staticmethod
    def parse(text: str) -> list[str]:
        """The utterances in a piece of the log, echoes marked."""
        said: list[str] = []
        joined: list[str] = []
        for line in text.splitlines():
            if line.startswith(CONTINUATION) and joined and "SPEECH OUTPUT" in joined[-1]:
                joined[-1] += " " + line.strip()
            else:
                joined.append(line)
        for line in joined:
            m = SPEECH.search(line)
            if m and m.group("text").strip():
                said.append((ECHO if m.group("echo") else "") + m.group("text").strip())
        return said

    def speech(self, settle: float = 2.5, at_most: float = 25, at_least: float = 1.0) -> list[str]:
        """What Orca said from the last mark until it has been silent for `settle` seconds."""
        said: list[str] = []
        start = last = time.monotonic()
        while True:
            lines = self.parse(self._read())
            now = time.monotonic()
            if lines:
                said.extend(lines)
                last = now
            if now - start >= at_least and (now - last >= settle or now - start >= at_most):
                return said
            time.sleep(0.2)


class Keyboard:
    """Real X keyboard events through the XTEST extension (xdotool), to the focused window."""

    def __init__(self, env: dict[str, str]):
        self.env = env

    def key(self, *keys: str, pause: float = 0.0) -> None:
        subprocess.run(["xdotool", "key", "--delay", "120", *keys], env=self.env, check=True)
        if pause:
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "40", text], env=self.env, check=True)

    def focus_window(self, name: str) -> None:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--class", name],
                               env=self.env, capture_output=True, text=True, timeout=60, check=True)
        window = found.stdout.split()[-1]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=self.env, check=True)


class Run:
    """The procedure of docs/accessibilite.md, step by step, with what Orca said after each key."""

    def __init__(self, page: Page, orca: OrcaLog, keys: Keyboard, base: str):
        self.page, self.orca, self.keys, self.base = page, orca, keys, base
        self.steps: list[Step] = []

    def active(self) -> dict:
        return self.page.evaluate(ACTIVE)

    def where(self) -> str:
        """The focus in the DOM, in a few words (for the notes)."""
        a = self.active()
        what = f"{a['tag'].lower()}{'[' + a['role'] + ']' if a['role'] else ''} « {a['text'][:40]} »"
        if a["checked"] is not None:
            what += f" aria-checked={a['checked']}"
        return what

    @property
    def mode(self) -> str:
        return MODE_FOCUS if self.orca.focus_mode else MODE_BROWSE

    def record(self, step: Step) -> Step:
        self.steps.append(step)
        print(render(step), flush=True)
        return step

    def step(self, page: str, title: str, expected: str, *keys: str, note: str = "",
             settle: float = 2.5, at_most: float = 25) -> Step:
        self.orca.mark()
        if keys:
            self.keys.key(*keys)
        return self.record(Step(page, title, expected, list(keys), self.orca.speech(settle, at_most), note))

    def tab_until(self, page: str, title: str, expected: str, wanted) -> Step:
        """Tab until the focus satisfies `wanted`: one step whose speech is the last Tab's; what
        the Tabs before it said first is in the note."""
        passed: list[str] = []
        for n in range(1, MAX_TABS + 1):
            self.orca.mark()
            self.keys.key("Tab")
            said = self.orca.speech(settle=1.2, at_most=10, at_least=0.5)
            if wanted(self.active()):
                note = ("passé avant : " + " | ".join(passed)) if passed else ""
                return self.record(Step(page, title, expected, [f"Tab × {n}"], said, note))
            words = [w for w in said if not w.startswith(ECHO)]
            passed.append(textwrap.shorten(" ".join(words), 70, placeholder=" …") or "(rien)")
        raise RuntimeError(f"{page}: {title}: not reached in {MAX_TABS} Tabs")

    def browse_mode(self, page: str) -> None:
        """A person who hears « Mode focus » while only reading goes back to browse mode."""
        self.orca.mark()
        if self.orca.focus_mode:
            self.step(page, "Orca+A (retour au mode navigation)", f"« {MODE_BROWSE} »", "Insert+a",
                      note="Orca était passé en mode focus sans que l'utilisateur l'ait demandé")

    def open(self, notebook: str, ready: str, first: bool = False) -> None:
        wait_quiet()
        url = f"{self.base}/voila/render/{notebook}"
        self.orca.mark()
        keys = []
        if not first:  # the address bar, as a person would: Ctrl+L, the address, Enter
            self.keys.key("ctrl+l", pause=1)
            self.keys.type(url)
            self.keys.key("Return")
            keys = ["ctrl+l", url, "Return"]
        self.page.wait_for_url(f"**/{notebook}", timeout=60_000)
        self.page.wait_for_selector("#rendered_cells", state="visible", timeout=180_000)
        self.page.wait_for_selector(ready, state="visible", timeout=180_000)
        self.page.evaluate(SETTLE)
        self.record(Step(notebook, "chargement de la page", "le titre de la page", keys,
                         self.orca.speech(settle=3, at_most=20), f"focus : {self.where()}"))

    def explorer(self) -> None:
        nb = "01_art458.ipynb"
        self.open(nb, ".cb-explorer .cb-card", first=True)
        self.browse_mode(nb)
        self.step(nb, "Ctrl+Début (haut de la page)", "le début de la page", "ctrl+Home")
        count = self.page.evaluate(HEADINGS)
        for n in range(1, min(count, 12) + 1):
            self.step(nb, f"H (titre suivant) n° {n}", "un titre et son niveau, sans trou", "h", settle=1.5)
        self.step(nb, "Ctrl+Début (retour en haut)", "le début de la page", "ctrl+Home")
        self.tab_until(nb, "Tab jusqu'à la première question",
                       "la question, « Je ne sais pas, bouton radio, coché, 3 sur 3 », l'aide",
                       lambda a: a["fact"] == "cb-fact-necessary_confidant")
        # First question: the arrows as Orca starts, in browse mode.
        for _ in range(2):
            self.step(nb, f"flèche gauche ({self.mode.lower()})", "« Non » puis « Oui, coché »", "Left",
                      settle=2)
            self.steps[-1].note = f"focus ensuite : {self.where()}"
        chosen = self.page.locator(".cb-fact-necessary_confidant [aria-checked=true]").inner_text().strip()
        if chosen != "Oui":
            if self.active()["text"] == "Oui":
                self.step(nb, f"Espace sur « Oui » ({self.mode.lower()})", "« coché »", "space", settle=3)
            else:
                self.step(nb, "Orca+A (mode focus)", f"« {MODE_FOCUS} »", "Insert+a")
                self.press_until_yes(nb, "cb-fact-necessary_confidant")
            self.steps[-1].note = f"focus ensuite : {self.where()}"
        # Second question: focus mode first, then the arrows reach the page.
        self.tab_until(nb, "Tab jusqu'à la deuxième question", "la question, « Je ne sais pas … coché »",
                       lambda a: a["fact"] == "cb-fact-learned_in_function")
        if not self.orca.focus_mode:
            self.step(nb, "Orca+A (mode focus)", f"« {MODE_FOCUS} »", "Insert+a")
        self.press_until_yes(nb, "cb-fact-learned_in_function")
        # The new verdict comes from the kernel: whatever Orca says after the last arrow belongs to it.
        self.page.locator(".cb-explorer [aria-live=polite]").filter(
            has_text="Obligation de se taire").wait_for(timeout=60_000)
        later = self.orca.speech(settle=3, at_most=30)
        self.steps[-1].speech += later
        self.steps[-1].note = f"focus ensuite : {self.where()}"
        print("\n".join(f"   puis : « {s} »" for s in later), flush=True)
        self.tab_until(nb, "Tab jusqu'à « Raisonnement détaillé »",
                       "« Raisonnement détaillé, bouton, réduit »",
                       lambda a: a["role"] == "button" and "Raisonnement" in a["text"])
        self.step(nb, "Entrée sur « Raisonnement détaillé »", "« développé »", "Return")
        self.steps[-1].note = f"aria-expanded après Entrée : {self.active()['expanded']}"

    def press_until_yes(self, nb: str, fact: str) -> None:
        """Left arrow (at most three times) until « Oui » is the checked answer."""
        checked = self.page.locator(f".{fact} [aria-checked=true]")
        for _ in range(3):
            self.step(nb, f"flèche gauche ({self.mode.lower()})", "« Non » puis « Oui », « coché »", "Left",
                      settle=2.5)
            self.steps[-1].note = f"focus ensuite : {self.where()}"
            if checked.inner_text().strip() == "Oui":
                return
        raise RuntimeError(f"{fact}: « Oui » never checked with the arrows")

    def navigator(self) -> None:
        nb = "15_puis_je_parler.ipynb"
        self.open(nb, ".cb-navigator .cb-choices button")
        self.browse_mode(nb)
        self.tab_until(nb, "Tab jusqu'au thème « On me demande de parler »", "le bouton du thème",
                       lambda a: a["tag"] == "BUTTON" and a["text"].startswith("On me demande de parler"))
        previous, key = "Que se passe-t-il ?", "Return"
        for n in range(40):
            self.orca.mark()
            self.keys.key(key)
            self.page.wait_for_function(
                """prev => { const e = document.activeElement; return e.tagName === 'H2'
                  && !!e.closest('.cb-navigator') && e.textContent.trim() !== prev; }""",
                arg=previous, timeout=60_000)
            heading = self.active()["text"]
            last = heading == "Synthèse"
            expected = f"« {textwrap.shorten(heading, 60, placeholder=' …')} », titre niveau 2"
            self.record(Step(nb, f"{'Entrée' if key == 'Return' else 'Espace'} → "
                                 f"{'synthèse' if last else f'question {n + 1}'}",
                             expected + (", puis la synthèse (région annoncée)" if last else ""),
                             [key], self.orca.speech(settle=3, at_most=30), f"focus : {self.where()}"))
            if last:
                return
            label = next((v for k, v in NAVIGATOR_ANSWERS.items() if k in heading), "Je ne sais pas")
            self.tab_until(nb, f"Tab jusqu'à « {label} »", f"« {label}, bouton »",
                           lambda a, label=label: a["tag"] == "BUTTON" and a["text"] == label)
            previous, key = heading, ("Return" if n % 2 else "space")
        raise RuntimeError("no synthesis after 40 questions")

    def exercise(self) -> None:
        nb = "03_secret_partage.ipynb"
        self.open(nb, ".cb-predict")
        self.browse_mode(nb)
        self.tab_until(nb, "Tab jusqu'aux choix de l'exercice", "la question de l'exercice, un bouton radio",
                       lambda a: a["role"] == "radio" and not a["fact"] and "cb-predict" in a["component"])
        self.step(nb, "Espace (choisir)", "« coché »", "space", note="")
        self.steps[-1].note = f"focus ensuite : {self.where()}"
        self.tab_until(nb, "Tab jusqu'à « Vérifier ma réponse »", "« Vérifier ma réponse, bouton »",
                       lambda a: a["text"] == "Vérifier ma réponse")
        self.orca.mark()
        self.keys.key("Return")
        self.page.wait_for_function("""() => { const e = document.activeElement;
            return e.tagName === 'H4' && !!e.closest('.cb-predict'); }""", timeout=60_000)
        self.record(Step(nb, "Entrée sur « Vérifier ma réponse »",
                         "le titre de la correction, titre niveau 4 (et la région annoncée)",
                         ["Return"], self.orca.speech(settle=3, at_most=30), f"focus : {self.where()}"))


def render(step: Step) -> str:
    keys = " ".join(step.keys) if step.keys else "(aucune touche)"
    lines = [f"── {step.page} · {step.title} [{keys}]", f"   attendu : {step.expected}"]
    words = [s for s in step.speech if not s.startswith(ECHO)]
    echoes = [s[len(ECHO):].strip() for s in step.speech if s.startswith(ECHO)]
    lines += [textwrap.shorten(f"   Orca : « {s} »", 300, placeholder=" …»") for s in words[:SHOWN]]
    if len(words) > SHOWN:
        lines.append(f"   Orca : (… et {len(words) - SHOWN} autres énoncés, dans le journal)")
    if not words:
        lines.append("   Orca : (rien d'autre que l'écho des touches)" if echoes else "   Orca : (rien)")
    if echoes:
        lines.append(f"   échos : {', '.join(echoes)}")
    if step.note:
        lines.append(textwrap.shorten(f"   note : {step.note}", 400, placeholder=" …"))
    return "\n".join(lines)


def wait_for(what: str, check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready within {timeout:.0f} s")


CHROMIUM_FLAGS = [  # a window on the Xvfb display, in French, quiet, with its accessibility on
    "--no-first-run", "--no-default-browser-check", "--password-store=basic", "--no-sandbox", "--test-type",
    "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--disable-features=Translate", "--lang=fr", "--accept-lang=fr-BE,fr",
    "--ozone-platform=x11", "--force-renderer-accessibility", "--window-position=0,0",
    "--window-size=1280,1000"]


def start_all(session: Session, orca_log: Path) -> tuple[str, int]:
    """Xvfb, D-Bus, the AT-SPI bus, Orca, `casebook serve` and Chromium on 01_art458; returns
    the casebook's address and Chromium's DevTools port."""
    display = session.display
    session.start("xvfb", ["Xvfb", f":{display}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
    wait_for("Xvfb", lambda: Path(f"/tmp/.X11-unix/X{display}").exists())
    bus = session.home / "runtime" / "bus"
    session.start("dbus", ["dbus-daemon", "--session", "--nofork", f"--address=unix:path={bus}"])
    wait_for("D-Bus", bus.exists)
    session.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
    session.start("atspi", ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])
    time.sleep(2)
    prefs = session.home / "orca"
    prefs.mkdir()
    (prefs / "orca-customizations.py").write_text(CUSTOMIZATIONS)
    session.start("orca", ["orca", "--replace", f"--user-prefs={prefs}", f"--debug-file={orca_log}"])
    wait_for("Orca", lambda: "SPEECH OUTPUT" in orca_log.read_text(errors="replace"), timeout=90)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    wait_quiet()
    session.start("casebook", [str(ROOT / ".venv" / "bin" / "casebook"), "serve", "--no-browser",
                               f"--port={port}"], JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    wait_for("casebook serve", lambda: urllib.request.urlopen(f"{base}/voila/tree", timeout=2), 120)
    devtools = free_port()
    wait_quiet()
    session.start("chromium", ["chromium", f"--user-data-dir={session.home / 'chromium'}", *CHROMIUM_FLAGS,
                               f"--remote-debugging-port={devtools}", f"{base}/voila/render/01_art458.ipynb"])
    wait_for("DevTools", lambda: urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json/version",
                                                        timeout=2), 60)
    return base, devtools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "orca",
                        help="where the transcript and the logs go (default: test-artifacts/orca)")
    args = parser.parse_args(argv)
    missing = [t for t in ("Xvfb", "xdotool", "orca", "chromium", "dbus-daemon") if not shutil.which(t)]
    if missing:
        print(f"missing: {', '.join(missing)} — apt-get install -y --no-install-recommends "
              "orca xvfb xdotool at-spi2-core chromium chromium-l10n")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    versions = {"Debian": Path("/etc/debian_version").read_text().strip(),
                **{name: package_version(name) for name in ("orca", "chromium", "at-spi2-core", "xvfb")}}
    print("versions :", json.dumps(versions, ensure_ascii=False), flush=True)
    orca_log = args.out / "orca-debug.log"
    session = Session(args.out)
    run = None
    try:
        wait_quiet()
        base, devtools = start_all(session, orca_log)
        keys = Keyboard(session.env)
        keys.focus_window("chromium")
        with sync_playwright() as pw:
            browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{devtools}")
            run = Run(browser.contexts[0].pages[0], OrcaLog(orca_log), keys, base)
            run.explorer()
            run.navigator()
            run.exercise()
            browser.close()
    finally:
        killed = session.teardown()
        if killed:
            print("killed at the end (they had not stopped with their group):", killed)
        print("no process left by this run (checked by its mark)")
        if run:  # also after a failure: the steps done so far
            transcript = args.out / "transcript.txt"
            transcript.write_text("versions : " + json.dumps(versions, ensure_ascii=False) + "\n\n" +
                                  "\n".join(render(s) for s in run.steps) + "\n", encoding="utf-8")
            print(f"transcript: {transcript}\nOrca debug log: {orca_log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
