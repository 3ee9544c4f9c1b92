"""A cancelled task catches CancelledError, runs a cleanup that itself awaits
(sleep(0.5)), then re-raises: cancelled at t=1.0, cleanup from 1.0 to 1.5;
the awaiter is only released at 1.5 and the task ends cancelled.  While in
cleanup the task is neither done nor cancelled.
"""
import asyncio
from vloop import run, log


async def worker():
    try:
        log("worker: sleep(10)")
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("worker: cancelled, cleanup sleep(0.5)")
        await asyncio.sleep(0.5)
        log("worker: cleanup done, re-raise")
        raise


async def main():
    t = asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(1)
    log("main: cancel() -> %s" % t.cancel())
    await asyncio.sleep(0.25)
    log("main: during cleanup: done=%s cancelled=%s"
        % (t.done(), t.cancelled()))
    try:
        await t
    except asyncio.CancelledError:
        log("main: await worker -> CancelledError")
    log("main: done=%s cancelled=%s" % (t.done(), t.cancelled()))


run(main)
