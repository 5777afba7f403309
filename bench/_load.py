"""A small, bounded HTTP/1.1 load generator for loopback servers.

asyncio with raw streams, so the generator spends as little of the two shared cores as it can
and the server gets the rest. Bounded twice: it sends at most the requests it is given, and
starts none after the time limit. Every request ends as a Result, so no failure is silent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from _harness import HOST

REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    form: Sequence[tuple[str, str]] = ()
    cookie: str = ""
    tag: int = 0  # which rater this is for, to check the database afterwards


@dataclass(slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    tag: int
    status: int  # 0 when there was no HTTP answer at all
    latency: float
    location: str = ""
    error: str = ""


def encode(request: Request, port: int) -> bytes:
    body = urlencode(list(request.form)).encode() if request.method == "POST" else b""
    lines = [
        f"{request.method} {request.path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "Connection: close",
        "User-Agent: feedback360-bench",
    ]
    if request.cookie:
        lines.append(f"Cookie: {request.cookie}")
    if request.method == "POST":
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse(raw: bytes) -> Response:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            cookies.update({k: m.value for k, m in SimpleCookie(value.strip()).items()})
        headers[name.lower()] = value.strip()
    return Response(int(status_line.split()[1]), headers, body, cookies)


async def fetch(port: int, request: Request) -> Response:
    """One request on a fresh connection; gunicorn's sync workers close after each answer."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(encode(request, port))
        await writer.drain()
        return parse(await reader.read())
    finally:
        writer.close()


async def timed(port: int, request: Request) -> Result:
    started = time.perf_counter()
    try:
        response = await asyncio.wait_for(fetch(port, request), REQUEST_TIMEOUT)
    except (OSError, TimeoutError, ValueError, IndexError) as problem:
        return Result(request.tag, 0, time.perf_counter() - started, error=repr(problem))
    location = response.headers.get("location", "")
    return Result(request.tag, response.status, time.perf_counter() - started, location)


async def _worker(port: int, queue: list[Request], deadline: float, results: list[Result]) -> None:
    while queue and time.monotonic() < deadline:
        results.append(await timed(port, queue.pop()))


def run_load(
    port: int, requests: Sequence[Request], concurrency: int, seconds: float
) -> tuple[list[Result], float]:
    """Send requests, `concurrency` at a time, starting none after `seconds`; results and wall."""
    queue = list(reversed(requests))  # pop() from the end keeps the given order
    results: list[Result] = []

    async def main() -> float:
        started = time.monotonic()
        deadline = started + seconds
        workers = [_worker(port, queue, deadline, results) for _ in range(concurrency)]
        await asyncio.gather(*workers)
        return time.monotonic() - started

    wall = asyncio.run(main())
    return results, wall
