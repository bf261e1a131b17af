"""A person in front of a dashboard, on one of three devices: a laptop, a projector in the
instructor's projection mode and a phone held in portrait with touch.

A person scrolls with what the device has (the mouse wheel, a finger's swipe as touch events through
Chromium's own input pipeline, PageDown, Space and the arrow keys), reads what is on the screen and
clicks or taps only what is visible there: an element with a box of non-zero size, inside the
viewport and not covered (`document.elementFromPoint` at the point clicked is the element or inside
it). Nothing here scrolls an element into view or clicks it programmatically: Playwright's
`click()`, `fill()` and `check()` do both by themselves, so a page that a person cannot scroll still
passes them.

A drop-down list's open list is drawn by the system, outside the page: `choose` clicks the list
where it shows, closes what it opened and picks the option with the arrow keys, as a keyboard
user does."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import OfflinePage, wait_rendered


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    touch: bool = False
    query: str = ""  # what the address adds (the projector is the instructor's projection mode)


LAPTOP = Device("portable", 1280, 800)
PROJECTOR = Device("projecteur", 1280, 720, query="mode=enseignant")
PHONE = Device("telephone", 390, 844, touch=True)
DEVICES = (LAPTOP, PROJECTOR, PHONE)

_VISIBLE_POINT = """(el) => {
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return null;
  const x = Math.min(Math.max(r.left + r.width / 2, 1), innerWidth - 2);
  const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 20), 1), innerHeight - 2);
  if (r.bottom < 1 || r.top > innerHeight - 2 || r.right < 1 || r.left > innerWidth - 2) return null;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === el || el.contains(hit)) ? [x, y] : null;
}"""


_STILL = """(el) => new Promise((done) => {
  const where = () => { const r = el ? el.getBoundingClientRect() : null;
                        return `${scrollY} ${r ? r.left + ' ' + r.top : ''}`; };
  let last = where(), calm = 0, frames = 0;
  const tick = () => {
    frames += 1;
    const now = where();
    if (now === last) { calm += 1; } else { calm = 0; last = now; }
    if (calm >= 6 || frames > 600) { done(); } else { requestAnimationFrame(tick); }
  };
  requestAnimationFrame(tick);
})"""


class Person:
    """A page opened by a person on `device`, and what that person can do with it."""

    def __init__(self, browser: Browser | None, device: Device, offline: OfflinePage | None = None):
        """A new window of `browser` sized as `device`, or the page `offline` already open (on a
        desktop device: its window is the test's own)."""
        self.device = device
        self.owned = offline is None
        if offline is None:
            assert browser is not None
            context = browser.new_context(viewport={"width": device.width, "height": device.height},
                                          has_touch=device.touch, is_mobile=device.touch, locale="fr-BE")
            offline = OfflinePage(context.new_page())
        self.offline = offline
        self.page: Page = offline.page
        self.context = self.page.context
        self.cdp = self.context.new_cdp_session(self.page) if device.touch else None

    def close(self) -> None:
        if self.owned:
            self.context.close()

    def open(self, url: str, selector: str, query: str = "") -> None:
        """Open `url` with the device's own query and `query`, and wait until `selector` shows."""
        parts = [q for q in (self.device.query, query) if q]
        self.page.goto(url + ("?" + "&".join(parts) if parts else ""))
        wait_rendered(self.page, selector)

    # -- where the page is ------------------------------------------------------------------------

    def scroll_y(self) -> float:
        return self.page.evaluate("() => window.scrollY")

    def at_bottom(self) -> bool:
        return self.page.evaluate(
            "() => window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2")

    def point(self, target: Locator) -> tuple[float, float] | None:
        """Where a person would click `target`, or None when it is not visible on screen."""
        found = target.evaluate(_VISIBLE_POINT)
        return None if found is None else (found[0], found[1])

    def sees(self, target: Locator) -> bool:
        return self.point(target) is not None

    def intersects_viewport(self, target: Locator) -> bool:
        return target.evaluate("""(el) => { const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight &&
                 r.right > 0 && r.left < innerWidth; }""")

    # -- moving through the page ------------------------------------------------------------------

    def wheel(self, dy: int) -> None:
        """Turn the mouse wheel over the middle of the window."""
        self.page.mouse.move(self.device.width / 2, self.device.height / 2)
        self.page.mouse.wheel(0, dy)
        self._settle()

    def swipe(self, dy: int) -> None:
        """Drag a finger up the screen by `dy` pixels (down when negative), slowly enough that the
        page follows the finger without a fling: touch events through Chromium's input pipeline,
        which turns them into scrolling as on a phone."""
        assert self.cdp is not None, "a swipe needs a touch device"
        x, start = self.device.width / 2, self.device.height * (0.8 if dy > 0 else 0.2)
        steps = max(4, abs(dy) // 20)
        self.cdp.send("Input.dispatchTouchEvent",
                      {"type": "touchStart", "touchPoints": [{"x": x, "y": start}]})
        for i in range(1, steps + 1):
            self.cdp.send("Input.dispatchTouchEvent",
                          {"type": "touchMove", "touchPoints": [{"x": x, "y": start - dy * i / steps}]})
            self.page.wait_for_timeout(30)
        self.page.wait_for_timeout(150)  # the finger rests before it lifts: no fling
        self.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        self._settle()

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self._settle()

    def scroll(self, dy: int) -> None:
        """Scroll the way this device scrolls: a swipe on the phone, the wheel elsewhere."""
        if self.device.touch:
            self.swipe(dy)
        else:
            self.wheel(dy)

    def _settle(self) -> None:
        self.page.wait_for_timeout(50)
        self.still()

    def still(self, target: Locator | None = None) -> None:
        """Wait until the page stops moving: the same scroll position, and `target` in the same
        place on screen, for six frames in a row."""
        if target is None:
            self.page.evaluate(_STILL, None)
        else:
            target.evaluate(_STILL)

    def reach(self, target: Locator, limit: int = 80) -> tuple[float, float]:
        """Scroll the way this device scrolls, towards `target`, until it is visible on screen
        (at most a screen at a time, as a person reading on); every step must move the page.
        Returns where to click it."""
        step = int(self.device.height * 0.6)
        target.wait_for(state="visible", timeout=120_000)
        for _ in range(limit):
            self.still(target)  # a person aims at what has stopped moving
            found = self.point(target)
            if found is not None:
                return found
            box = target.bounding_box()
            assert box is not None, f"élément sans boîte ({self.device.name})"
            wanted = box["y"] + min(box["height"], 40) / 2 - self.device.height / 2
            dy = max(-step, min(step, int(wanted)))
            dy = dy if abs(dy) >= 40 else (40 if dy >= 0 else -40)
            before = self.scroll_y()
            self.scroll(dy)
            if self.scroll_y() == before and self.point(target) is None:
                raise AssertionError(f"la page ne bouge plus et l'élément reste caché ou hors de "
                                     f"l'écran ({self.device.name}, y={before})")
        raise AssertionError(f"élément jamais visible à l'écran ({self.device.name})")

    # -- acting -----------------------------------------------------------------------------------

    def click(self, target: Locator) -> None:
        """Bring `target` on screen by scrolling as this device does, then click (tap) it once it
        no longer looks disabled (a person waits for a greyed-out button to wake up)."""
        target.wait_for(state="visible", timeout=120_000)
        for _ in range(600):  # found again each time: a widget drawn anew replaces the element
            if target.evaluate("el => !el.disabled && !el.closest('[disabled]')"):
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"bouton resté grisé 60 s ({self.device.name})")
        x, y = self.reach(target)
        if self.device.touch:
            self.page.touchscreen.tap(x, y)
        else:
            self.page.mouse.click(x, y)

    def type(self, target: Locator, text: str) -> None:
        """Click a text field on screen, select what it holds, type over it, then leave it."""
        self.click(target)
        self.page.keyboard.press("Control+a")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Tab")

    def choose(self, select: Locator, label: str) -> None:
        """Pick `label` in a drop-down list with the keyboard: a click on the list where it shows
        (it opens), Escape (it closes, keeping the focus), then the arrow keys to the option."""
        labels = [t.replace("\xa0", " ") for t in select.evaluate("s => [...s.options].map(o => o.text)")]
        wanted = labels.index(label)
        self.click(select)
        self.page.keyboard.press("Escape")
        now = select.evaluate("s => s.selectedIndex")
        for _ in range(abs(wanted - now)):
            self.page.keyboard.press("ArrowDown" if wanted > now else "ArrowUp")
        expect(select).to_have_js_property("selectedIndex", wanted)

    def answer(self, scope: str, fact: str, label: str) -> None:
        """Answer a fact of a form: a button of its row of answers, or an option of its list."""
        control = self.page.locator(f"{scope} .cb-fact-{fact}")
        select = control.locator("select")
        if select.count():
            self.choose(select, label)
        else:
            radio = control.get_by_role("radio", name=label, exact=True)
            self.click(radio)
            expect(radio).to_have_attribute("aria-checked", "true")  # the person sees it took

    def button(self, scope: Locator, name: str | re.Pattern) -> Locator:
        return scope.get_by_role("button", name=name)

    def expect_visible(self, target: Locator) -> None:
        expect(target).to_be_visible()
        assert self.sees(target), f"visible dans la page mais pas à l'écran ({self.device.name})"

    def walk_navigator(self, nav: Locator, choose: Callable[[str], Locator]) -> list[str]:
        """Answer « Puis-je parler ? » question by question, reading each question on screen and
        clicking the answer `choose` gives for its text, until the synthesis; the questions asked."""
        asked: list[str] = []
        for _ in range(40):
            heading = nav.locator("h2").first
            expect(heading).not_to_have_text(re.compile("Que se passe"))
            self.reach(heading)
            text = heading.inner_text()
            if "Synthèse" in text:
                return asked
            asked.append(text)
            self.click(choose(text))
            expect(nav.locator("h2").first).not_to_have_text(text)
        raise AssertionError(f"pas de synthèse après {asked}")
