"""Work done in a thread while the caller goes on: polars works outside the interpreter lock,
so a frame built in one thread overlaps Python (or other polars work) in another."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Background:
    """`function(*args)` run in a daemon thread (an interrupted run does not wait for it);
    `result()` waits and gives its value, or raises what it raised."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._outcome: tuple[bool, Any] | None = None

        def run() -> None:
            try:
                self._outcome = (True, function(*args))
            except BaseException as error:  # handed to the waiting thread by result()
                self._outcome = (False, error)

        self._thread = threading.Thread(target=run, name="laatool-background", daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        assert self._outcome is not None, "run() sets it before the thread ends"
        done, value = self._outcome
        if not done:
            raise value
        return value
