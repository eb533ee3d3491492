"""The server's processes as the benchmarks see them: CPU time read from ``/proc``, and a wait
until the server has stopped working on its own.

A server works after its sessions' runs are over: the idle-time warm-up (``ui.warming``)
builds what a change of indicator will ask for, ~2 s of CPU after a first run of Peta and
~10 s after one of Beranda, once per data stamp. A benchmark of the warm server waits for it
(:func:`wait_quiet`); otherwise its first measured runs share the two cores with that work.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds used so far by the processes ``pids``, summed."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def wait_quiet(
    pids: list[int], quiet_s: float = 2.0, busy_share: float = 0.05, timeout: float = 180.0
) -> float:
    """Wait until ``pids`` have used less than ``busy_share`` of a core for ``quiet_s`` on
    end; return the seconds waited. Raises ``TimeoutError`` after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        before = cpu_seconds(pids)
        time.sleep(quiet_s)
        if cpu_seconds(pids) - before < busy_share * quiet_s:
            return time.monotonic() - start
    raise TimeoutError(f"the server kept working for {timeout:.0f} s")
