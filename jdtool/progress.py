"""A progress bar on stderr when stderr is a terminal; silent in pipes and CI."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO


def _no_tick(n: int = 1) -> None:
    return None


@contextmanager
def progress_bar(label: str, stream: IO[str] | None = None) -> Iterator[Callable[[int], None]]:
    """Yield `tick(n)`; shows count, rate and elapsed time on a TTY stderr, else does nothing."""
    err: IO[str] = stream if stream is not None else sys.stderr
    if not getattr(err, "isatty", lambda: False)():
        yield _no_tick
        return
    start = time.monotonic()
    state = {"n": 0, "last": 0.0}

    def tick(n: int = 1) -> None:
        state["n"] += n
        now = time.monotonic()
        if now - state["last"] >= 0.2:
            state["last"] = now
            rate = state["n"] / max(now - start, 1e-6)
            err.write(f"\r{label}: {state['n']:,} postings  {rate:,.0f}/s  {now - start:,.1f}s ")
            err.flush()

    try:
        yield tick
    finally:
        elapsed = time.monotonic() - start
        if state["n"]:
            err.write(
                f"\r{label}: {state['n']:,} postings in {elapsed:,.1f}s"
                f" ({state['n'] / max(elapsed, 1e-6):,.0f}/s)\n"
            )
            err.flush()
