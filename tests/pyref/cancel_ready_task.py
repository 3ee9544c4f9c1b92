"""Cancel a task that is scheduled to run but not running (must_cancel path).

A: the task awaits a future; main completes the future (the task's wakeup is
   now in the ready queue) and cancels the task in the same step.  The
   future is already done so cancelling it fails; the task gets
   _must_cancel, and its wakeup throws CancelledError('late') into it even
   though the future it awaited has a result.
B: the task is in sleep(0) (a bare yield: no future at all, the step is
   already queued): cancel() sets _must_cancel; the step throws
   CancelledError('now').
"""
import asyncio
from vloop import run, logi


async def on_future(fut):
    try:
        r = await fut
        logi("A: got %r (must not happen)" % r)
    except asyncio.CancelledError as e:
        logi("A: CancelledError args=%r; fut.result()=%r"
             % (e.args, fut.result()))
        raise


async def on_sleep0():
    try:
        logi("B: sleep(0)")
        await asyncio.sleep(0)
        logi("B: resumed (must not happen)")
    except asyncio.CancelledError as e:
        logi("B: CancelledError args=%r" % (e.args,))
        raise


async def main():
    fut = asyncio.get_running_loop().create_future()
    a = asyncio.create_task(on_future(fut), name="A")
    await asyncio.sleep(0)
    fut.set_result("value")
    logi("main: set_result; A.cancel('late') -> %s" % a.cancel("late"))
    try:
        await a
    except asyncio.CancelledError:
        logi("main: A cancelled=%s" % a.cancelled())

    b = asyncio.create_task(on_sleep0(), name="B")
    await asyncio.sleep(0)
    logi("main: B.cancel('now') -> %s" % b.cancel("now"))
    try:
        await b
    except asyncio.CancelledError:
        logi("main: B cancelled=%s" % b.cancelled())


run(main)
