"""The benchmarks' wait for a server to stop working on its own (``benchmarks.server``): the
map benchmark times its first maps only after the idle-time warm-up is over."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from benchmarks.server import cpu_seconds, wait_quiet

#: Spins for the seconds given, then sleeps until killed (a warm-up, then an idle server).
WORK_THEN_IDLE = (
    "import sys, time\nt = time.process_time()\n"
    "while time.process_time() - t < float(sys.argv[1]): pass\ntime.sleep(600)"
)


def spawn(work_s: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORK_THEN_IDLE, str(work_s)])


def test_wait_quiet_returns_once_the_work_is_done():
    child = spawn(1.5)
    try:
        waited = wait_quiet([child.pid], quiet_s=0.5)
        spent = cpu_seconds([child.pid])
        assert spent >= 1.5  # it waited for the whole of the work
        time.sleep(0.5)
        assert cpu_seconds([child.pid]) - spent < 0.05  # and the process is idle now
        assert waited >= 1.0
    finally:
        child.kill()
        child.wait()


def test_wait_quiet_gives_up_on_a_server_that_keeps_working():
    child = spawn(30)
    try:
        with pytest.raises(TimeoutError):
            wait_quiet([child.pid], quiet_s=0.5, timeout=2)
        assert cpu_seconds([child.pid]) > 1  # it was working all along
    finally:
        child.kill()
        child.wait()
