"""A person's mouse on a page: the wheel brings what they look for onto the screen, then they
click where they see it. Nothing is scrolled or clicked by script: `click` fails when the
element has no size, stays outside the window, or lies under something else at its centre
(`document.elementFromPoint`)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

WHEEL_STEPS = 40  # wheel turns before giving up on reaching an element
WHEEL_MAX = 500  # pixels per turn, as a mouse wheel or a touchpad sends them


def _centre(page: Page, target: Locator) -> tuple[float, float] | None:
    """The centre of `target` when it lies inside the window, else None."""
    box = target.bounding_box()
    size = page.viewport_size
    if box is None or box["width"] <= 0 or box["height"] <= 0:
        return None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return (x, y) if 0 <= x < size["width"] and 0 <= y < size["height"] else None


def reach(page: Page, target: Locator) -> tuple[float, float]:
    """Turn the mouse wheel over the page until `target`'s centre is in the window; its centre."""
    target.wait_for(state="visible", timeout=120_000)
    size = page.viewport_size
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    for _ in range(WHEEL_STEPS):
        centre = _centre(page, target)
        if centre is not None:
            return centre
        box = target.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, "élément sans taille"
        distance = box["y"] + box["height"] / 2 - size["height"] / 2
        page.mouse.wheel(0, max(-WHEEL_MAX, min(WHEEL_MAX, distance)))
        page.wait_for_timeout(100)
    raise AssertionError("la molette n'amène pas l'élément à l'écran")


def click(page: Page, target: Locator) -> None:
    """Click `target` as a person does: at the centre of where it shows, once nothing covers it."""
    x, y = reach(page, target)
    on_top = target.evaluate(
        "(el, p) => { const hit = document.elementFromPoint(p.x, p.y);"
        " return hit !== null && (hit === el || el.contains(hit)); }", {"x": x, "y": y})
    assert on_top, "un autre élément couvre celui qu'on veut cliquer"
    page.mouse.click(x, y)
