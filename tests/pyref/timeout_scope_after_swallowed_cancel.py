"""asyncio.timeout() in a task that earlier SWALLOWED a cancellation.

Swallowing a CancelledError does not reset the task's count of cancel
requests (Task.cancelling() stays 1; only uncancel() decrements it).
Timeout records that count when the scope is entered and, at exit, converts
the CancelledError into TimeoutError when uncancel() <= the count at entry
(gh-102780, fixed in 3.11.3).  So here the scope entered
at t=1 expires at t=2 and a TimeoutError comes out as usual, and the task
finishes normally.

Version-dependent: CPython 3.11.0-3.11.2 compared uncancel() == 0 instead,
so the same program there lets a CancelledError escape the scope and the
task ends cancelled; vloop.py backports the fix to those releases (Debian
12 ships 3.11.2).  These expected files are from CPython 3.11.7.
"""
import asyncio
from vloop import run, log


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("worker: cancelled at sleep(10), swallowing")
    try:
        async with asyncio.timeout(1):
            await asyncio.sleep(5)
    except TimeoutError:
        log("worker: TimeoutError from the scope")
    except asyncio.CancelledError:
        log("worker: CancelledError from the scope")
        raise
    return "worker finished"


async def main():
    t = asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(1)
    log("main: cancel() -> %s" % t.cancel())
    try:
        r = await t
        log("main: await worker -> %r" % r)
    except asyncio.CancelledError:
        log("main: await worker -> CancelledError")
    log("main: worker cancelled=%s" % t.cancelled())


run(main)
