"""A task cancels itself (current_task().cancel() -> True) and goes on
running; nothing happens until its next await.  Then sleep(1)'s future is
cancelled immediately (the pending _must_cancel is applied to the future the
task yields), so the task gets CancelledError in the next iteration at the
SAME time (t=0), not after 1 s; message preserved.
"""
import asyncio
from vloop import run, logi


async def worker():
    me = asyncio.current_task()
    logi("worker: cancel(self) -> %s" % me.cancel("self"))
    logi("worker: still running; cancelled=%s" % me.cancelled())
    try:
        await asyncio.sleep(1)
        logi("worker: slept (must not happen)")
    except asyncio.CancelledError as e:
        logi("worker: CancelledError args=%r" % (e.args,))
        raise


async def main():
    t = asyncio.create_task(worker(), name="worker")
    try:
        await t
    except asyncio.CancelledError:
        logi("main: await worker -> CancelledError")
    logi("main: cancelled=%s" % t.cancelled())


run(main)
