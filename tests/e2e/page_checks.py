"""What every page of the journey must pass: axe (WCAG 2.2 A and AA), 320 px reflow, no errors."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
NARROW = {"width": 320, "height": 640}
# Screenshots show the top of a page: enough for a README, small enough to keep in git.
SHOT_HEIGHT = {DESKTOP["width"]: 1600, PHONE["width"]: 1334}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TOKENISH = re.compile(r"^[A-Za-z0-9_.-]{16,}$")


def screenshots_wanted() -> bool:
    return os.environ.get("SCREENSHOTS", "") not in ("", "0")


def page_kind(page: Page) -> str:
    """The page's path (tokens and ids blanked) and heading: each page is checked once per width."""
    parts = []
    for part in urlsplit(page.url).path.split("/"):
        if part.isdigit():
            part = "<id>"
        elif TOKENISH.match(part):
            part = "<token>"
        parts.append(part)
    headings = page.locator("h1").all_inner_texts()
    errors = " (errors shown)" if page.locator(".error-summary").count() else ""
    return f"{'/'.join(parts)} {headings} @{page.viewport_size['width']}{errors}"


def describe_violations(violations: list[dict], where: str) -> list[str]:
    """axe's findings as lines a person can act on: rule, impact, element, what to fix."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:6]:
            target = ", ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"       {summary[:400]}")
    return lines


class PageChecker:
    """Checks each kind of page once per width and keeps every problem for one final report."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.seen: set[str] = set()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Page, screenshot: str | None = None, again: bool = False) -> None:
        """axe and reflow for a page not checked before (or `again`, when its content changed);
        screenshots when SCREENSHOTS=1."""
        page.wait_for_load_state("load")
        kind = page_kind(page)
        if again or kind not in self.seen:
            self.seen.add(kind)
            self.checked.append(kind)
            self.run_axe(page, kind)
            self.check_reflow(page, kind)
        if screenshot and screenshots_wanted():
            self.take_screenshots(page, screenshot)

    def run_axe(self, page: Page, where: str) -> None:
        results = self.axe.run(page, options=AXE_OPTIONS)
        self.problems.extend(describe_violations(results.response["violations"], where))

    def check_reflow(self, page: Page, where: str) -> None:
        """At 320 px wide nothing may make the page scroll sideways (WCAG 1.4.10), and axe finds
        nothing there either: a box that scrolls sideways only on a phone (a wide table) must
        be reachable by keyboard, so better none at all."""
        original = page.viewport_size
        page.set_viewport_size(NARROW)
        self.run_axe(page, f"{where} at {NARROW['width']} px wide")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth,"
            " [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1).slice(-3).map(e => e.outerHTML.slice(0, 120))]"
        )
        page.set_viewport_size(original)
        scroll_width, inner_width, culprits = widths
        if scroll_width > inner_width:
            self.problems.append(
                f"{where}: scrolls sideways at 320 px ({scroll_width} > {inner_width}); "
                f"widest elements: {culprits}"
            )

    def take_screenshots(self, page: Page, name: str, selector: str | None = None) -> None:
        """The top of the page (or one element of it) at desktop and phone widths."""
        original = page.viewport_size
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        # A focus ring left by the last field typed in would only distract in a README.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            if selector:
                page.locator(selector).screenshot(path=SCREENSHOT_DIR / f"{name}-{label}.png")
                continue
            height = min(
                page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT[size["width"]]
            )
            clip = {"x": 0, "y": 0, "width": size["width"], "height": height}
            page.screenshot(path=SCREENSHOT_DIR / f"{name}-{label}.png", full_page=True, clip=clip)
        page.set_viewport_size(original)

    def report(self) -> str:
        return "\n".join(self.problems)


def watch_for_errors(context: BrowserContext, problems: list[str]) -> None:
    """Console errors (a CSP refusal shows up here), script errors and failed assets are problems.

    A page's own status is each test's business (a 404 page is meant to be a 404), and Chromium
    asks every site for /favicon.ico, which we do not serve.
    """

    def on_console(page: Page, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: console: {message.text}")

    def on_response(page: Page, response) -> None:
        if response.status < 400 or response.request.resource_type == "document":
            return
        if urlsplit(response.url).path != "/favicon.ico":
            problems.append(f"{page.url}: {response.url} answered {response.status}")

    def on_page(page: Page) -> None:
        page.on("console", lambda message: on_console(page, message))
        page.on("response", lambda response: on_response(page, response))
        page.on("pageerror", lambda exc: problems.append(f"{page.url}: script error: {exc}"))

    context.on("page", on_page)
