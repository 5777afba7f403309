"""A colleague's journey over HTTP, up to the moment before they press "Send".

The warm-up of bench/submit_load.py: intro, each questionnaire page (GET, then POST with the
answers), then the review page, which gives the session cookie and CSRF token the send needs.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass

from _data import rater_comments, rater_scores
from _load import REQUEST_TIMEOUT, Request, Response, fetch

from feedback360.instruments.model import Instrument

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class FlowBroke(RuntimeError):
    """The real pages did not answer as a browser would expect: the bench cannot go on."""


@dataclass(frozen=True, slots=True)
class Rater:
    tag: int
    token: str


@dataclass(frozen=True, slots=True)
class Ready:
    """A rater on the review page: what their browser holds to send their answers."""

    tag: int
    token: str
    cookie: str
    csrf: str

    def submit(self) -> Request:
        form = (("csrf_token", self.csrf),)
        return Request("POST", f"/r/{self.token}/submit", form, self.cookie, self.tag)


def page_form(instrument: Instrument, number: int, tag: int) -> list[tuple[str, str]]:
    """What a rater types on page `number`: the capability's items, or the overall questions."""
    scores, comments = rater_scores(instrument, tag), rater_comments(instrument, tag)
    if number <= len(instrument.capabilities):
        capability = instrument.capabilities[number - 1]
        form = [
            (f"item-{i.key}", "na" if scores[i.key] is None else str(scores[i.key]))
            for i in capability.items
        ]
        keys = [capability.key]
    else:
        form, keys = [], [q.key for q in instrument.questions]
    form += [(f"comment-{key}", comments.get(key, "")) for key in keys]
    return [*form, ("action", "next")]


async def _get(port: int, path: str, cookie: str, expect: int = 200) -> Response:
    response = await asyncio.wait_for(fetch(port, Request("GET", path, cookie=cookie)), 30)
    if response.status != expect:
        raise FlowBroke(f"GET {path.split('/')[-1]} answered {response.status}")
    return response


def _cookie(response: Response, cookie: str) -> str:
    session = response.cookies.get("session")
    return f"session={session}" if session else cookie


def _csrf(response: Response) -> str:
    found = CSRF.search(response.body)
    if not found:
        raise FlowBroke("a form page carried no CSRF token")
    return found.group(1).decode()


async def walk(
    port: int, instrument: Instrument, rater: Rater, pages: bool, saves: list[float]
) -> Ready:
    """Intro, pages (when `pages`), review; `saves` collects each page save's seconds."""
    base = f"/r/{rater.token}"
    await _get(port, base, "")
    cookie = ""
    if pages:
        for number in range(1, len(instrument.capabilities) + 2):
            shown = await _get(port, f"{base}/page/{number}", cookie)
            cookie, csrf = _cookie(shown, cookie), _csrf(shown)
            form = [("csrf_token", csrf), *page_form(instrument, number, rater.tag)]
            started = time.perf_counter()
            request = Request("POST", f"{base}/page/{number}", form, cookie, rater.tag)
            saved = await asyncio.wait_for(fetch(port, request), REQUEST_TIMEOUT)
            saves.append(time.perf_counter() - started)
            if saved.status != 302:
                raise FlowBroke(f"saving page {number} answered {saved.status}")
    review = await _get(port, f"{base}/review", cookie)
    return Ready(rater.tag, rater.token, _cookie(review, cookie), _csrf(review))


def walk_all(
    port: int, instrument: Instrument, raters: list[Rater], pages: bool, concurrency: int
) -> tuple[list[Ready], list[float]]:
    """Every rater up to the review page, `concurrency` at a time; bounded by the list."""
    saves: list[float] = []
    queue = list(reversed(raters))
    ready: list[Ready] = []

    async def worker() -> None:
        while queue:
            ready.append(await walk(port, instrument, queue.pop(), pages, saves))

    async def main() -> None:
        await asyncio.gather(*(worker() for _ in range(concurrency)))

    asyncio.run(main())
    ready.sort(key=lambda r: r.tag)
    return ready, saves
