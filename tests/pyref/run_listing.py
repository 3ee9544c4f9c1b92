# SPDX-License-Identifier: MIT
"""Run one of the chapter's listings the way Loopscope runs its scenario.

    python3 run_listing.py LISTING.py

The listing runs unchanged on the virtual-clock loop of vloop.py, with:

* ``print`` writing ``[%8.3f] text`` lines (scenario seconds, as
  ``loopscope --console`` does; a text with newlines gives several lines);
* ``time.sleep``, ``time.time`` and ``datetime.now()`` on the same virtual
  clock (``time.sleep`` blocks: nothing else runs, the clock moves on;
  ``datetime.now()`` is 2024-01-01 00:00 plus scenario time);
* ``asyncio.run`` using the virtual loop, whose repr names the class CPython
  uses on Linux (``_UnixSelectorEventLoop``);
* object addresses in reprs written ``0x...``;
* ``aiofiles`` from ``stubs/`` (it cannot be installed here), and the
  current directory a fresh temporary one, where the listings' relative
  file names land.

An uncaught exception ends the output with a line naming it and exit
status 1, like ``loopscope --console``.
"""
import asyncio
import builtins
import datetime
import os
import re
import runpy
import sys
import tempfile
import time

import vloop

_clock = [0.0]          # scenario time before and between event loops
_loop = [None]
_pending = [""]
_real_print = builtins.print


class _UnixSelectorEventLoop(vloop.VirtualClockLoop):
    pass


def now():
    return _loop[0].time() if _loop[0] is not None else _clock[0]


def emit_lines(text):
    t = now()
    for line in text.split("\n"):
        line = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", line)
        _real_print("[%8.3f] %s" % (t, line))


def fake_print(*args, sep=" ", end="\n", file=None, flush=False):
    if file not in (None, sys.stdout):
        return _real_print(*args, sep=sep, end=end, file=file, flush=flush)
    text = _pending[0] + sep.join(str(a) for a in args) + end
    if "\n" in text:
        head, _, rest = text.rpartition("\n")
        emit_lines(head)
        _pending[0] = rest
    else:
        _pending[0] = text


def fake_sleep(seconds):
    if vloop.thread_sleep(seconds):   # on an executor's worker thread
        return
    if _loop[0] is not None:
        _loop[0]._vtime += seconds
    else:
        _clock[0] += seconds


class VirtualDatetime(datetime.datetime):
    """datetime whose now() reads the scenario clock (a listing's
    ``from datetime import datetime`` gets this class)."""

    EPOCH = datetime.datetime(2024, 1, 1)

    @classmethod
    def now(cls, tz=None):
        if tz is not None:
            raise NotImplementedError("the scenarios' clock has no time zone")
        return cls.EPOCH + datetime.timedelta(seconds=now())


def fake_run(main, *, debug=None):
    def factory():
        loop = _UnixSelectorEventLoop()
        loop._vtime = _clock[0]
        _loop[0] = loop
        return loop
    try:
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(main)
    finally:
        if _loop[0] is not None:
            _clock[0] = _loop[0]._vtime
        _loop[0] = None


def main():
    listing = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))
    os.chdir(tempfile.mkdtemp(prefix="loopscope-listing-"))
    builtins.print = fake_print
    time.sleep = fake_sleep
    time.time = now
    datetime.datetime = VirtualDatetime
    asyncio.run = fake_run
    status = 0
    try:
        runpy.run_path(listing, run_name="__main__")
    except BaseException as exc:  # the scenario's main task failed
        if _pending[0]:
            emit_lines(_pending[0])
            _pending[0] = ""
        emit_lines(type(exc).__name__)
        status = 1
    if _pending[0]:
        emit_lines(_pending[0])
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
