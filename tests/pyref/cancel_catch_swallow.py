"""A cancelled task catches CancelledError and returns normally: the task
finishes with a result, cancelled() is False, awaiting it returns the value
(no CancelledError anywhere).
"""
import asyncio
from vloop import run, log


async def worker():
    try:
        await asyncio.sleep(10)
        return "finished"
    except asyncio.CancelledError:
        log("worker: cancelled, swallowing")
        return "swallowed"


async def main():
    t = asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(1)
    log("main: cancel() -> %s" % t.cancel())
    r = await t
    log("main: await worker -> %r" % r)
    log("main: done=%s cancelled=%s result=%r exception=%r"
        % (t.done(), t.cancelled(), t.result(), t.exception()))


run(main)
