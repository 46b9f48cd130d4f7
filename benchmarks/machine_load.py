"""How busy the machine was with other work while a benchmark ran: its figures mean little without it."""

from __future__ import annotations

import os
import time
from pathlib import Path


class Load:
    """How busy the machine was with other work during the run: CPU time used by all processes (from
    /proc/stat) minus this process's own, per second of wall time, in cores."""

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        except OSError:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        values = [int(v) for v in fields]
        busy = sum(values) - values[3] - (values[4] if len(values) > 4 else 0)  # minus idle and iowait
        own = os.times()
        return busy / ticks, own.user + own.system + own.children_user + own.children_system, time.monotonic()

    def others(self) -> float | None:
        end = self._sample()
        if self.start is None or end is None:
            return None
        busy, own, wall = (e - s for e, s in zip(end, self.start))
        return max(0.0, (busy - own) / wall) if wall > 0 else None
