"""Clean stops for long-running commands (serve, scheduler)."""

from __future__ import annotations

import signal
from typing import Any


class StopFlag:
    """Raised by SIGTERM or SIGINT, so a loop finishes its current round and ends cleanly."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self.request)
        signal.signal(signal.SIGINT, self.request)

    def request(self, *_: Any) -> None:
        self.requested = True
